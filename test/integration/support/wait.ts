/** Polls `probe` until it returns a value that is not undefined/false, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 100): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value as Exclude<T, false | undefined | null>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Reads `read` until `done` accepts what it returned, and returns that. On timeout the error shows the
 * last value read, so a failure says what was there, not only what was awaited.
 */
export async function waitUntil<T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  let seen = false;
  let last: T | undefined;
  try {
    const { value } = await waitFor(what, async () => {
      const value = await read();
      seen = true;
      last = value;
      return done(value) ? { value } : undefined;
    }, timeoutMs, everyMs);
    return value;
  } catch (err) {
    if (!seen) throw err;
    throw new Error(`${err instanceof Error ? err.message : String(err)}; last seen: ${JSON.stringify(last)?.slice(0, 2_000)}`, {
      cause: err,
    });
  }
}
