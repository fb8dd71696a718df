/** What to tell a person about a failure: the message of an Error, or whatever else was thrown as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
