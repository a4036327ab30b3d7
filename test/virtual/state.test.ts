// Virtual key state files: versioned JSON, full validation, atomic writes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../ctap/errors.js';
import {
  MAX_PIN_RETRIES,
  MAX_STATE_FILE_BYTES,
  STATE_FILE_VERSION,
  VirtualStateError,
  loadStateFile,
  newPowerUpState,
  newState,
  parseStateFile,
  removeStaleTempFiles,
  saveStateFile,
  serializeState,
  type VirtualKeyState,
} from '../../ctap/virtual/state.js';

function populated(): VirtualKeyState {
  const state = newState();
  state.pinHash = Uint8Array.from({ length: 16 }, (_, i) => i);
  state.pinLength = 6;
  state.pinRetries = 5;
  state.forcePinChange = true;
  state.minPinLength = 8;
  state.minPinLengthRpIds = ['example.com'];
  state.alwaysUv = true;
  state.credentials.push({
    id: Uint8Array.of(1, 2, 3),
    rpId: 'example.com',
    rpName: 'Example',
    userId: Uint8Array.of(9),
    userName: 'alice',
    userDisplayName: null,
    privateKey: new Uint8Array(32).fill(7),
    signCount: 12,
    credProtect: 2,
    largeBlobKey: null,
    discoverable: true,
    createdAt: 1_700_000_000_000,
  });
  state.templates.push({ id: Uint8Array.of(0xaa), friendlyName: 'Left thumb' });
  return state;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('newState / newPowerUpState', () => {
  it('starts factory-fresh with 8 PIN retries and reset allowed', () => {
    const state = newState();
    expect(state).toMatchObject({ pinHash: null, pinRetries: MAX_PIN_RETRIES, minPinLength: 4, credentials: [], templates: [] });
    const powerUp = newPowerUpState(1234);
    expect(powerUp).toMatchObject({ poweredAt: 1234, consecutivePinFailures: 0, token: null, resetPermission: true });
    expect(powerUp.keyAgreement.secretKey).toHaveLength(32);
  });
});

describe('serialise and parse', () => {
  it('round-trips every field, bytes included', () => {
    const state = populated();
    const parsed = parseStateFile(serializeState({ preset: 'bio', state }));
    expect(parsed.preset).toBe('bio');
    expect(parsed.state).toEqual(state);
    expect(parsed.state.credentials[0]!.privateKey).toBeInstanceOf(Uint8Array);
  });

  it('writes a versioned format with bytes as hex', () => {
    const json = JSON.parse(serializeState({ preset: 'ctap21', state: populated() })) as Record<string, unknown>;
    expect(json.format).toBe('skm-virtual-key');
    expect(json.version).toBe(STATE_FILE_VERSION);
    expect((json.state as Record<string, unknown>).pinHash).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it.each([
    ['not JSON', '{"format": "skm-virtual-key", '],
    ['another format', JSON.stringify({ format: 'other', version: 1, preset: 'ctap21', state: {} })],
    ['an unknown version', serializeState({ preset: 'ctap21', state: newState() }).replace('"version": 1', '"version": 99')],
    ['a PIN hash that is not hex', serializeState({ preset: 'ctap21', state: populated() }).replace('000102030405060708090a0b0c0d0e0f', 'zz0102030405060708090a0b0c0d0e0f')],
    ['too many retries', serializeState({ preset: 'ctap21', state: newState() }).replace('"pinRetries": 8', '"pinRetries": 9')],
    ['a missing field', serializeState({ preset: 'ctap21', state: newState() }).replace('"alwaysUv": false,', '')],
    ['an unknown field', serializeState({ preset: 'ctap21', state: newState() }).replace('"alwaysUv": false,', '"alwaysUv": false, "extra": 1,')],
  ])('rejects %s with a typed error', (_what, text) => {
    expect(() => parseStateFile(text, 'key.json')).toThrow(VirtualStateError);
    try {
      parseStateFile(text, 'key.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as VirtualStateError).message).toContain('key.json');
    }
  });
});

describe('consistency', () => {
  const withPreset = (preset: string): string => serializeState({ preset: 'ctap21', state: newState() }).replace('"preset": "ctap21"', `"preset": ${JSON.stringify(preset)}`);
  function credential(n: number): VirtualKeyState['credentials'][number] {
    return { ...populated().credentials[0]!, id: Uint8Array.of(n >> 8, n & 0xff) };
  }
  function stateWith(change: (state: VirtualKeyState) => void): string {
    const state = newState();
    change(state);
    return serializeState({ preset: 'ctap21', state });
  }

  it.each(['no-such-preset', '__proto__', 'toString', 'constructor', 'hasOwnProperty'])('rejects the unknown preset %s as a corrupt file', (preset) => {
    expect(() => parseStateFile(withPreset(preset), 'key.json')).toThrow(/names a preset that does not exist/);
  });

  it.each([
    ['more passkeys than slots', stateWith((s) => s.credentials.push(...Array.from({ length: 101 }, (_, i) => credential(i))))],
    ['duplicate credential ids', stateWith((s) => s.credentials.push(credential(1), credential(1)))],
    ['duplicate template ids', stateWith((s) => s.templates.push({ id: Uint8Array.of(1), friendlyName: null }, { id: Uint8Array.of(1), friendlyName: 'x' }))],
    ['pinRetries 0 without a PIN', stateWith((s) => (s.pinRetries = 0))],
    ['forcePinChange without a PIN', stateWith((s) => (s.forcePinChange = true))],
    ['a PIN length without a PIN', stateWith((s) => (s.pinLength = 6))],
    ['a PIN without a length', stateWith((s) => (s.pinHash = new Uint8Array(16)))],
    ['uvRetries above the maximum', stateWith((s) => (s.uvRetries = 99))],
  ])('rejects %s', (_what, text) => {
    expect(() => parseStateFile(text, 'key.json')).toThrow(/no key could be in/);
  });

  it('accepts a full key and a PIN-blocked one', () => {
    expect(parseStateFile(stateWith((s) => s.credentials.push(...Array.from({ length: 100 }, (_, i) => credential(i))))).state.credentials).toHaveLength(100);
    const blocked = stateWith((s) => Object.assign(s, { pinHash: new Uint8Array(16), pinLength: 6, pinRetries: 0 }));
    expect(parseStateFile(blocked).state.pinRetries).toBe(0);
  });
});

describe('files', () => {
  it('refuses a FIFO at once instead of blocking on it', async () => {
    const path = join(dir, 'fifo.json');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const started = Date.now();
    await expect(loadStateFile(path)).rejects.toThrow(/not a regular file/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a device such as /dev/zero without reading it', async () => {
    await expect(loadStateFile('/dev/zero')).rejects.toThrow(/not a regular file/);
  });

  it('refuses a file larger than the cap', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    await truncate(path, MAX_STATE_FILE_BYTES + 1);
    await expect(loadStateFile(path)).rejects.toBeInstanceOf(VirtualStateError);
  });

  it('removes temp files of dead writers and keeps those of live ones and other files', async () => {
    const path = join(dir, 'key.json');
    await saveStateFile(path, { preset: 'ctap21', state: newState() });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = [`key.json.${dead}.0123abcd.tmp`, `key.json.${process.pid}.89abcdef.tmp`, `other.json.${dead}.0123abcd.tmp`, `key.json.${dead}.zz.tmp`];
    for (const name of names) await writeFile(join(dir, name), '');
    expect(await removeStaleTempFiles(path)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['key.json', ...names.slice(1)].sort());
  });


  it('saves and loads a key', async () => {
    const path = join(dir, 'key.json');
    const state = populated();
    await saveStateFile(path, { preset: 'ctap21-pre', state });
    expect(await loadStateFile(path)).toEqual({ preset: 'ctap21-pre', state });
    expect(await readdir(dir)).toEqual(['key.json']);
  });

  it('a corrupt file is rejected and left exactly as it was', async () => {
    const path = join(dir, 'key.json');
    const corrupt = serializeState({ preset: 'ctap21', state: newState() }).slice(0, 100);
    await writeFile(path, corrupt);
    await expect(loadStateFile(path)).rejects.toBeInstanceOf(VirtualStateError);
    expect(await readFile(path, 'utf8')).toBe(corrupt);
  });

  it('replaces the old file whole, and a failed save leaves the target and no temp file behind', async () => {
    const path = join(dir, 'key.json');
    await saveStateFile(path, { preset: 'ctap21', state: newState() });
    await saveStateFile(path, { preset: 'ctap21', state: populated() });
    expect((await loadStateFile(path)).state.pinRetries).toBe(5);

    // A non-empty directory where the file should go: rename() fails after the temp file was written.
    const blocked = join(dir, 'blocked');
    await mkdir(blocked);
    await writeFile(join(blocked, 'keep'), 'x');
    await expect(saveStateFile(blocked, { preset: 'ctap21', state: newState() })).rejects.toThrow();
    expect(await readdir(blocked)).toEqual(['keep']);
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'key.json']);
  });
});
