import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, pinHashHex, readState, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('skm pin', () => {
  it('set: the PIN from stdin is stored on the key (and only its hash in the file)', async () => {
    const result = await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The PIN is set.\n');
    const file = await readFile(path, 'utf8');
    expect(JSON.parse(file).state.pinHash).toBe(pinHashHex('135790'));
    expect(file).not.toContain('135790');
    const status = parseJson<{ pinSet: boolean; pinRetries: number; minPinLength: number; forcePinChange: boolean }>(
      await skm(['--virtual', path, '--json', 'pin', 'status']),
    );
    // The same names as `skm info --json`.
    expect(status).toMatchObject({ pinSet: true, pinRetries: 8, minPinLength: 4, forcePinChange: false, maxPinLength: 63 });
    expect(status).not.toHaveProperty('retries');
  });

  it('status on a fresh key says "not set" in words', async () => {
    const result = await skm(['--virtual', path, 'pin', 'status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PIN:\s+not set/);
    expect(result.stdout).toMatch(/Tries left:\s+8/);
  });

  it('set: a PIN that is too short fails (exit 1) and nothing is sent to the key', async () => {
    await skm(['--virtual', path, 'list']);
    const before = await readFile(path);
    const result = await skm(['--virtual', path, '--trace', '--json', 'pin', 'set'], { stdin: '12\n' });
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('PIN_POLICY');
    expect(error.message).toContain('at least 4');
    expect(result.stderr).not.toMatch(/setPin|getKeyAgreement/);
    expect(await readFile(path)).toEqual(before);
  });

  it('set: empty stdin is a clear usage error', async () => {
    const result = await skm(['--virtual', path, 'pin', 'set'], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No PIN on standard input.');
    expect((await readState(path)).state.pinHash).toBeNull();
  });

  it('set on a key that has a PIN says to change it instead', async () => {
    await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    const result = await skm(['--virtual', path, '--json', 'pin', 'set'], { stdin: '246800\n' });
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error.code).toBe('PIN_ALREADY_SET');
    expect((await readState(path)).state.pinHash).toBe(pinHashHex('135790'));
  });

  it('change: current then new PIN, one per line', async () => {
    await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    const result = await skm(['--virtual', path, 'pin', 'change'], { stdin: '135790\n246800\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The PIN is changed.\n');
    expect((await readState(path)).state.pinHash).toBe(pinHashHex('246800'));
  });

  it('change with a wrong PIN says how many tries are left and what happens next', async () => {
    await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    const human = await skm(['--virtual', path, 'pin', 'change'], { stdin: '000000\n246800\n' });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('That PIN is wrong. 7 tries left.');
    expect(human.stderr).toMatch(/remove and reinsert the key/);
    expect((await readState(path)).state.pinRetries).toBe(7);

    const json = await skm(['--virtual', path, '--json', 'pin', 'change'], { stdin: '000000\n246800\n' });
    const error = parseJson<JsonError>(json).error;
    expect(error).toMatchObject({ code: 'PIN_INVALID', retries: 6 });
    expect((await readState(path)).state.pinHash).toBe(pinHashHex('135790'));
  });

  it('change on a key without a PIN says to set one', async () => {
    const result = await skm(['--virtual', path, '--json', 'pin', 'change'], { stdin: '135790\n246800\n' });
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error.code).toBe('PIN_NOT_SET');
  });

  it('change to the same PIN is refused on the host', async () => {
    await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    const result = await skm(['--virtual', path, '--json', 'pin', 'change'], { stdin: '135790\n135790\n' });
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error.code).toBe('PIN_POLICY');
    expect((await readState(path)).state.pinRetries).toBe(8);
  });

  it('a locked key (no tries left) is reported as blocked: only a reset helps', async () => {
    await skm(['--virtual', path, 'pin', 'set'], { stdin: '135790\n' });
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.state.pinRetries = 0;
    await writeFile(path, JSON.stringify(file));
    const result = await skm(['--virtual', path, 'pin', 'change'], { stdin: '135790\n246800\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The PIN is locked');
    expect(result.stderr).toMatch(/only a reset.*erases everything/);
  });

  it('--trace shows the exchange but no PIN-derived bytes', async () => {
    const setRun = await skm(['--virtual', path, '--trace', 'pin', 'set'], { stdin: '135790\n' });
    const changeRun = await skm(['--virtual', path, '--trace', 'pin', 'change'], { stdin: '135790\n246800\n' });
    expect(setRun.code).toBe(0);
    expect(changeRun.code).toBe(0);
    const trace = setRun.stderr + changeRun.stderr;
    expect(trace).toContain('CLIENT_PIN setPin');
    expect(trace).toContain('CLIENT_PIN changePin');
    expect(trace).toContain('<redacted');
    for (const pin of ['135790', '246800']) {
      expect(trace).not.toContain(pin);
      expect(trace).not.toContain(Buffer.from(pin).toString('hex'));
      expect(trace).not.toContain(pinHashHex(pin));
      expect(trace).not.toContain(pinHashHex(pin).slice(0, 12));
    }
  });
});
