// The state-file lock after a crash: a stale lock (its process is dead) is taken over by exactly
// one of many skm started at the same moment, never by two (two holders overwrite each other's
// saves and passkeys are lost).
import { spawn, spawnSync } from 'node:child_process';
import { access, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/service/errors.js';
import { StateFileLock } from '../../main/service/state-lock.js';
import { tempDir } from '../cli/helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** A process id that no longer runs (one short-lived child, reused for every round). */
let deadPid: number | undefined;

async function writeStaleLock(path: string, round: number): Promise<void> {
  deadPid ??= spawnSync(process.execPath, ['-e', '']).pid!;
  await writeFile(`${path}.lock`, `${deadPid} ${round.toString(16).padStart(16, '0')}\n`);
}

type Attempt = { won: StateFileLock } | { busy: true };

async function attempt(path: string): Promise<Attempt> {
  try {
    return { won: await StateFileLock.acquire(path) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'DEVICE_BUSY') return { busy: true };
    throw error;
  }
}

describe('StateFileLock stale takeover', () => {
  it('hands a stale lock to exactly one of 40 concurrent attempts, round after round', async () => {
    for (let round = 0; round < 25; round++) {
      const path = tmp.file(`key-${round}.json`);
      await writeStaleLock(path, round);
      const attempts = await Promise.all(Array.from({ length: 40 }, () => attempt(path)));
      const winners = attempts.filter((a): a is { won: StateFileLock } => 'won' in a);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(winners[0]!.won.held).toBe(true);
      await winners[0]!.won.release();
    }
    // No takeover markers are left behind.
    expect((await readdir(tmp.dir)).filter((name) => name.endsWith('.takeover'))).toEqual([]);
  }, 60_000);

  it('hands a stale lock to exactly one of 6 skm processes started at the same instant', async () => {
    const contender = fileURLToPath(new URL('./helpers/lock-contender.ts', import.meta.url));
    for (let round = 0; round < 2; round++) {
      const path = tmp.file(`proc-${round}.json`);
      await writeStaleLock(path, round);
      const startAt = Date.now() + 3_000;
      const children = Array.from({ length: 6 }, () =>
        spawn(process.execPath, ['--import', 'tsx', contender, path, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] }),
      );
      // A winner holds the lock until every contender has answered, so a late one cannot
      // legitimately win after an early winner let go.
      const answers = children.map((child) => new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`contender exited with ${code} before answering`)));
      }));
      const exited = children.map((child) => new Promise<number | null>((resolve) => child.on('exit', resolve)));
      const outputs = await Promise.all(answers);
      for (const child of children) child.stdin.end();
      expect(await Promise.all(exited)).toEqual(Array(6).fill(0));
      expect(outputs.filter((o) => o === 'won'), `round ${round}: ${outputs.join(',')}`).toHaveLength(1);
      expect(outputs.filter((o) => o === 'busy')).toHaveLength(5);
      await expect(access(`${path}.lock`)).rejects.toThrow();
    }
  }, 120_000);

  it('still refuses a lock whose holder is alive', async () => {
    const path = tmp.file('live.json');
    const first = await StateFileLock.acquire(path);
    await expect(StateFileLock.acquire(path)).rejects.toMatchObject({ code: 'DEVICE_BUSY' });
    await first.release();
    const again = await StateFileLock.acquire(path);
    expect(again.held).toBe(true);
    await again.release();
  });
});
