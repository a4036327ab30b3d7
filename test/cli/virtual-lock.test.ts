// Two `skm --virtual SAME_FILE` at once must not lose one another's changes (each loads the
// whole file and writes it back): the second fails plainly while the first holds the file.
import { spawnSync } from 'node:child_process';
import { access, lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../main/cli/skm.js';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** Start `skm` with a stdin the test writes to later; the run waits at its first prompt. */
function startWaiting(argv: string[]): { stdin: PassThrough; done: Promise<{ code: number; stdout: string }> } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const done = run(argv, { stdin, stdout, stderr: new PassThrough(), env: {}, isTTY: false }, { hardwareSources: () => [] }).then((code) => ({
    code,
    stdout: Buffer.concat(chunks).toString('utf8'),
  }));
  return { stdin, done };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function storedRpIds(path: string): Promise<string[]> {
  const file = JSON.parse(await readFile(path, 'utf8')) as { state: { credentials: { rpId: string }[] } };
  return file.state.credentials.map((c) => c.rpId).sort();
}

describe('skm --virtual: one process per state file', () => {
  it('a second skm on a file in use fails plainly, and no change is silently lost', async () => {
    const path = tmp.file('key.json');
    expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);

    // The first run holds the key while it waits for its PIN.
    const first = startWaiting(['--virtual', path, '--json', 'test', '--resident', '--rp', 'first.example']);
    while (!(await exists(`${path}.lock`))) await new Promise((resolve) => setImmediate(resolve));

    const second = await skm(['--virtual', path, '--json', 'test', '--resident', '--rp', 'second.example'], { stdin: '123456\n' });
    first.stdin.end('123456\n');
    const firstResult = await first.done;

    expect(firstResult.code).toBe(0);
    expect(second.code).toBe(1);
    const error = parseJson<JsonError>(second).error;
    expect(error.code).toBe('DEVICE_BUSY');
    expect(error.message).toContain('in use by another skm');
    // Every run that reported success left its passkey in the file.
    expect(await storedRpIds(path)).toEqual(['first.example']);
    expect(await exists(`${path}.lock`)).toBe(false);

    // The file is free again.
    const again = await skm(['--virtual', path, '--json', 'test', '--resident', '--rp', 'second.example'], { stdin: '123456\n' });
    expect(again.code).toBe(0);
    expect(await storedRpIds(path)).toEqual(['first.example', 'second.example']);
  });

  it('takes over the lock of an skm that no longer runs (killed) and removes it afterwards', async () => {
    const path = tmp.file('key.json');
    expect((await skm(['--virtual', path, 'info'])).code).toBe(0);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    expect(gone).toBeGreaterThan(0);
    await writeFile(`${path}.lock`, `${gone} 0123456789abcdef\n`);

    const result = await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' });
    expect(result.code).toBe(0);
    expect(await exists(`${path}.lock`)).toBe(false);
  });

  it('a lock of a live skm that cannot be read is respected, and the error says how to clear it', async () => {
    const path = tmp.file('key.json');
    await writeFile(`${path}.lock`, '');
    const result = await skm(['--virtual', path, '--json', 'info']);
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('DEVICE_BUSY');
    expect(error.nextStep).toContain(`${path}.lock`);
    // Nothing was created for the locked key, and the foreign lock stays.
    expect(await exists(path)).toBe(false);
    expect(await exists(`${path}.lock`)).toBe(true);
  });

  it('releases the lock when loading fails (corrupt file)', async () => {
    const path = tmp.file('key.json');
    await writeFile(path, '{"broken"');
    expect((await skm(['--virtual', path, 'info'])).code).toBe(1);
    expect(await exists(`${path}.lock`)).toBe(false);
  });
});

describe('skm --virtual: Ctrl-C', () => {
  /** Run `pin change` on a key with a PIN, abort it once `ready` resolves; the run's code and JSON. */
  async function abortedPinChange(path: string, ready: (stdin: PassThrough) => Promise<unknown>): Promise<{ code: number; error: string }> {
    const controller = new AbortController();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const running = run(['--virtual', path, '--json', 'pin', 'change'], { stdin, stdout, stderr: new PassThrough(), env: {}, isTTY: false }, {
      hardwareSources: () => [],
      signal: controller.signal,
    });
    await ready(stdin);
    controller.abort();
    const code = await running;
    return { code, error: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonError).error.code };
  }

  it('while the state file is being read: CANCELLED (not a file error), the file unlocked', async () => {
    const path = tmp.file('key.json');
    expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
    const before = await readFile(path);
    const result = await abortedPinChange(path, async () => {
      while (!(await exists(`${path}.lock`))) await new Promise((resolve) => setImmediate(resolve));
    });
    expect(result).toEqual({ code: 130, error: 'CANCELLED' });
    expect(await readFile(path)).toEqual(before);
    expect(await exists(`${path}.lock`)).toBe(false);
  });

  it('at the PIN prompt: CANCELLED, the state file byte for byte, the file unlocked', async () => {
    const path = tmp.file('key.json');
    expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
    const before = await readFile(path);
    // The prompt resumes stdin when it starts waiting for the PIN.
    const result = await abortedPinChange(path, (stdin) => new Promise((resolve) => stdin.once('resume', resolve)));
    expect(result).toEqual({ code: 130, error: 'CANCELLED' });
    expect(await readFile(path)).toEqual(before);
    expect(await exists(`${path}.lock`)).toBe(false);
  });
});

describe('skm --virtual: a change that cannot be saved', () => {
  it('fails the command and says the change was not kept', async () => {
    const dir = tmp.file('gone');
    const path = `${dir}/key.json`;
    await mkdir(dir);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const running = run(['--virtual', path, '--json', 'pin', 'set'], { stdin, stdout, stderr: new PassThrough(), env: {}, isTTY: false }, { hardwareSources: () => [] });
    await new Promise((resolve) => stdin.once('resume', resolve));
    // The folder disappears while the PIN is typed: the key changes, the file cannot follow.
    await rm(dir, { recursive: true, force: true });
    stdin.end('123456\n');
    expect(await running).toBe(1);
    const error = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonError).error;
    expect(error.code).toBe('FILE_ACCESS');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not (saved|kept)/);
  });
});

describe('skm --virtual: one file under two names', () => {
  it('a symlink to a file in use is in use too; both names at once are one file', async () => {
    const path = tmp.file('key.json');
    const link = tmp.file('link.json');
    expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
    await symlink(path, link);

    const both = await skm(['--virtual', path, '--virtual', link, '--json', 'list']);
    expect(both.code).toBe(2);
    expect(parseJson<JsonError>(both).error.message).toContain('given twice');

    const first = startWaiting(['--virtual', path, '--json', 'test', '--resident', '--rp', 'first.example']);
    while (!(await exists(`${path}.lock`))) await new Promise((resolve) => setImmediate(resolve));
    const second = await skm(['--virtual', link, '--json', 'test', '--resident', '--rp', 'second.example'], { stdin: '123456\n' });
    first.stdin.end('123456\n');
    expect((await first.done).code).toBe(0);
    expect(second.code).toBe(1);
    expect(parseJson<JsonError>(second).error.code).toBe('DEVICE_BUSY');
    expect(await storedRpIds(path)).toEqual(['first.example']);
  });
});

describe('skm --virtual through a symlink', () => {
  it('saves into the linked file (the link stays a link) and shows the same key id', async () => {
    const path = tmp.file('key.json');
    const link = tmp.file('link.json');
    const [direct] = parseJson<{ id: string }[]>(await skm(['--virtual', path, '--json', 'list']));
    await symlink(path, link);
    const [linked] = parseJson<{ id: string }[]>(await skm(['--virtual', link, '--json', 'list']));
    expect(linked!.id).toBe(direct!.id);
    expect((await skm(['--virtual', link, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((JSON.parse(await readFile(path, 'utf8')) as { state: { pinHash: string | null } }).state.pinHash).not.toBeNull();
  });
});
