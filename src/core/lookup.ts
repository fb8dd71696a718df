/**
 * Table lookups keyed by text from the server. A plain object answers for keys it never defined
 * (`constructor`, `toString`, `__proto__`), so a status, stage or file extension with such a name
 * would come back as a function; only the table's own entries count here.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
