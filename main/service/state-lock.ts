/**
 * One `skm` at a time per simulated key file. Each process loads the whole state file, changes
 * it in memory and writes it back, so two processes on the same file would silently lose one
 * another's changes (a passkey created by one vanishes when the other saves). An exclusive lock
 * file next to the state file ("<file>.lock", created with O_CREAT|O_EXCL) prevents that: the
 * second process fails at once with "in use by another skm" instead of waiting or overwriting.
 *
 * - The lock holds "<pid> <random token>"; a lock whose process no longer exists (a killed skm)
 *   is stale and taken over. Only the holder (same token) removes it; a live holder is never
 *   taken over.
 * - Taking over is atomic, so that of many skm started at once after a crash exactly one wins
 *   (two winners would overwrite each other's saves). Reading "stale" and then deleting is not
 *   enough: by the time one process deletes, another may already have replaced the stale lock
 *   with its own. So a takeover first creates "<lock>.<stale token>.takeover" with O_EXCL —
 *   only one process can, per stale lock — and then, holding it, re-reads the lock and deletes
 *   it only if it still holds that same stale content; then it creates its own lock with O_EXCL
 *   like anyone else. (proper-lockfile's stale takeover deletes without this re-check, and
 *   detects stale locks by age rather than by a dead process.)
 * - A folder nobody may write to (read-only mount, no permission) cannot hold a lock, and no
 *   process can save there either, so there is nothing to lose: the file is opened without a
 *   lock, and a change that has to be saved fails with FILE_ACCESS as before.
 * @module
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { AppError } from './errors.js';

/** Errors meaning "this folder cannot be written to" (not "something is wrong with the lock"). */
const READ_ONLY_CODES: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

export class StateFileLock {
  private released = false;

  private constructor(
    readonly lockPath: string,
    private readonly content: string | null,
  ) {}

  /** Whether this process holds the lock (false: read-only folder, opened without one). */
  get held(): boolean {
    return this.content !== null && !this.released;
  }

  /**
   * Lock `statePath` for this process.
   * @throws AppError DEVICE_BUSY when another live skm holds it; FILE_ACCESS when the lock
   *   cannot be created for another reason (missing folder).
   */
  static async acquire(statePath: string): Promise<StateFileLock> {
    const lockPath = `${statePath}.lock`;
    const content = `${process.pid} ${bytesToHex(randomBytes(8))}\n`;
    // Two attempts: the second only after a stale lock (dead process) was removed.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // O_EXCL and the content in one write: a reader sees no file, an empty one (being
        // written right now: respected as live) or the whole line.
        await writeFile(lockPath, content, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
        return new StateFileLock(lockPath, content);
      } catch (error) {
        const code = errnoCode(error);
        if (code !== undefined && READ_ONLY_CODES.has(code)) return new StateFileLock(lockPath, null);
        if (code !== 'EEXIST') throw new AppError('FILE_ACCESS', { path: statePath, details: errorText(error), cause: error });
      }
      const holder = await readHolder(lockPath);
      if (holder === 'gone') continue;
      if (holder !== null && !isAlive(holder.pid)) {
        if (await removeStale(lockPath, holder.text)) continue;
        // Another process is taking this stale lock over right now; it wins.
        throw inUse(statePath, lockPath, holder.pid);
      }
      throw inUse(statePath, lockPath, holder?.pid ?? null);
    }
    throw inUse(statePath, lockPath, null);
  }

  /** Remove the lock if this process still holds it; idempotent. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.released = true;
    const now = await readFile(this.lockPath, 'utf8').catch(() => null);
    if (now === this.content) await unlink(this.lockPath).catch(() => undefined);
  }
}

function inUse(statePath: string, lockPath: string, pid: number | null): AppError {
  return new AppError('DEVICE_BUSY', {
    reason: 'state-file-in-use',
    path: statePath,
    details: pid !== null ? `locked by process ${pid}` : `lock file ${lockPath} without a readable process id`,
  });
}

interface Holder {
  pid: number;
  token: string;
  /** The lock file's whole content, to check later that it is still this lock. */
  text: string;
}

/** The holder of a lock file; null when unreadable (being written right now); 'gone' when removed meanwhile. */
async function readHolder(lockPath: string): Promise<Holder | null | 'gone'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    return errnoCode(error) === 'ENOENT' ? 'gone' : null;
  }
  const match = /^(\d+) ([0-9a-f]+)\n$/.exec(text);
  return match ? { pid: Number(match[1]), token: match[2]!, text } : null;
}

/**
 * Delete a stale lock if this process is the one allowed to (see the module comment).
 * @returns false when another process holds the takeover of this stale lock.
 */
async function removeStale(lockPath: string, staleText: string): Promise<boolean> {
  const token = /^\d+ ([0-9a-f]+)\n$/.exec(staleText)![1]!;
  const takeoverPath = `${lockPath}.${token}.takeover`;
  try {
    await writeFile(takeoverPath, `${process.pid}\n`, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
  } catch {
    // EEXIST: someone else is taking it over; anything else: no takeover from here either.
    return false;
  }
  try {
    // Re-read while holding the takeover: only this exact stale lock may be deleted.
    const now = await readFile(lockPath, 'utf8').catch(() => null);
    if (now === staleText) await unlink(lockPath).catch(() => undefined);
    return true;
  } finally {
    await unlink(takeoverPath).catch(() => undefined);
  }
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) !== 'ESRCH';
  }
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
