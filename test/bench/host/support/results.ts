/** Raw figures go to the JSON file the runner named; each test merges its part in as soon as it has it. */
import * as fs from 'node:fs';
import { BenchEnv, type LaunchFigures } from '../../shared';

export function recordFigures(update: (figures: LaunchFigures) => void): void {
  const file = process.env[BenchEnv.out];
  if (!file) throw new Error(`${BenchEnv.out} is not set: run the benchmarks with npm run bench`);
  const figures = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as LaunchFigures) : {};
  update(figures);
  fs.writeFileSync(file, JSON.stringify(figures, null, 2));
}

export function repetitions(fallback: number): number {
  const n = Number(process.env[BenchEnv.reps]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
