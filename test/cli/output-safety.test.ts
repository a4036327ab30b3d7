// What reaches a terminal cannot steer it (names chosen by websites are shown as visible
// escapes), JSON stays exact, secrets given by mistake on the command line are never repeated,
// and echoed input is capped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { neutralise, table, wrap } from '../../main/cli/terminal-text.js';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { b64url, passkey, PIN, seedKey, skmOnTerminal } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

/** Clear the screen, turn red, ring the bell; then a right-to-left override and a C1 CSI. */
const HOSTILE = '\x1b[2J\x1b[31mPWNED\x07';
const BIDI = 'evil\u202Emoc.elpmaxe';
const C1 = 'a\u009b31mb';

/** Raw control or direction characters other than our own line ending. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('terminal injection', () => {
  const hostile = passkey({ rpId: 'evil.test', rpName: HOSTILE, user: BIDI, displayName: C1 });

  it('creds list shows control and bidi characters as visible escapes; --json keeps them exact', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [hostile] });
    const human = await skm(['--virtual', path, 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(RAW);
    expect(human.stdout).toContain('\\x1b[2J\\x1b[31mPWNED\\x07');
    expect(human.stdout).toContain('evil\\u202emoc.elpmaxe');
    expect(human.stdout).toContain('a\\x9b31mb');
    const json = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    const [record] = parseJson<{ rpName: string; userName: string; userDisplayName: string }[]>(json);
    expect(record).toMatchObject({ rpName: HOSTILE, userName: BIDI, userDisplayName: C1 });
  });

  it('--trace shows what the key sent with the same visible escapes', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [hostile] });
    const traced = await skm(['--virtual', path, '--trace', '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(traced.code).toBe(0);
    expect(traced.stderr).toContain('moc.elpmaxe');
    expect(traced.stderr).not.toMatch(RAW);
  });

  it('the delete confirmation on a terminal cannot be overwritten by the account name', async () => {
    const victim = passkey({ rpId: 'evil.test', user: HOSTILE });
    await seedKey(path, { preset: 'ctap21', credentials: [victim] });
    const confirm = await skmOnTerminal(['--virtual', path, 'creds', 'delete', b64url(victim.id)], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'n\n' },
    ]);
    expect(confirm.code).toBe(4);
    expect(confirm.stderr).toContain('\\x1b[2J\\x1b[31mPWNED\\x07');
    expect(confirm.stderr).not.toContain('\x1b[2J');
    expect(confirm.stderr).not.toContain('\x07');
  });

  it('neutralise keeps line feeds and printable text, and is idempotent', () => {
    expect(neutralise('a\tb\r\nc\u2066d')).toBe('a\\x09b\\x0d\nc\\u2066d');
    expect(neutralise(neutralise(HOSTILE))).toBe(neutralise(HOSTILE));
    expect(neutralise('Zoë 日本 🔑')).toBe('Zoë 日本 🔑');
  });
});

describe('secrets and long input are never repeated in full', () => {
  it('a PIN given as an option value is not echoed, in any form', async () => {
    for (const argv of [
      ['--pin=482913', 'pin', 'set'],
      ['pin', 'set', '--pin=482913'],
      ['pin', 'change', '-p482913'],
      ['--json', 'pin', 'verify', '--current-pin=482913'],
      ['pin', '482913'],
      ['pin', 'set', '482913'],
      ['config', 'min-pin-length', '482913'],
    ]) {
      const result = await skm(['--virtual', path, ...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout + result.stderr, argv.join(' ')).not.toContain('482913');
    }
    const named = await skm(['--virtual', path, 'pin', 'set', '--pin=482913']);
    expect(named.stderr).toContain('There is no option --pin.');
  });

  it('a huge credential id is not repeated in full (the JSON error stays small)', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [passkey({ rpId: 'a.test', user: 'a' })] });
    const huge = 'A'.repeat(130_000);
    const result = await skm(['--virtual', path, '--json', '--verbose', 'creds', 'delete', huge], { stdin: `${PIN}\n` });
    expect(result.code).toBe(2);
    expect(result.stdout.length).toBeLessThan(2_000);
    const human = await skm(['--virtual', path, 'creds', 'delete', huge], { stdin: `${PIN}\n` });
    expect(human.stderr.length).toBeLessThan(2_000);
    // A valid id that matches nothing: the details name only its start.
    const absent = await skm(['--virtual', path, '--json', 'creds', 'delete', 'B'.repeat(2_000)], { stdin: `${PIN}\n` });
    expect(parseJson<JsonError>(absent).error.code).toBe('CREDENTIAL_NOT_FOUND');
    expect(absent.stdout.length).toBeLessThan(2_000);
  });

  it('an unknown command word is cut to a readable length', async () => {
    const result = await skm(['x'.repeat(5_000)]);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeLessThan(500);
  });
});

describe('wrapping to the terminal', () => {
  it('wraps at spaces with a hanging indent under bullets and labels, measuring wide characters as two columns', () => {
    const bullet = `  • ${'word '.repeat(30).trim()}`;
    for (const line of wrap(bullet, 40).split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrap(bullet, 40).split('\n')[1]).toMatch(/^ {4}word/);
    const wide = '日本語のテキスト'.repeat(10);
    const lines = wrap(wide, 20).split('\n');
    expect(lines.length).toBeGreaterThan(7);
    expect(wrap(bullet, undefined)).toBe(bullet);
  });

  it('a table wider than the terminal wraps its widest column inside the cell', () => {
    const rows = table(['ID', 'DESCRIPTION'], [['ctap21', 'A CTAP 2.1 key with a PIN, passkey management, settings and 25 or more passkey slots']], 40);
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(40);
    expect(rows[2]).toMatch(/^ {8}\S/);
  });

  it('skm output on a terminal of 50 columns stays within it; a pipe gets whole lines', async () => {
    const { run } = await import('../../main/cli/skm.js');
    const { PassThrough, Readable } = await import('node:stream');
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const code = await run(['virtual-key', 'presets'], { stdin: Readable.from([]), stdout: out, stderr: new PassThrough(), env: {}, isTTY: false, columns: { stdout: 50 } });
    expect(code).toBe(0);
    for (const line of Buffer.concat(chunks).toString('utf8').trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    const piped = await skm(['virtual-key', 'presets']);
    expect(Math.max(...piped.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(50);
  });
});

describe('progress', () => {
  it('without a terminal, fingerprint guidance appears once per sample and "added" once', async () => {
    await seedKey(path, { preset: 'bio' });
    const result = await skm(['--virtual', path, 'bio', 'enroll'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stderr.match(/Fingerprint added/g) ?? []).toHaveLength(0);
    expect(result.stdout.match(/Fingerprint added/g)).toHaveLength(1);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr.match(/more touch(es)? needed/g)).toHaveLength(3);
  });

  it('on a terminal, test steps are one live line (redrawn in place) and the result lists each step once', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skmOnTerminal(['--virtual', path, 'test', '--resident'], [{ when: /Enter the PIN/, type: `${PIN}\r` }]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/The signature is valid/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/The signature is valid[^\r]*\n/);
    // The closing block is aligned: every value starts in the same column.
    const block = result.stdout.split('\n').filter((l) => /^(Credential ID|Signature|PIN or fingerprint):/.test(l));
    expect(block).toHaveLength(3);
    expect(new Set(block.map((l) => l.search(/:\s+\S/) + l.slice(l.indexOf(':') + 1).search(/\S/) + 1)).size).toBe(1);
  });

  it('names each website by its domain, never its display name, in progress and confirmations', async () => {
    const a = passkey({ rpId: 'a.example', rpName: 'Same Name', user: 'x' });
    await seedKey(path, { preset: 'ctap21', credentials: [a, passkey({ rpId: 'b.example', rpName: 'Same Name', user: 'y' })] });
    const list = await skmOnTerminal(['--virtual', path, 'creds', 'list'], [{ when: /Enter the PIN/, type: `${PIN}\r` }]);
    expect(list.stderr).toContain('\rReading passkeys for a.example (1/2)');
    expect(list.stderr).toContain('\rReading passkeys for b.example (2/2)');
    expect(list.stderr).not.toContain('Same Name');
    const remove = await skmOnTerminal(['--virtual', path, 'creds', 'delete', b64url(a.id)], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'n\n' },
    ]);
    expect(remove.stderr).toContain('Delete the passkey for a.example (x)');
    expect(remove.stderr).not.toContain('Same Name');
  });

  it('Ctrl-C at the PIN prompt ends with 130 and plain words, no "Error:"', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skmOnTerminal(['--virtual', path, 'pin', 'change'], [{ when: /Enter the PIN/, type: '\x03' }]);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelled.');
    expect(result.stderr).not.toContain('Error:');
    expect(result.stderr).not.toContain('Run the command again');
  });
});
