/**
 * "Show this run in the Runs view", asked by code below the views (a launch, a rerun) without knowing the
 * view: whoever shows runs listens. Asking waits for every listener, so a caller can rely on the reveal
 * having been tried before it goes on, as when it called the view itself.
 */
import type { Subscription } from '../core/emitter';

export type RevealListener = (runId: string) => void | Promise<void>;

export class RevealRequests {
  private readonly listeners = new Set<RevealListener>();

  onDidRequestReveal(listener: RevealListener): Subscription {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A courtesy: a listener that fails does not fail the action that asked. */
  async reveal(runId: string): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => Promise.resolve().then(() => listener(runId)).catch(() => undefined)));
  }

  dispose(): void {
    this.listeners.clear();
  }
}
