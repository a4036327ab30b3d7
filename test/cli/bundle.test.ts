// The built CLI (main/cli/build.mjs → an ES module and its chunks) run as its own process, as `npx skm` runs it.
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinHashHex, readState, tempDir } from './helpers.js';
import { passkey, PIN, seedKey } from './tty-session.js';

// Inside the repository, so the externals (node-hid, nfc-pcsc) resolve from node_modules.
const outfile = fileURLToPath(new URL(`../../dist/skm-test-${process.pid}.mjs`, import.meta.url));
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  const { buildCli } = await import('../../main/cli/build.mjs');
  await buildCli({ outfile });
  tmp = await tempDir();
});

afterAll(async () => {
  await rm(outfile, { force: true });
  const { chunkDir } = await import('../../main/cli/build.mjs');
  await rm(chunkDir(outfile), { recursive: true, force: true });
  await tmp.cleanup();
});

function skmProcess(args: string[], input = '', env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [outfile, ...args], { input, encoding: 'utf8', timeout: 15_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dist/skm.mjs', () => {
  it('is an executable node script', async () => {
    const text = await readFile(outfile, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(outfile)).mode & 0o111).not.toBe(0);
    // Native modules stay external (they load .node files relative to their own package); the
    // command's code is in chunks loaded on demand.
    const { chunkDir } = await import('../../main/cli/build.mjs');
    const chunks = await Promise.all((await readdir(chunkDir(outfile))).map((name) => readFile(join(chunkDir(outfile), name), 'utf8')));
    expect(chunks.some((chunk) => /from\s*["']node-hid["']/.test(chunk))).toBe(true);
    // cbor-x is bundled as plain JavaScript: its native string extractor is never loaded.
    expect([text, ...chunks].some((chunk) => chunk.includes('cbor-extract'))).toBe(false);
    // The desktop app's screen words stay out; the CLI's own words are in.
    const { enApp } = await import('../../main/copy/en-app.js');
    expect(chunks.some((chunk) => chunk.includes(enApp.nav.back))).toBe(false);
    expect(chunks.some((chunk) => chunk.includes('See, set, change or check the PIN of the key'))).toBe(true);
  });

  it('runs list, pin set and pin status against a --virtual file', () => {
    const key = tmp.file('key.json');
    const list = skmProcess(['--virtual', key, '--json', 'list']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
    const set = skmProcess(['--virtual', key, 'pin', 'set'], '8642135\n');
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('The PIN is set.\n');
    const status = skmProcess(['--virtual', key, '--json', 'pin', 'status']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pinSet: true, pinRetries: 8 });
  });

  it('keeps the PIN only as its hash in the state file', async () => {
    const key = tmp.file('key.json');
    expect((await readState(key)).state.pinHash).toBe(pinHashHex('8642135'));
  });

  it('exits 2 on an unknown option, 1 on a corrupt file, and never hangs on hardware discovery', () => {
    expect(skmProcess(['--nope']).code).toBe(2);
    const corrupt = tmp.file('corrupt.json');
    spawnSync('sh', ['-c', `printf 'garbage' > '${corrupt}'`]);
    const broken = skmProcess(['--virtual', corrupt, 'info']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('damaged');
    // Without --virtual: USB and PC/SC are scanned (pcscd may be absent); list always answers.
    const hardware = skmProcess(['--json', 'list']);
    expect(hardware.code).toBe(0);
    expect(Array.isArray(JSON.parse(hardware.stdout))).toBe(true);
  });

  it('without pcscd (pcsclite pointed at a missing socket) NFC counts as "no readers"', () => {
    const env = { ...process.env, PCSCLITE_CSOCK_NAME: `/nonexistent/pcscd-${process.pid}.comm` };
    const list = skmProcess(['--json', 'list'], '', env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { transport: string }[];
    expect(rows.filter((r) => r.transport === 'nfc')).toEqual([]);
    // On a machine without USB keys (CI), nothing is left to act on.
    if (rows.length === 0) {
      const info = skmProcess(['--verbose', 'info'], '', env);
      expect(info.code).toBe(3);
      expect(info.stderr).toContain('No security key found.');
    }
  });

  it('waits for a slow reader: --trace on a shell pipe arrives whole before skm exits', async () => {
    const key = tmp.file('many.json');
    const credentials = Array.from({ length: 100 }, (_, i) => passkey({ rpId: `site${i}.example`, user: `user${i}@example.com`, displayName: 'Someone with a long display name' }));
    await seedKey(key, { preset: 'ctap21', credentials });
    const args = ['--virtual', key, '--trace', 'creds', 'list'];
    // A pipe of Node's own reads as fast as skm writes; it gives the full length to compare with.
    const whole = skmProcess(args, `${PIN}\n`).stderr;
    expect(whole.length).toBeGreaterThan(70_000);
    // A shell pipe whose reader starts after skm is done fills up (64 KiB): what is still queued
    // when the work ends must not be dropped at exit.
    const quoted = [outfile, ...args].map((a) => `'${a}'`).join(' ');
    const late = spawnSync('sh', ['-c', `printf '%s\\n' ${PIN} | '${process.execPath}' ${quoted} 2>&1 >/dev/null | (sleep 5; wc -lc)`], { encoding: 'utf8', timeout: 60_000 });
    // Key agreement makes byte counts differ a little between runs; the lines are the same.
    const [lines, bytes] = late.stdout.trim().split(/\s+/).map(Number);
    expect(lines).toBe(whole.split('\n').length - 1);
    expect(bytes).toBeGreaterThan(70_000);
    // Three runs of skm and a reader that waits 5 s: slow on a loaded machine.
  }, 90_000);
});
