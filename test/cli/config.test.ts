import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { loadState, PIN, seedKey, skmOnTerminal } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('skm config always-uv', () => {
  it('on / off with --yes changes the key; asking for the state it already has changes nothing', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const on = await skm(['--virtual', path, '--yes', 'config', 'always-uv', 'on'], { stdin: `${PIN}\n` });
    expect(on.code).toBe(0);
    expect(on.stdout).toBe('Always require the PIN or a fingerprint: now on.\n');
    expect((await loadState(path)).alwaysUv).toBe(true);

    const before = await readFile(path);
    const again = await skm(['--virtual', path, '--yes', '--json', 'config', 'always-uv', 'on']);
    expect(again.code).toBe(0);
    expect(parseJson(again)).toEqual({ alwaysUv: true, changed: false });
    expect(await readFile(path)).toEqual(before);

    const off = await skm(['--virtual', path, '--yes', '--json', 'config', 'always-uv', 'off'], { stdin: `${PIN}\n` });
    expect(parseJson(off)).toEqual({ alwaysUv: false, changed: true });
    expect((await loadState(path)).alwaysUv).toBe(false);
  });

  it('explains the side effects on a terminal first; "n" changes nothing', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const before = await readFile(path);
    const result = await skmOnTerminal(['--virtual', path, 'config', 'always-uv', 'on'], [{ when: /Continue\? \[y\/N\]/, type: 'n\n' }]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Always require the PIN or a fingerprint:');
    expect(result.stderr).toContain('A reset turns this off again.');
    expect(result.stderr).toContain('Nothing was changed.');
    expect(await readFile(path)).toEqual(before);
  });

  it('without a terminal and without --yes it refuses before sending anything (exit 2)', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'config', 'always-uv', 'on'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect((await loadState(path)).alwaysUv).toBe(false);
  });

  it('a key without a PIN is changed without one, and is told to get one', async () => {
    await seedKey(path, { preset: 'ctap21', pin: null });
    const result = await skmOnTerminal(['--virtual', path, 'config', 'always-uv', 'on'], [{ when: /Continue\? \[y\/N\]/, type: 'y\n' }]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('This key has no PIN yet');
    expect(result.stderr).not.toContain('Enter the PIN');
    expect((await loadState(path)).alwaysUv).toBe(true);
  });

  it('a CTAP 2.1-PRE key says in words that it has no such setting; a bad argument is a usage error', async () => {
    await seedKey(path, { preset: 'ctap21-pre' });
    const result = await skm(['--virtual', path, '--yes', '--json', 'config', 'always-uv', 'on']);
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error).toMatchObject({ code: 'UNSUPPORTED' });
    expect(parseJson<JsonError>(result).error.message).toContain('no settings that can be changed');
    const bad = await skm(['--virtual', path, 'config', 'always-uv', 'maybe']);
    expect(bad.code).toBe(2);
  });
});

describe('skm config min-pin-length', () => {
  it('raises the minimum (with sites and a forced change); it cannot go down again', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--yes', '--json', 'config', 'min-pin-length', '8', '--rp', 'example.com', '--rp', 'login.test', '--force-change'], {
      stdin: `${PIN}\n`,
    });
    expect(result.code).toBe(0);
    expect(parseJson(result)).toEqual({ minPinLength: 8, forcePinChange: true, rpIds: ['example.com', 'login.test'] });
    const state = await loadState(path);
    expect(state.minPinLength).toBe(8);
    expect(state.minPinLengthRpIds).toEqual(['example.com', 'login.test']);
    expect(state.forcePinChange).toBe(true);

    const lower = await skm(['--virtual', path, '--yes', '--json', 'config', 'min-pin-length', '6'], { stdin: `${PIN}\n` });
    expect(lower.code).toBe(1);
    const error = parseJson<JsonError>(lower).error;
    expect(error.code).toBe('NOT_ALLOWED');
    expect(error.message).toContain('can only go up until the key is reset');
    expect((await loadState(path)).minPinLength).toBe(8);
  });

  it('explains on a terminal that the minimum only goes up until a reset, then applies it', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skmOnTerminal(['--virtual', path, 'config', 'min-pin-length', '6'], [
      { when: /Continue\? \[y\/N\]/, type: 'y\n' },
      { when: /Enter the PIN/, type: `${PIN}\r` },
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('PINs on this key will need at least 6 characters.');
    expect(result.stderr).toContain('The minimum can only go up until the key is reset.');
    expect(result.stdout).toBe('Minimum PIN length: 6 characters.\n');
    const state = await loadState(path);
    expect(state.minPinLength).toBe(6);
    expect(state.forcePinChange).toBe(false);
  });

  it('lengths outside 4–63 are usage errors', async () => {
    for (const n of ['3', '64', 'six']) {
      const result = await skm(['--virtual', path, 'config', 'min-pin-length', n]);
      expect(result.code).toBe(2);
    }
  });
});

describe('skm config enterprise-attestation', () => {
  it('enable --yes turns it on in the key', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--yes', 'config', 'enterprise-attestation', 'enable'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Enterprise attestation is on. A reset turns it off again.\n');
    expect((await loadState(path)).enterpriseAttestation).toBe(true);

    const before = await readFile(path);
    const again = await skm(['--virtual', path, '--json', 'config', 'enterprise-attestation', 'enable']);
    expect(again.code).toBe(0);
    expect(parseJson(again)).toEqual({ enterpriseAttestation: true, changed: false });
    expect(await readFile(path)).toEqual(before);
  });

  it('says on a terminal that a reset disables it again; "n" leaves it off', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skmOnTerminal(['--virtual', path, 'config', 'enterprise-attestation', 'enable'], [{ when: /Continue\? \[y\/N\]/, type: 'n\n' }]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('A reset disables enterprise attestation again.');
    expect((await loadState(path)).enterpriseAttestation).toBe(false);
  });

  it('only "enable" is accepted', async () => {
    const result = await skm(['--virtual', path, 'config', 'enterprise-attestation', 'disable']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('There is no command "disable".');
    expect(result.stderr).toContain('skm config enterprise-attestation --help');
  });
});
