/**
 * Whether a suite run passed, from the summary it wrote. Kept apart from the launchers so that plain Node
 * can test it. A skipped test proves nothing: it is listed by title, and in CI (`CI` set) it fails the run,
 * since a check that quietly stopped running (no browser, no emulator) looks just like one that passes.
 */
export interface SuiteCounts {
  passed: number;
  failed: number;
  pending: number;
  /** Titles of the skipped tests; older summaries have only the count. */
  skipped?: string[];
}

export interface SuiteVerdict {
  code: 0 | 1;
  /** Lines to print under the counts: the skipped tests and why the run failed. */
  lines: string[];
}

export function suiteVerdict(summary: SuiteCounts, exitCode: number, env: { CI?: string } = {}): SuiteVerdict {
  const lines: string[] = [];
  const skipped = summary.skipped ?? [];
  for (const title of skipped) lines.push(`  skipped: ${title}`);
  if (summary.pending > skipped.length) lines.push(`  skipped: ${summary.pending - skipped.length} more, without a title`);
  const reasons: string[] = [];
  if (exitCode !== 0) reasons.push(`VS Code exited with ${exitCode}`);
  if (summary.failed > 0) reasons.push(`${summary.failed} failed`);
  if (summary.passed === 0) reasons.push('no test passed');
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  if (inCi && summary.pending > 0) reasons.push(`${summary.pending} skipped, which CI does not accept`);
  if (reasons.length) lines.push(`  failed: ${reasons.join('; ')}`);
  return { code: reasons.length ? 1 : 0, lines };
}
