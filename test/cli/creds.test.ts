import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { b64url, loadState, passkey, PIN, seedKey, skmOnTerminal } from './tty-session.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import type { PasskeyRecord } from '../../main/service/operations/credentials.js';

type PasskeyJson = PasskeyRecord;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

function expected(c: StoredCredential): PasskeyJson {
  return {
    rpId: c.rpId,
    rpName: c.rpName,
    credentialId: b64url(c.id),
    userId: b64url(c.userId),
    userName: c.userName,
    userDisplayName: c.userDisplayName,
    credProtect: c.credProtect,
    largeBlobKey: c.largeBlobKey !== null,
  };
}

const byId = (a: { credentialId: string }, b: { credentialId: string }): number => a.credentialId.localeCompare(b.credentialId);

describe('skm creds list', () => {
  const alice = passkey({ rpId: 'example.com', rpName: 'Example', user: 'alice@example.com', displayName: 'Alice Liddell', credProtect: 2 });
  const bob = passkey({ rpId: 'example.com', rpName: 'Example', user: 'bob@example.com', credProtect: 3, largeBlobKey: true });
  const carol = passkey({ rpId: 'login.test', user: 'carol' });

  it('--json: every passkey with base64url ids, credProtect and a largeBlobKey flag (CTAP 2.1 key)', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [alice, bob, carol] });
    const result = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const list = parseJson<PasskeyJson[]>(result);
    expect([...list].sort(byId)).toEqual([alice, bob, carol].map(expected).sort(byId));
    for (const p of list) {
      expect(p.credentialId).not.toMatch(/[=+/]/);
      expect(p.userId).not.toMatch(/[=+/]/);
    }
  });

  it('human: grouped by website with account, credential id, protection, large blob key and the slot counts', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [alice, bob, carol] });
    const result = await skm(['--virtual', path, 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const out = result.stdout;
    // ctap21 has 100 slots (config.ts); three are used.
    expect(out).toContain('Passkeys stored: 3. Room for 97 more.');
    // One block per website (blank-line separated), each holding only its own accounts.
    const blocks = out.split('\n\n');
    const example = blocks.find((b) => b.startsWith('example.com (Example)\n'));
    const login = blocks.find((b) => b.startsWith('login.test\n'));
    expect(example).toContain('alice@example.com — Alice Liddell');
    expect(example).toContain('bob@example.com');
    expect(example).not.toContain('carol');
    expect(login).toContain('carol');
    expect(login).not.toContain('alice');
    expect(out).toContain(`Credential ID:   ${b64url(bob.id)}`);
    expect(out).toMatch(new RegExp(`${b64url(bob.id)}\\n\\s+Protection:\\s+level 3 \\(PIN always needed\\)\\n\\s+Large blob key:\\s+yes`));
    expect(out).toMatch(new RegExp(`${b64url(alice.id)}\\n\\s+Protection:\\s+level 2 .*\\n\\s+Large blob key:\\s+no`));
    // Non-interactive: no live progress lines, and the PIN never shows up anywhere.
    expect(result.stderr).not.toContain('Reading passkeys');
    expect(out + result.stderr).not.toContain(PIN);
  });

  it('--rp shows only that website, with the key-wide counts', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [alice, bob, carol] });
    const list = parseJson<PasskeyJson[]>(await skm(['--virtual', path, '--json', 'creds', 'list', '--rp', 'login.test'], { stdin: `${PIN}\n` }));
    expect(list).toEqual([expected(carol)]);
    const none = await skm(['--virtual', path, 'creds', 'list', '--rp', 'nowhere.test'], { stdin: `${PIN}\n` });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Passkeys stored: 3.');
    expect(none.stdout).toContain('There are no passkeys for nowhere.test on this key.');
  });

  it('an empty key says so in words with its slot count', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Passkeys stored: 0. Room for 100 more.\nThere are no passkeys on this key.\n');
  });

  it('works on a CTAP 2.1-PRE key (preview commands, legacy token) with a passkey made by `skm test --resident`', async () => {
    await seedKey(path, { preset: 'ctap21-pre' });
    const made = await skm(['--virtual', path, '--json', 'test', '--resident', '--rp', 'pre.example', '--user', 'dana'], { stdin: `${PIN}\n` });
    expect(made.code).toBe(0);
    const { credentialId } = parseJson<{ credentialId: string }>(made);
    const result = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const list = parseJson<PasskeyJson[]>(result);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ rpId: 'pre.example', userName: 'dana', credentialId });
    expect(b64url((await loadState(path)).credentials[0]!.id)).toBe(credentialId);
    const human = await skm(['--virtual', path, 'creds', 'list'], { stdin: `${PIN}\n` });
    // ctap21-pre has 25 slots.
    expect(human.stdout).toContain('Passkeys stored: 1. Room for 24 more.');
  });

  it('a CTAP 2.0 key says in words that it cannot list passkeys (exit 1, no list, no PIN asked)', async () => {
    await seedKey(path, { preset: 'ctap20', credentials: [carol] });
    const human = await skm(['--virtual', path, 'creds', 'list']);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/cannot list passkeys/);
    const json = await skm(['--virtual', path, '--json', 'creds', 'list']);
    expect(json.code).toBe(1);
    expect(parseJson<JsonError>(json).error.code).toBe('UNSUPPORTED');
  });

  it('a PIN from a pipe sends no getPINRetries (nobody sees the count): getInfo once, C + R + 4 commands', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [alice, bob, carol] });
    const result = await skm(['--virtual', path, '--json', '--trace', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const requests = result.stderr.split('\n').filter((line) => line.startsWith('→'));
    expect(requests.filter((line) => line.includes('getPinRetries'))).toEqual([]);
    expect(requests.filter((line) => line.startsWith('→ GET_INFO'))).toHaveLength(1);
    // 3 passkeys on 2 websites.
    expect(requests).toHaveLength(3 + 2 + 4);
  });

  it('a wrong PIN ends the run with the tries left (one try spent, nothing listed)', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [carol] });
    const result = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: '000000\n' });
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error).toMatchObject({ code: 'PIN_INVALID', retries: 7 });
    expect((await loadState(path)).pinRetries).toBe(7);
  });

  it('on a terminal a wrong PIN is asked again with the tries left, and the right one lists', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [carol] });
    const result = await skmOnTerminal(['--virtual', path, 'creds', 'list'], [
      { when: /Enter the PIN of your security key \(8 tries left\)/, type: '000000\r' },
      { when: /That PIN was wrong\. 7 tries left\.\nEnter the PIN/, type: `${PIN}\r` },
    ]);
    expect(result.unanswered).toBe(0);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(b64url(carol.id));
    // A correct PIN restores the counter (§6.5.5.7).
    expect((await loadState(path)).pinRetries).toBe(8);
  });

  it('a key that demands a new PIN says to change it first', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [carol], change: (state) => (state.forcePinChange = true) });
    const result = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('PIN_CHANGE_REQUIRED');
    expect(error.nextStep).toContain(`skm --virtual ${path} pin change`);
  });

  it('a key without a PIN says to set one first', async () => {
    await seedKey(path, { preset: 'ctap21', pin: null });
    const result = await skm(['--virtual', path, '--json', 'creds', 'list']);
    expect(result.code).toBe(1);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('PIN_NOT_SET');
    expect(error.nextStep).toContain(`skm --virtual ${path} pin set`);
  });
});

describe('skm creds delete', () => {
  it('takes an id that starts with "-" after "--" (base64url ids can)', async () => {
    const doomed = { ...passkey({ rpId: 'example.com', user: 'dash' }), id: new Uint8Array(32).fill(0xf8) };
    expect(b64url(doomed.id)[0]).toBe('-');
    await seedKey(path, { preset: 'ctap21', credentials: [doomed] });
    const result = await skm(['--virtual', path, '--yes', 'creds', 'delete', '--', b64url(doomed.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect((await loadState(path)).credentials).toEqual([]);
  });

  const keep = passkey({ rpId: 'example.com', rpName: 'Example', user: 'alice@example.com' });
  const doomed = passkey({ rpId: 'github.test', rpName: 'GitHub', user: 'octocat', displayName: 'The Octocat' });

  it('--yes deletes exactly that passkey and says which one', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [keep, doomed] });
    const result = await skm(['--virtual', path, '--yes', 'creds', 'delete', b64url(doomed.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Deleted the passkey for github.test (octocat, The Octocat).\n');
    const state = await loadState(path);
    expect(state.credentials.map((c) => b64url(c.id))).toEqual([b64url(keep.id)]);
  });

  it('asks first on a terminal, naming the website and account; "n" deletes nothing (PIN typed once)', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [keep, doomed] });
    const before = await readFile(path);
    const result = await skmOnTerminal(['--virtual', path, 'creds', 'delete', b64url(doomed.id)], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'n\n' },
    ]);
    expect(result.unanswered).toBe(0);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Delete the passkey for github.test (octocat)');
    expect(result.stderr).toContain('sign in to github.test as octocat');
    expect(result.stderr).toContain('Nothing was deleted.');
    expect(result.stderr.match(/Enter the PIN/g)).toHaveLength(1);
    expect(await readFile(path)).toEqual(before);
  });

  it('"y" on a terminal deletes it', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [keep, doomed] });
    const result = await skmOnTerminal(['--virtual', path, 'creds', 'delete', b64url(doomed.id)], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'y\n' },
    ]);
    expect(result.code).toBe(0);
    expect((await loadState(path)).credentials).toHaveLength(1);
  });

  it('without a terminal and without --yes it refuses (usage, exit 2) and deletes nothing', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [keep, doomed] });
    const result = await skm(['--virtual', path, 'creds', 'delete', b64url(doomed.id)], { stdin: `${PIN}\nn\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect((await loadState(path)).credentials).toHaveLength(2);
  });

  it('deletes on a CTAP 2.1-PRE key too (preview command, legacy token)', async () => {
    await seedKey(path, { preset: 'ctap21-pre', credentials: [keep, doomed] });
    const result = await skm(['--virtual', path, '--yes', 'creds', 'delete', b64url(keep.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect((await loadState(path)).credentials.map((c) => b64url(c.id))).toEqual([b64url(doomed.id)]);
  });

  it('an unknown id is a plain error; a malformed id is a usage error before anything is sent', async () => {
    await seedKey(path, { preset: 'ctap21', credentials: [keep] });
    const unknown = await skm(['--virtual', path, '--yes', '--json', 'creds', 'delete', b64url(new Uint8Array(32).fill(7))], { stdin: `${PIN}\n` });
    expect(unknown.code).toBe(1);
    expect(parseJson<JsonError>(unknown).error.code).toBe('CREDENTIAL_NOT_FOUND');
    const malformed = await skm(['--virtual', path, '--yes', '--json', 'creds', 'delete', 'not base64!'], { stdin: `${PIN}\n` });
    expect(malformed.code).toBe(2);
    expect(parseJson<JsonError>(malformed).error.code).toBe('USAGE');
    expect((await loadState(path)).credentials).toHaveLength(1);
  });
});

describe('skm creds update-user', () => {
  it('changes the account name and keeps the display name that was not given (CTAP 2.1)', async () => {
    const p = passkey({ rpId: 'example.com', user: 'old@example.com', displayName: 'Alice Liddell' });
    await seedKey(path, { preset: 'ctap21', credentials: [p] });
    const result = await skm(['--virtual', path, '--json', 'creds', 'update-user', b64url(p.id), '--name', 'new@example.com'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(parseJson<{ updated: PasskeyJson }>(result).updated).toMatchObject({ userName: 'new@example.com', userDisplayName: 'Alice Liddell' });
    const stored = (await loadState(path)).credentials[0]!;
    expect(stored.userName).toBe('new@example.com');
    expect(stored.userDisplayName).toBe('Alice Liddell');
    expect(stored.userId).toEqual(p.userId);

    await skm(['--virtual', path, 'creds', 'update-user', b64url(p.id), '--display-name', 'Alice L.'], { stdin: `${PIN}\n` });
    const again = (await loadState(path)).credentials[0]!;
    expect([again.userName, again.userDisplayName]).toEqual(['new@example.com', 'Alice L.']);
  });

  it('a CTAP 2.1-PRE key says in words that it cannot, before asking for the PIN', async () => {
    const p = passkey({ rpId: 'example.com', user: 'old@example.com' });
    await seedKey(path, { preset: 'ctap21-pre', credentials: [p] });
    const result = await skm(['--virtual', path, 'creds', 'update-user', b64url(p.id), '--name', 'new']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot rename passkeys');
    expect((await loadState(path)).credentials[0]!.userName).toBe('old@example.com');
  });

  it('needs --name or --display-name', async () => {
    const result = await skm(['--virtual', path, 'creds', 'update-user', 'AAAA']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--name');
  });
});
