// A reader that goes away (`skm … | head -1`, a closed log pipe) must not crash skm in the middle
// of an operation: the operation finishes, the simulated key is saved and its file unlocked.
import { access } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../main/cli/skm.js';
import { pinHashHex, readState, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** A pipe whose reader has gone: every write fails with EPIPE. */
function brokenPipe(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
}

describe('skm with a closed stdout or stderr', () => {
  for (const closed of ['stdout', 'stderr'] as const) {
    it(`${closed} closed: the PIN is still set and saved, the file unlocked`, async () => {
      const path = tmp.file('key.json');
      const stdin = Readable.from([Buffer.from('123456\n')]);
      const io = { stdin, stdout: brokenPipe(), stderr: brokenPipe(), env: {}, isTTY: false };
      if (closed === 'stdout') io.stderr = new Writable({ write: (_c, _e, cb) => cb() });
      else io.stdout = new Writable({ write: (_c, _e, cb) => cb() });
      const code = await run(['--virtual', path, '--trace', '--json', 'pin', 'set'], io, { hardwareSources: () => [] });
      // Let any late stream error surface inside this test.
      await new Promise((resolve) => setImmediate(resolve));
      expect(code).toBe(0);
      expect((await readState(path)).state.pinHash).toBe(pinHashHex('123456'));
      await expect(access(`${path}.lock`)).rejects.toThrow(/ENOENT/);
    });
  }
});
