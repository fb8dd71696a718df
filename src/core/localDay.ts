/**
 * Calendar days in the machine's own time zone: "today" and the days a spend report groups by are the
 * user's days, not UTC's. Computed from instants (parsed times), never from the server's date strings.
 */

/** The instant the local day holding `ms` began. */
export function localDayStart(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The local day `days` days before the one holding `ms` (negative: after), at its start. Daylight saving shifts are the calendar's, not 24 h steps. */
export function localDaysBefore(ms: number, days: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - days);
  return d.getTime();
}

/** `2026-03-07`: the local day holding `ms`, sortable as text. */
export function localDayKey(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
