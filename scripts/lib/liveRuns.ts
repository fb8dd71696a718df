/**
 * Keeps the demo alive: launches a model run through the emulator's public API every so often, so the
 * Runs view has runs that queue, start, log and finish while someone watches.
 */
const MODELS: { model: string; input: Record<string, unknown> }[] = [
  { model: 'runflow/slow-llm', input: { prompt: 'Summarise the plot of Moby-Dick in three sentences.', max_tokens: 256 } },
  { model: 'runflow/sdxl-turbo', input: { prompt: 'an orange cat on a windowsill, film photo', steps: 4 } },
  { model: 'runflow/broken-upscaler', input: { scale: 4 } },
  { model: 'runflow/flaky-pipeline', input: { prompt: 'product photo of a ceramic mug', variants: 4 } },
  { model: 'acme/flux-schnell', input: { prompt: 'a paper boat on a puddle' } },
];

export interface LiveRuns {
  stop(): void;
}

export function startLiveRuns(opts: { baseUrl: string; token: string; everyMs: number; log: (line: string) => void }): LiveRuns {
  let next = 0;
  let stopped = false;
  const launch = async () => {
    const { model, input } = MODELS[next++ % MODELS.length];
    try {
      const res = await fetch(`${opts.baseUrl}/v1/models/${model}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input, client_ref: `demo-live-${next}`, metadata: { source: 'demo' } }),
      });
      if (!res.ok) opts.log(`[demo] launching a ${model} run: HTTP ${res.status}`);
    } catch (err) {
      if (!stopped) opts.log(`[demo] launching a ${model} run: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  void launch();
  void launch();
  const timer = setInterval(() => void launch(), opts.everyMs);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
