/**
 * Where a window keeps its log scratch files. Every VS Code window runs its own extension host, and all
 * of them share the extension's global storage: each takes a folder of its own, and cleans up only the
 * folders no living window owns, so a second window never destroys the first one's open logs.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const OWNER_FILE = 'owner.json';
/** A folder whose owner cannot be told (no owner file) is left alone for this long. */
const UNOWNED_GRACE_MS = 24 * 60 * 60_000;

export interface ScratchFolder {
  readonly path: string;
  /**
   * Settles once the folders of processes that are gone have been removed. That happens in the
   * background: a window that closed with a million-line log left behind must not slow the next start.
   */
  readonly cleaned: Promise<void>;
  /** Removes this window's folder and everything in it. */
  dispose(): void;
}

/** Takes a fresh folder under `root` for this process, and removes the folders of processes that are gone. */
export function claimScratchFolder(root: string, now = Date.now()): ScratchFolder {
  fs.mkdirSync(root, { recursive: true });
  const dir = path.join(root, `window-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, started: new Date(now).toISOString() }));
  let disposed = false;
  return {
    path: dir,
    cleaned: removeStale(root, dir, now),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function removeStale(root: string, mine: string, now: number): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (full === mine) continue;
    try {
      if (await isStale(full, entry, now)) await fs.promises.rm(full, { recursive: true, force: true });
    } catch {
      // Another window may be cleaning up the same folder at the same moment.
    }
  }
}

async function isStale(full: string, entry: fs.Dirent, now: number): Promise<boolean> {
  const owner = entry.isDirectory() ? await readOwner(full) : undefined;
  if (owner !== undefined) return !processAlive(owner);
  // Loose files (an older layout) and folders without an owner: only once they are old.
  return now - (await fs.promises.stat(full)).mtimeMs > UNOWNED_GRACE_MS;
}

async function readOwner(dir: string): Promise<number | undefined> {
  try {
    const pid = (JSON.parse(await fs.promises.readFile(path.join(dir, OWNER_FILE), 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
