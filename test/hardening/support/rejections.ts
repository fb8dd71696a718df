/** Unhandled rejections and uncaught exceptions seen in the extension host since the suite started. */
import { shared, type Rejection } from './ledger';

export function rejectionMark(): number {
  return shared().rejections.length;
}

/**
 * Those since `mark` that stayed unhandled. Waits a little first: Node reports a rejection at once and
 * takes it back (`rejectionHandled`) when a handler is attached later, as VS Code does within a second.
 */
export async function unhandledSince(mark: number): Promise<Rejection[]> {
  await new Promise((r) => setTimeout(r, 1_500));
  return shared().rejections.slice(mark).filter((r) => !r.handledLater);
}

export function describeRejections(list: Rejection[]): string {
  return list.map((r) => `${r.kind}: ${r.message}\n${r.stack.split('\n').slice(0, 6).join('\n')}`).join('\n\n');
}
