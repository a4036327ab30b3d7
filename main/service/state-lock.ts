/**
 * One `skm` at a time per simulated key file. Each process loads the whole state file, changes
 * it in memory and writes it back, so two processes on the same file would silently lose one
 * another's changes (a passkey created by one vanishes when the other saves). An exclusive lock
 * file next to the state file ("<file>.lock", created with O_CREAT|O_EXCL) prevents that: the
 * second process fails at once with "in use by another skm" instead of waiting or overwriting.
 *
 * - The lock holds "<pid> <random token>"; a lock whose process no longer exists (a killed skm)
 *   is stale and taken over. Only the holder (same token) removes it. Taking over is not
 *   atomic: two skm started at the same instant after a crash could both take a stale lock —
 *   acceptable for a practice key; a live holder is never taken over.
 * - A folder nobody may write to (read-only mount, no permission) cannot hold a lock, and no
 *   process can save there either, so there is nothing to lose: the file is opened without a
 *   lock, and a change that has to be saved fails with FILE_ACCESS as before.
 * @module
 */
import { open, readFile, unlink } from 'node:fs/promises';
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
        const handle = await open(lockPath, 'wx', 0o600);
        try {
          await handle.writeFile(content, 'utf8');
        } finally {
          await handle.close();
        }
        return new StateFileLock(lockPath, content);
      } catch (error) {
        const code = errnoCode(error);
        if (code !== undefined && READ_ONLY_CODES.has(code)) return new StateFileLock(lockPath, null);
        if (code !== 'EEXIST') throw new AppError('FILE_ACCESS', { path: statePath, details: errorText(error), cause: error });
      }
      const holder = await readHolder(lockPath);
      if (holder === 'gone') continue;
      if (holder !== null && !isAlive(holder)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      throw inUse(statePath, lockPath, holder);
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

/** The pid in a lock file; null when unreadable (being written right now); 'gone' when removed meanwhile. */
async function readHolder(lockPath: string): Promise<number | null | 'gone'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    return errnoCode(error) === 'ENOENT' ? 'gone' : null;
  }
  const match = /^(\d+) [0-9a-f]+\n$/.exec(text);
  return match ? Number(match[1]) : null;
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
