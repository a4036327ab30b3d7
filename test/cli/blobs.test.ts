/**
 * Large blobs from the command line, on a simulated key kept in a state file: `skm blobs list |
 * show | delete | prune` and `skm test --resident --large-blob TEXT`; each test checks the
 * output and what the state file holds afterwards.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLargeBlob, parseLargeBlobEntry, sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { parseLargeBlobArray, serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
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

describe('skm test --large-blob', () => {
  it('stores the text beside the test passkey, encrypted with its largeBlobKey', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--json', 'test', '--resident', '--large-blob', 'hello blob'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(parseJson<{ largeBlobSize: number }>(result).largeBlobSize).toBe(10);
    const state = await loadState(path);
    const array = parseLargeBlobArray(state.largeBlobArray);
    if (array.kind !== 'valid') throw new Error(array.kind);
    expect(array.entries).toHaveLength(1);
    const opened = openLargeBlob(state.credentials[0]!.largeBlobKey!, parseLargeBlobEntry(array.entries[0]!)!);
    expect(opened).toEqual({ kind: 'opened', data: new TextEncoder().encode('hello blob') });
  });

  it('needs --resident (usage error, nothing sent)', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'test', '--large-blob', 'x'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resident');
    expect((await loadState(path)).credentials).toEqual([]);
  });
});

const note = new TextEncoder().encode('ssh-ed25519-cert-v01@openssh.com AAAA');
const binary = Uint8Array.of(0, 1, 2, 0xff);

/** alice: a text blob; bob: binary; carol: a largeBlobKey, no blob; dave: no largeBlobKey; one orphan. */
async function seedBlobs(): Promise<Record<'alice' | 'bob' | 'carol' | 'dave', StoredCredential>> {
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((user) => passkey({ rpId: 'example.com', user, largeBlobKey: true })) as [StoredCredential, StoredCredential, StoredCredential];
  const dave = passkey({ rpId: 'other.example', user: 'dave' });
  const orphan = sealLargeBlob(new Uint8Array(32).fill(3), new TextEncoder().encode('orphaned'));
  await seedKey(path, {
    preset: 'ctap21',
    credentials: [alice, bob, carol, dave],
    change: (state) => {
      state.largeBlobArray = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, note), orphan, sealLargeBlob(bob.largeBlobKey!, binary)]);
    },
  });
  return { alice, bob, carol, dave };
}

async function entries(): Promise<number> {
  const array = parseLargeBlobArray((await loadState(path)).largeBlobArray);
  if (array.kind !== 'valid') throw new Error(array.kind);
  return array.entries.length;
}

describe('skm blobs', () => {
  it('list --json: each passkey that can hold data, what it holds, and the orphans', async () => {
    const { alice, bob, carol } = await seedBlobs();
    const result = await skm(['--virtual', path, '--json', 'blobs', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const list = parseJson<{ storage: { used: number; max: number }; passkeys: Record<string, unknown>[]; passkeysWithoutBlobKey: number; orphans: { count: number } }>(result);
    expect(list.storage).toEqual({ used: (await loadState(path)).largeBlobArray.length, max: 1024 });
    // The key lists passkeys in its own order; compare them by account.
    list.passkeys.sort((x, y) => String(x.userName).localeCompare(String(y.userName)));
    expect(list.passkeys).toEqual([
      expect.objectContaining({ credentialId: b64url(alice.id), userName: 'alice', blob: 'stored', size: note.length, text: new TextDecoder().decode(note), hex: null }),
      expect.objectContaining({ credentialId: b64url(bob.id), blob: 'stored', size: 4, text: null, hex: '000102ff' }),
      expect.objectContaining({ credentialId: b64url(carol.id), blob: 'none', size: null }),
    ]);
    expect(list.passkeysWithoutBlobKey).toBe(1);
    expect(list.orphans.count).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(PIN);
  });

  it('list: human lines say how much is used, what each passkey holds, and how to prune', async () => {
    await seedBlobs();
    const result = await skm(['--virtual', path, 'blobs', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Large-blob storage: \d+ of 1024 bytes used\./);
    expect(result.stdout).toContain('example.com — alice');
    expect(result.stdout).toContain(`${note.length} bytes of text`);
    expect(result.stdout).toContain('000102ff');
    // Hints are runnable as shown: they repeat the --virtual FILE this run used.
    expect(result.stdout).toMatch(/skm --virtual \S+ blobs prune/);
  });

  it('show prints the text, and --out writes the bytes to a new file only', async () => {
    const { alice, bob } = await seedBlobs();
    const shown = await skm(['--virtual', path, 'blobs', 'show', b64url(alice.id)], { stdin: `${PIN}\n` });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('ssh-ed25519-cert-v01@openssh.com AAAA');
    const out = tmp.file('bob.bin');
    const saved = await skm(['--virtual', path, 'blobs', 'show', b64url(bob.id), '--out', out], { stdin: `${PIN}\n` });
    expect(saved.code).toBe(0);
    expect(new Uint8Array(await readFile(out))).toEqual(binary);
    const again = await skm(['--virtual', path, '--json', 'blobs', 'show', b64url(bob.id), '--out', out], { stdin: `${PIN}\n` });
    expect(again.code).not.toBe(0);
    expect(parseJson<JsonError>(again).error.code).toBe('FILE_ACCESS');
  });

  it('show: a passkey without data, and an unknown id, are errors that say which', async () => {
    const { carol } = await seedBlobs();
    const none = await skm(['--virtual', path, '--json', 'blobs', 'show', b64url(carol.id)], { stdin: `${PIN}\n` });
    expect(parseJson<JsonError>(none).error.message).toContain('Nothing is stored beside that passkey');
    const unknown = await skm(['--virtual', path, '--json', 'blobs', 'show', b64url(new Uint8Array(32))], { stdin: `${PIN}\n` });
    expect(parseJson<JsonError>(unknown).error.code).toBe('CREDENTIAL_NOT_FOUND');
  });

  it('delete without a terminal asks for --yes, naming what is lost, and changes nothing', async () => {
    const { alice } = await seedBlobs();
    const result = await skm(['--virtual', path, '--json', 'blobs', 'delete', b64url(alice.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(2);
    const { error } = parseJson<JsonError>(result);
    expect(error.message).toContain('alice');
    expect(error.message).toContain(`${note.length} bytes`);
    expect(await entries()).toBe(3);
  });

  it('delete --yes removes that passkey’s entry only; the passkey stays', async () => {
    const { alice, bob } = await seedBlobs();
    const result = await skm(['--virtual', path, '--yes', '--json', 'blobs', 'delete', b64url(alice.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(parseJson<{ deleted: { credentialId: string; size: number } }>(result).deleted).toEqual({ credentialId: b64url(alice.id), size: note.length });
    const state = await loadState(path);
    expect(state.credentials).toHaveLength(4);
    const array = parseLargeBlobArray(state.largeBlobArray);
    if (array.kind !== 'valid') throw new Error(array.kind);
    expect(array.entries).toHaveLength(2);
    expect(array.entries.map((e) => openLargeBlob(bob.largeBlobKey!, parseLargeBlobEntry(e)!).kind)).toEqual(['not-mine', 'opened']);
  });

  it('prune --yes removes the orphan; a second prune has nothing to do', async () => {
    await seedBlobs();
    const pruned = await skm(['--virtual', path, '--yes', '--json', 'blobs', 'prune'], { stdin: `${PIN}\n` });
    expect(pruned.code).toBe(0);
    expect(parseJson<{ removed: number; cleared: boolean }>(pruned)).toMatchObject({ removed: 1, cleared: false });
    expect(await entries()).toBe(2);
    const again = await skm(['--virtual', path, '--yes', 'blobs', 'prune'], { stdin: `${PIN}\n` });
    expect(again.stdout).toContain('Nothing to remove');
  });

  it('a corrupt array: list says so with its size; prune --yes empties it', async () => {
    await seedKey(path, { preset: 'ctap21', change: (state) => void (state.largeBlobArray = new Uint8Array(50).fill(7)) });
    const listed = await skm(['--virtual', path, '--json', 'blobs', 'list'], { stdin: `${PIN}\n` });
    expect(listed.code).not.toBe(0);
    expect(parseJson<JsonError>(listed).error.message).toContain('50 bytes');
    const pruned = await skm(['--virtual', path, '--yes', '--json', 'blobs', 'prune'], { stdin: `${PIN}\n` });
    expect(parseJson<{ cleared: boolean; freedBytes: number }>(pruned)).toEqual({ removed: 0, cleared: true, freedBytes: 33 });
    expect((await loadState(path)).largeBlobArray).toEqual(serializeLargeBlobArray([]));
  });

  it('a 2.1-PRE key says it cannot store data beside passkeys', async () => {
    await seedKey(path, { preset: 'ctap21-pre' });
    const result = await skm(['--virtual', path, '--json', 'blobs', 'list'], { stdin: `${PIN}\n` });
    expect(parseJson<JsonError>(result).error.code).toBe('UNSUPPORTED');
  });
});

describe('skm creds delete on a key with large blobs', () => {
  it('--yes deletes the passkey and the data stored beside it', async () => {
    const { alice } = await seedBlobs();
    const result = await skm(['--virtual', path, '--yes', '--json', 'creds', 'delete', b64url(alice.id)], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(parseJson<{ deleted: { credentialId: string }; blob: unknown }>(result)).toMatchObject({
      deleted: { credentialId: b64url(alice.id) },
      blob: { outcome: 'deleted', size: note.length },
    });
    expect((await loadState(path)).credentials).toHaveLength(3);
    expect(await entries()).toBe(2);
  });

  it('human: says the data went too', async () => {
    const { bob } = await seedBlobs();
    const result = await skm(['--virtual', path, '--yes', 'creds', 'delete', b64url(bob.id)], { stdin: `${PIN}\n` });
    expect(result.stdout).toContain('Also deleted the 4 bytes stored beside it.');
  });
});
