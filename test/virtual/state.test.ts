// Virtual key state files: versioned JSON, full validation, atomic writes.
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../ctap/errors.js';
import {
  MAX_PIN_RETRIES,
  STATE_FILE_VERSION,
  VirtualStateError,
  loadStateFile,
  newPowerUpState,
  newState,
  parseStateFile,
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

describe('files', () => {
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
