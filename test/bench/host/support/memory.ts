/**
 * The extension host's memory over a span of work, sampled from inside it (the bench suite runs in the
 * extension host, beside the extension it measures). `global.gc` is called before the baseline when the
 * host exposes it; nothing depends on it.
 */
import { round, type MemorySpan } from '../../shared';

const MB = 1024 * 1024;
const SAMPLE_MS = 50;

export class MemorySampler {
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly baseline: NodeJS.MemoryUsage;
  private peakHeap: number;
  private peakRss: number;
  private samples = 1;

  private constructor(private readonly gcBefore: boolean) {
    this.baseline = process.memoryUsage();
    this.peakHeap = this.baseline.heapUsed;
    this.peakRss = this.baseline.rss;
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  /** Collects garbage when it can, takes the baseline and samples every 50 ms until `stop`. */
  static start(): MemorySampler {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (typeof gc === 'function') gc();
    return new MemorySampler(typeof gc === 'function');
  }

  stop(): MemorySpan {
    this.sample();
    clearInterval(this.timer);
    return {
      baselineHeapMb: round(this.baseline.heapUsed / MB),
      peakHeapMb: round(this.peakHeap / MB),
      baselineRssMb: round(this.baseline.rss / MB),
      peakRssMb: round(this.peakRss / MB),
      samples: this.samples,
      gcBefore: this.gcBefore,
    };
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.samples++;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
    if (m.rss > this.peakRss) this.peakRss = m.rss;
  }
}
