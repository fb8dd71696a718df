/** Anything with a dispose method: a vscode.Disposable, an Emitter, a subscription, a timer wrapper. */
export interface IDisposable {
  dispose(): unknown;
}

/**
 * Owns what it registers and disposes it once, in the order registered. Structurally a vscode.Disposable,
 * so code below the vscode layer can own listeners and timers the same way the views do.
 */
export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposedValue = false;

  protected get isDisposed(): boolean {
    return this.disposedValue;
  }

  dispose(): void {
    if (this.disposedValue) return;
    this.disposedValue = true;
    for (const d of this.owned.splice(0)) d.dispose();
  }

  /** Registered after dispose, it is disposed at once: nothing outlives its owner. */
  protected _register<T extends IDisposable>(d: T): T {
    if (this.disposedValue) d.dispose();
    else this.owned.push(d);
    return d;
  }
}

/** A disposable that runs `fn` once. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}
