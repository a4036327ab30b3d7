import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { b64url, loadState, passkey, PIN, seedKey } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

interface TestJson {
  passed: boolean;
  rpId: string;
  userName: string;
  discoverable: boolean;
  credentialId: string;
  attestation: { kind: string; valid?: boolean | null };
  signatureValid: boolean;
  signCount: number;
  userVerified: boolean;
  steps: { step: string; ok: boolean; detail: string }[];
}

describe('skm test', () => {
  it('--resident with the PIN: every step in --json, and the passkey is then in `skm creds list`', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--json', 'test', '--resident', '--rp', 'example.com', '--user', 'alice'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const report = parseJson<TestJson>(result);
    expect(report).toMatchObject({ passed: true, rpId: 'example.com', userName: 'alice', discoverable: true, signatureValid: true, userVerified: true, signCount: 1 });
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['unlock', true],
      ['make-credential', true],
      ['attestation', true],
      ['get-assertion', true],
      ['signature', true],
    ]);
    const stored = (await loadState(path)).credentials;
    expect(stored).toHaveLength(1);
    expect(b64url(stored[0]!.id)).toBe(report.credentialId);
    expect(stored[0]).toMatchObject({ rpId: 'example.com', userName: 'alice', discoverable: true });

    const list = parseJson<{ rpId: string; credentialId: string; userName: string }[]>(await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` }));
    expect(list).toEqual([expect.objectContaining({ rpId: 'example.com', userName: 'alice', credentialId: report.credentialId })]);
  });

  it('human: each step, then the verified signature', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'test'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5).every((l) => l.startsWith('✓ '))).toBe(true);
    expect(result.stdout).toContain('The signature is valid');
    expect(result.stdout).toMatch(/Signature:\s+valid \(signature counter 1\)/);
    expect(result.stderr).toContain('Touch your security key');
    expect(result.stdout + result.stderr).not.toContain(PIN);
  });

  it('running it twice replaces the test passkey instead of filling the key', async () => {
    await seedKey(path, { preset: 'ctap21' });
    await skm(['--virtual', path, 'test', '--resident'], { stdin: `${PIN}\n` });
    await skm(['--virtual', path, 'test', '--resident'], { stdin: `${PIN}\n` });
    expect((await loadState(path)).credentials).toHaveLength(1);
  });

  it('without --resident nothing is stored on the key; a key without a PIN is tested without asking for one', async () => {
    await seedKey(path, { preset: 'ctap21', pin: null });
    const result = await skm(['--virtual', path, '--json', 'test']);
    expect(result.code).toBe(0);
    const report = parseJson<TestJson>(result);
    expect(report.discoverable).toBe(false);
    expect(report.steps.map((s) => s.step)).not.toContain('unlock');
    expect(report.userVerified).toBe(false);
    // The simulated key keeps non-discoverable credentials in its state too (a real key wraps
    // them into the credential id); none of them is a passkey stored on the key.
    expect((await loadState(path)).credentials.filter((c) => c.discoverable)).toEqual([]);
  });

  it('a wrong PIN fails with the tries left and creates nothing', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--json', 'test', '--resident'], { stdin: '000000\n' });
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error).toMatchObject({ code: 'PIN_INVALID', retries: 7 });
    const state = await loadState(path);
    expect(state.credentials).toEqual([]);
    expect(state.pinRetries).toBe(7);
  });

  it('a full key fails in words at the make-credential step and keeps every passkey', async () => {
    const full = Array.from({ length: 25 }, (_, i) => passkey({ rpId: `site${i}.test`, user: `user${i}` }));
    await seedKey(path, { preset: 'slots-25', credentials: full });
    const result = await skm(['--virtual', path, '--json', 'test', '--resident'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('KEY_STORE_FULL');
    expect(error.details).toContain('make-credential');
    expect((await loadState(path)).credentials).toHaveLength(25);
  });

  it('a CTAP 2.0 key passes; a U2F-only key is refused in words', async () => {
    await seedKey(path, { preset: 'ctap20' });
    const ok = await skm(['--virtual', path, '--json', 'test', '--resident'], { stdin: `${PIN}\n` });
    expect(ok.code).toBe(0);
    expect(parseJson<TestJson>(ok).discoverable).toBe(true);

    const u2f = await skm(['--virtual', tmp.file('u2f.json'), '--virtual-preset', 'u2f-only', '--json', 'test']);
    expect(u2f.code).toBe(1);
    expect(parseJson<JsonError>(u2f).error.code).toBe('NOT_FIDO2');
  });
});
