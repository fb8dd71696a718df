/**
 * The emulators of a bench run live in their own processes (started by test/bench/run.ts), so that
 * serving a million log lines does not share the extension host's thread with the extension being
 * measured. The suite steers them through the emulator's control endpoints.
 */
import type { CostSum } from '../../../emulator/control';
import type { FaultSpec } from '../../../emulator/faults';
import type { RequestRecord } from '../../../emulator/request-log';
import type { Run } from '../../../emulator/types';
import { BenchEnv, type EmulatorRole } from '../../shared';

export class EmulatorControl {
  constructor(readonly url: string) {}

  async health(): Promise<{ bigLogRunId: string | null; runs: number }> {
    return this.call('GET', '/health');
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async addFault(spec: FaultSpec): Promise<void> {
    await this.call('POST', '/faults', spec);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  async requests(filter: { method?: string; path?: string } = {}): Promise<RequestRecord[]> {
    const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const { records } = await this.call<{ records: RequestRecord[] }>('GET', `/requests?${q}`);
    return records;
  }

  async resetRequests(): Promise<void> {
    await this.call('DELETE', '/requests');
  }

  /** The emulator's own exact sum of the costs of runs created in [fromMs, toMs), per currency. */
  async costSum(fromMs: number, toMs: number): Promise<CostSum> {
    return this.call('GET', `/cost-sum?from=${fromMs}&to=${toMs}`);
  }

  async insertRun(partial: Partial<Run> & { status_code: string }): Promise<Run> {
    return this.call('POST', '/runs', partial);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export function emulator(role: EmulatorRole): EmulatorControl {
  const urls = JSON.parse(process.env[BenchEnv.emulators] ?? '{}') as Partial<Record<EmulatorRole, string>>;
  const url = urls[role];
  if (!url) throw new Error(`no ${role} emulator: run the benchmarks with npm run bench`);
  return new EmulatorControl(url);
}

export function benchToken(): string {
  const token = process.env[BenchEnv.token];
  if (!token) throw new Error(`${BenchEnv.token} is not set: run the benchmarks with npm run bench`);
  return token;
}
