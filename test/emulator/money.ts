/** Costs travel as decimal strings; they are computed here in integer micro-dollars to avoid float noise. */

/** Decimal string from micro-dollars, with at least 4 decimals ("0.0125"). */
export function formatMicros(micros: number): string {
  const m = Math.max(0, Math.round(micros));
  const whole = Math.floor(m / 1e6);
  let frac = String(m % 1e6).padStart(6, '0');
  while (frac.length > 4 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${whole}.${frac}`;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * The exact sum of decimal strings ("0.10000000000000000001", "-0.05"), as canonical decimal text: BigInt
 * at the longest scale, no float in between. A string that is not a plain decimal is left out and counted.
 * The emulator's own arithmetic, apart from the extension's, so that a test can check one against the other.
 */
export function sumDecimals(values: readonly string[]): { sum: string; skipped: number } {
  let scale = 0;
  const parsed: { sign: bigint; int: string; frac: string }[] = [];
  let skipped = 0;
  for (const value of values) {
    const m = DECIMAL.exec(value.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
      skipped++;
      continue;
    }
    const frac = m[3] ?? '';
    scale = Math.max(scale, frac.length);
    parsed.push({ sign: m[1] === '-' ? -1n : 1n, int: m[2] || '0', frac });
  }
  let units = 0n;
  for (const p of parsed) units += p.sign * BigInt(`${p.int}${p.frac.padEnd(scale, '0')}`);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return { sum: negative && text !== '0' ? `-${text}` : text, skipped };
}
