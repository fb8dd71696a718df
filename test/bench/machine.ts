/** The machine a bench ran on, for the report: figures mean little without it. */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGb: number;
  os: string;
  node: string;
  loadAverage: number[];
}

export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model?.trim() || 'unknown';
  try {
    // os.cpus() may report a bare family name in a VM; /proc/cpuinfo says the same or more.
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    ramGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
