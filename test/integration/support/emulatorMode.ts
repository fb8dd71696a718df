/**
 * Which emulator the VS Code suites run against: the default one, or the strict one that serves only what
 * the API reference promises (RUNFLOW_EMULATOR_STRICT=refuse-q or ignore-q, set by the suite runner).
 * Every feature is proven against both; a test that makes sense for one of them only is registered for
 * that one and says why (a skipped test fails a CI run).
 */
export type StrictMode = false | 'refuse-q' | 'ignore-q';

export function emulatorStrictMode(): StrictMode {
  const value = process.env.RUNFLOW_EMULATOR_STRICT;
  return value === 'refuse-q' || value === 'ignore-q' ? value : false;
}

/** A short name for titles and reports. */
export function emulatorModeName(mode: StrictMode = emulatorStrictMode()): string {
  return mode ? `strict (${mode})` : 'default';
}
