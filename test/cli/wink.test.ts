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
    expect(error.nextStep).toContain('skm list');
  });

  it('several keys and no --device: "which key?" (exit 3)', async () => {
    const result = await skm(['--virtual', tmp.file('a.json'), '--virtual', tmp.file('b.json'), 'wink']);
    expect(result.code).toBe(3);
  });
});
