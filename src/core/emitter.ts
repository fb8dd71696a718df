/** A minimal event emitter for code that must not import vscode; its shape matches vscode.Event. */
export type Listener<T> = (event: T) => void;
export interface Subscription {
  dispose(): void;
}
export type Event<T> = (listener: Listener<T>) => Subscription;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
