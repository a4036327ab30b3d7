import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('skm wink', () => {
  it('blinks the chosen key with CTAPHID_WINK only (no CTAP2 command)', async () => {
    const file = tmp.file('key.json');
    const result = await skm(['--virtual', file, '--trace', 'wink']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Virtual FIDO2 Key (Simulated key) is blinking.\n');
    // --trace prints every CTAP2 command; a wink is a transport command and sends none.
    expect(result.stderr).not.toMatch(/GET_INFO|→/);
    const json = parseJson<{ winked: boolean; id: string }>(await skm(['--virtual', file, '--json', 'wink']));
    expect(json.winked).toBe(true);
    expect(json.id).toMatch(/^virtual:SIM/);
  });

  it('a U2F-only key can blink too', async () => {
    const result = await skm(['--virtual', tmp.file('u2f.json'), '--virtual-preset', 'u2f-only', 'wink']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Virtual U2F Key (Simulated key) is blinking.');
  });

  it('a key that cannot blink says so in words (exit 1)', async () => {
    const result = await skm(['--virtual', tmp.file('card.json'), '--virtual-preset', 'nfc-card', '--json', 'wink']);
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe('This security key cannot blink on request.');
    expect(error.nextStep).toContain(`skm --virtual ${tmp.file('card.json')} list`);
  });

  it('several keys and no --device: each blinks in turn, named, and `skm select` is suggested', async () => {
    const result = await skm(['--virtual', tmp.file('a.json'), '--virtual', tmp.file('b.json'), 'wink']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Virtual FIDO2 Key \(Simulated key\) \(virtual:SIM[0-9A-F]+\) is blinking\.$/);
    expect(lines[1]).toMatch(/\(virtual:SIM[0-9A-F]+\) is blinking\.$/);
    expect(lines[0]).not.toBe(lines[1]);
    expect(lines[2]).toBe(`To choose one of them by touch, run \`skm --virtual ${tmp.file('a.json')} --virtual ${tmp.file('b.json')} select\`.`);
    const json = await skm(['--virtual', tmp.file('a.json'), '--virtual', tmp.file('b.json'), '--json', 'wink']);
    expect(parseJson<{ keys: { id: string; winked: boolean }[] }>(json).keys.map((k) => k.winked)).toEqual([true, true]);
  });
});
