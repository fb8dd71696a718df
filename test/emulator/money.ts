/** Costs travel as decimal strings; they are computed here in integer micro-dollars to avoid float noise. */

/** Decimal string from micro-dollars, with at least 4 decimals ("0.0125"). */
export function formatMicros(micros: number): string {
  const m = Math.max(0, Math.round(micros));
  const whole = Math.floor(m / 1e6);
  let frac = String(m % 1e6).padStart(6, '0');
  while (frac.length > 4 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${whole}.${frac}`;
}
