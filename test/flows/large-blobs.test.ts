/**
 * Large-blob flows (ctap/flows/manage-large-blobs.ts) against the virtual key through the
 * production CTAPHID transport: attribution of entries to passkeys, orphans, delete, prune, a
 * corrupt array, an array that changes under the question. Each test checks the outcome, what
 * the person was asked, and what the key holds afterwards.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { parseLargeBlobArray, serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { deleteLargeBlob, deletePasskeyAndBlob, describeContent, listLargeBlobs, pruneLargeBlobs, showLargeBlob } from '../../ctap/flows/manage-large-blobs.js';
import { testKey } from '../../ctap/flows/test-key.js';
import { getAssertion } from '../../ctap/ctap2/get-assertion.js';
import { openLargeBlob, parseLargeBlobEntry } from '../../ctap/ctap2/large-blob-entry.js';
import { UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { CborMap, CborValue } from '../../ctap/cbor.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { openVirtualKey, scriptedPrompts, storedCredential, type VirtualHarness } from './manage-helpers.js';

const PIN = '135790';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

const text = new TextEncoder().encode('ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5');
const binary = Uint8Array.of(0x00, 0x01, 0xfe, 0xff, 0x10);

/**
 * A key with four passkeys — alice (a text blob), bob (binary), carol (a largeBlobKey, no blob),
 * dave (no largeBlobKey) — and one entry sealed with a key no passkey has (an orphan).
 */
async function keyWithBlobs(config: Partial<VirtualKeyConfig> = {}) {
  const h = await openVirtualKey({ preset: 'ctap21', pin: PIN, config });
  harnesses.push(h);
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((user) => storedCredential({ rpId: 'example.com', user, largeBlobKey: true })) as [StoredCredential, StoredCredential, StoredCredential];
  const dave = storedCredential({ rpId: 'other.example', user: 'dave' });
  h.key.state.credentials.push(alice, bob, carol, dave);
  const orphan = sealLargeBlob(randomBytes(32), new TextEncoder().encode('left behind by a deleted passkey'));
  const entries = [sealLargeBlob(alice.largeBlobKey!, text), orphan, sealLargeBlob(bob.largeBlobKey!, binary)];
  h.key.state.largeBlobArray = serializeLargeBlobArray(entries);
  return { h, alice, bob, carol, dave, entries };
}

function storedEntries(h: VirtualHarness) {
  const array = parseLargeBlobArray(h.key.state.largeBlobArray);
  if (array.kind !== 'valid') throw new Error(`the key's array is ${array.kind}`);
  return array.entries;
}

describe('listLargeBlobs', () => {
  it('attributes each entry to the passkey whose largeBlobKey opens it, and finds the orphan', async () => {
    const { h } = await keyWithBlobs();
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await listLargeBlobs({ session: h.session, prompts });
    if (result.outcome !== 'listed') throw new Error(`expected listed, got ${result.outcome}`);
    const byUser = Object.fromEntries(result.passkeys.map((p) => [p.passkey.userName, p.blob]));
    expect(byUser.alice).toEqual({ state: 'stored', size: text.length, data: text, content: { kind: 'text', text: new TextDecoder().decode(text) } });
    expect(byUser.bob).toEqual({ state: 'stored', size: 5, data: binary, content: { kind: 'binary', hex: '0001feff10' } });
    expect(byUser.carol).toEqual({ state: 'none' });
    expect(byUser.dave).toEqual({ state: 'none' });
    expect(result.orphans).toEqual([{ index: 1, storedSize: expect.any(Number), malformed: false }]);
    expect(result.storage).toEqual({ used: h.key.state.largeBlobArray.length, max: 1024 });
    // One PIN, one token; reading needs none (§6.10.2 step 3); nothing was written.
    expect(prompts.log.pins).toHaveLength(1);
    expect(prompts.log.confirms).toEqual([]);
    expect(h.sent.filter((c) => c === Ctap2Command.LARGE_BLOBS)).toHaveLength(1);
  });

  it('reads an array spread over many fragments on a small maxMsgSize', async () => {
    const { h, alice, bob } = await keyWithBlobs({ maxMsgSize: 300 });
    const big = randomBytes(700); // incompressible: the array grows past three 236-byte fragments
    h.key.state.largeBlobArray = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, big), sealLargeBlob(bob.largeBlobKey!, binary)]);
    expect(h.key.state.largeBlobArray.length).toBeGreaterThan(3 * 236);
    const result = await listLargeBlobs({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (result.outcome !== 'listed') throw new Error(result.outcome);
    expect(result.passkeys.find((p) => p.passkey.userName === 'alice')!.blob).toMatchObject({ state: 'stored', data: big });
    expect(h.sent.filter((c) => c === Ctap2Command.LARGE_BLOBS)).toHaveLength(Math.ceil((h.key.state.largeBlobArray.length + 1) / 236));
  });

  it('reports a corrupt array with its size instead of failing', async () => {
    const { h } = await keyWithBlobs();
    h.key.state.largeBlobArray = h.key.state.largeBlobArray.slice(0, 40);
    const result = await listLargeBlobs({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(result).toEqual({ outcome: 'corrupt', storage: { used: 40, max: 1024 }, reason: 'hash-mismatch' });
  });

  it('says so on a key without large blobs, asking nothing', async () => {
    const h = await openVirtualKey({ preset: 'ctap21-pre', pin: PIN });
    harnesses.push(h);
    const prompts = scriptedPrompts({ pins: [PIN] });
    expect(await listLargeBlobs({ session: h.session, prompts })).toMatchObject({ outcome: 'unsupported' });
    expect(prompts.log.pins).toEqual([]);
  });
});

describe('showLargeBlob', () => {
  it('shows one passkey’s blob, and tells a passkey without one from an unknown ID', async () => {
    const { h, bob, carol } = await keyWithBlobs();
    const prompts = scriptedPrompts({ pins: [PIN] });
    const shown = await showLargeBlob({ session: h.session, prompts, credentialId: bob.id });
    expect(shown).toMatchObject({ outcome: 'shown', passkey: { userName: 'bob' }, blob: { state: 'stored', data: binary } });
    expect(await showLargeBlob({ session: h.session, prompts, credentialId: carol.id })).toEqual({ outcome: 'no-blob' });
    expect(await showLargeBlob({ session: h.session, prompts, credentialId: randomBytes(32) })).toEqual({ outcome: 'not-found' });
  });
});

describe('deleteLargeBlob', () => {
  it('names what is lost, then removes only that passkey’s entry with one PIN entry', async () => {
    const { h, alice, entries } = await keyWithBlobs();
    const prompts = scriptedPrompts({ pins: [PIN], confirm: true });
    expect(await deleteLargeBlob({ session: h.session, prompts, credentialId: alice.id })).toEqual({ outcome: 'deleted', size: text.length });
    expect(prompts.log.confirms).toHaveLength(1);
    expect(prompts.log.confirms[0]).toEqual({
      action: 'delete-blob',
      subject: { rpId: 'example.com', account: 'alice' },
      consequences: [{ code: 'blob-deleted', rpId: 'example.com', account: 'alice', bytes: text.length }],
    });
    expect(prompts.log.pins).toHaveLength(1);
    expect(storedEntries(h)).toEqual([entries[1], entries[2]]);
  });

  it('writes nothing when the person declines', async () => {
    const { h, bob } = await keyWithBlobs();
    const before = h.key.state.largeBlobArray;
    const prompts = scriptedPrompts({ pins: [PIN], confirm: false });
    expect(await deleteLargeBlob({ session: h.session, prompts, credentialId: bob.id })).toEqual({ outcome: 'declined' });
    expect(h.key.state.largeBlobArray).toBe(before);
    expect(h.sent.filter((c) => c === Ctap2Command.LARGE_BLOBS)).toHaveLength(1);
  });

  it('tells a passkey without a blob from one that does not exist, asking nothing', async () => {
    const { h, carol } = await keyWithBlobs();
    const prompts = scriptedPrompts({ pins: [PIN] });
    expect(await deleteLargeBlob({ session: h.session, prompts, credentialId: carol.id })).toEqual({ outcome: 'no-blob' });
    expect(await deleteLargeBlob({ session: h.session, prompts, credentialId: randomBytes(32) })).toEqual({ outcome: 'not-found' });
    expect(prompts.log.confirms).toEqual([]);
  });

  it('refuses to write when the array changed while the question was open', async () => {
    const { h, alice } = await keyWithBlobs();
    const changed = serializeLargeBlobArray([]);
    const prompts = scriptedPrompts({ pins: [PIN] });
    const answering = { ...prompts, confirm: async () => ((h.key.state.largeBlobArray = changed), true) };
    expect(await deleteLargeBlob({ session: h.session, prompts: answering, credentialId: alice.id })).toEqual({ outcome: 'changed' });
    expect(h.key.state.largeBlobArray).toBe(changed);
  });

  it('deletes across fragments on a small maxMsgSize, MACing each one', async () => {
    const { h, alice, bob } = await keyWithBlobs({ maxMsgSize: 300 });
    const kept = sealLargeBlob(bob.largeBlobKey!, randomBytes(600));
    h.key.state.largeBlobArray = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, text), kept]);
    const prompts = scriptedPrompts({ pins: [PIN], confirm: true });
    expect(await deleteLargeBlob({ session: h.session, prompts, credentialId: alice.id })).toMatchObject({ outcome: 'deleted' });
    expect(storedEntries(h)).toEqual([kept]);
  });
});

/** Scripted prompts that answer the confirmations in order. */
function answering(pins: string[], answers: boolean[]) {
  const prompts = scriptedPrompts({ pins });
  const queue = [...answers];
  return {
    ...prompts,
    async confirm(request: Parameters<typeof prompts.confirm>[0]) {
      prompts.log.confirms.push(request);
      const answer = queue.shift();
      if (answer === undefined) throw new Error('an unexpected question');
      return answer;
    },
  };
}

describe('deletePasskeyAndBlob (skm creds delete)', () => {
  it('deletes the passkey, then — asked separately — its blob, with one PIN entry', async () => {
    const { h, alice, entries } = await keyWithBlobs();
    const prompts = answering([PIN], [true, true]);
    const result = await deletePasskeyAndBlob({ session: h.session, prompts, credentialId: alice.id });
    expect(result).toMatchObject({ outcome: 'deleted', passkey: { userName: 'alice' }, blob: 'deleted', blobSize: text.length });
    expect(prompts.log.confirms.map((c) => c.action)).toEqual(['delete-passkey', 'delete-blob']);
    expect(prompts.log.confirms[1]!.consequences).toEqual([{ code: 'blob-of-deleted-passkey-deleted', rpId: 'example.com', account: 'alice', bytes: text.length }]);
    expect(prompts.log.pins).toHaveLength(1);
    expect(h.key.state.credentials.some((c) => c.id === alice.id)).toBe(false);
    expect(storedEntries(h)).toEqual([entries[1], entries[2]]);
  });

  it('keeps the blob (now an orphan) when only the passkey is to go', async () => {
    const { h, alice } = await keyWithBlobs();
    const before = h.key.state.largeBlobArray;
    const result = await deletePasskeyAndBlob({ session: h.session, prompts: answering([PIN], [true, false]), credentialId: alice.id });
    expect(result).toMatchObject({ outcome: 'deleted', blob: 'kept' });
    expect(h.key.state.largeBlobArray).toBe(before);
    const listed = await listLargeBlobs({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(listed.outcome === 'listed' && listed.orphans).toHaveLength(2);
  });

  it('asks only about the passkey when it has no blob, and changes nothing when declined', async () => {
    const { h, carol } = await keyWithBlobs();
    expect(await deletePasskeyAndBlob({ session: h.session, prompts: answering([PIN], [false]), credentialId: carol.id })).toEqual({ outcome: 'declined' });
    expect(h.key.state.credentials).toHaveLength(4);
    expect(await deletePasskeyAndBlob({ session: h.session, prompts: answering([PIN], [true]), credentialId: carol.id })).toMatchObject({ outcome: 'deleted', blob: 'none' });
    expect(h.key.state.credentials).toHaveLength(3);
  });

  it('still deletes the passkey when the blob storage is unreadable, leaving the storage alone', async () => {
    const { h, bob } = await keyWithBlobs();
    const corrupt = h.key.state.largeBlobArray.slice(0, 30);
    h.key.state.largeBlobArray = corrupt;
    const prompts = answering([PIN], [true]);
    expect(await deletePasskeyAndBlob({ session: h.session, prompts, credentialId: bob.id })).toMatchObject({ outcome: 'deleted', blob: 'storage-unreadable' });
    expect(h.key.state.largeBlobArray).toBe(corrupt);
    expect(h.key.state.credentials).toHaveLength(3);
    expect(prompts.log.pins).toHaveLength(1);
  });
});

describe('pruneLargeBlobs', () => {
  it('removes the orphan and keeps every entry a passkey opens', async () => {
    const { h, entries } = await keyWithBlobs();
    const prompts = scriptedPrompts({ pins: [PIN], confirm: true });
    const result = await pruneLargeBlobs({ session: h.session, prompts });
    expect(result).toMatchObject({ outcome: 'pruned', removed: 1 });
    expect(prompts.log.confirms[0]!.action).toBe('prune-blobs');
    expect(prompts.log.confirms[0]!.consequences).toEqual([{ code: 'orphaned-blobs-deleted', blobs: 1, bytes: expect.any(Number) }]);
    expect(storedEntries(h)).toEqual([entries[0], entries[2]]);
    // Pruning again finds nothing and asks nothing.
    const again = scriptedPrompts({ pins: [PIN], confirm: true });
    expect(await pruneLargeBlobs({ session: h.session, prompts: again })).toEqual({ outcome: 'nothing-to-prune' });
    expect(again.log.confirms).toEqual([]);
  });

  it('counts an entry that is not a large-blob map as orphaned', async () => {
    const { h, entries } = await keyWithBlobs();
    h.key.state.largeBlobArray = serializeLargeBlobArray([...entries, 'not an entry']);
    const listed = await listLargeBlobs({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(listed.outcome === 'listed' && listed.orphans.map((o) => [o.index, o.malformed])).toEqual([
      [1, false],
      [3, true],
    ]);
  });

  it('empties a corrupt array only after saying how much unreadable data goes', async () => {
    const { h } = await keyWithBlobs();
    const corrupt = h.key.state.largeBlobArray.slice(0, 60);
    h.key.state.largeBlobArray = corrupt;
    const declined = scriptedPrompts({ pins: [PIN], confirm: false });
    expect(await pruneLargeBlobs({ session: h.session, prompts: declined })).toEqual({ outcome: 'declined' });
    expect(h.key.state.largeBlobArray).toBe(corrupt);
    expect(declined.log.confirms[0]).toEqual({ action: 'clear-blob-storage', consequences: [{ code: 'unreadable-blobs-deleted', bytes: 60, reason: 'hash-mismatch' }] });
    const agreed = scriptedPrompts({ pins: [PIN], confirm: true });
    expect(await pruneLargeBlobs({ session: h.session, prompts: agreed })).toEqual({ outcome: 'cleared', freedBytes: 43 });
    expect(h.key.state.largeBlobArray).toEqual(serializeLargeBlobArray([]));
  });
});

describe('describeContent', () => {
  it.each([
    [new TextEncoder().encode('line one\nline two\ttabbed'), 'text'],
    [new TextEncoder().encode('ünïcödé ✓'), 'text'],
    [Uint8Array.of(0x68, 0x69, 0x00), 'binary'],
    [Uint8Array.of(0xc3, 0x28), 'binary'],
    [new TextEncoder().encode('bell\u0007'), 'binary'],
  ])('classifies %s as %s', (data, kind) => {
    expect(describeContent(data).kind).toBe(kind);
  });
});

describe('skm test --resident --large-blob', () => {
  it('stores the text beside the new passkey through makeCredential’s largeBlobKey and one token', async () => {
    const h = await openVirtualKey({ preset: 'ctap21', pin: PIN });
    harnesses.push(h);
    const prompts = scriptedPrompts({ pins: [PIN] });
    const data = new TextEncoder().encode('hello from skm test');
    const result = await testKey({ session: h.session, prompts, residentKey: true, largeBlob: data });
    expect(result).toMatchObject({ outcome: 'passed', largeBlobSize: data.length });
    expect(result.steps.map((s) => s.step)).toContain('large-blob');
    // §12.3: the key made a 32-byte largeBlobKey and keeps it with the credential.
    const stored = h.key.state.credentials.find((c) => c.rpId === 'skm.test')!;
    expect(stored.largeBlobKey).toHaveLength(32);
    expect(prompts.log.pins).toHaveLength(1);
    const listed = await listLargeBlobs({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    expect(listed.passkeys[0]!.blob).toMatchObject({ state: 'stored', content: { kind: 'text', text: 'hello from skm test' } });
    expect(listed.orphans).toEqual([]);
  });

  it('leaves the previous test passkey’s blob as an orphan when the passkey is replaced', async () => {
    const h = await openVirtualKey({ preset: 'ctap21' });
    harnesses.push(h);
    for (const text of ['first', 'second']) {
      expect(await testKey({ session: h.session, prompts: scriptedPrompts(), residentKey: true, largeBlob: new TextEncoder().encode(text) })).toMatchObject({ outcome: 'passed' });
    }
    expect(storedEntries(h)).toHaveLength(2);
    expect(h.key.state.credentials).toHaveLength(1);
  });

  it('getAssertion with largeBlobKey gives the key that opens the stored entry (the WebAuthn read path)', async () => {
    const h = await openVirtualKey({ preset: 'ctap21' });
    harnesses.push(h);
    const data = new TextEncoder().encode('read me back');
    const made = await testKey({ session: h.session, prompts: scriptedPrompts(), residentKey: true, largeBlob: data });
    if (made.outcome !== 'passed') throw new Error(made.outcome);
    const request = { rpId: 'skm.test', clientDataHash: new Uint8Array(32), allowList: [{ id: made.credentialId }] };
    expect((await getAssertion(h.session, request)).largeBlobKey).toBeNull();
    const { largeBlobKey } = await getAssertion(h.session, { ...request, largeBlobKey: true });
    expect(largeBlobKey).toHaveLength(32);
    expect(openLargeBlob(largeBlobKey!, parseLargeBlobEntry(storedEntries(h)[0]!)!)).toEqual({ kind: 'opened', data });
  });

  it('refuses before sending anything on a key without large blobs, or without --resident', async () => {
    const pre = await openVirtualKey({ preset: 'ctap21-pre' });
    harnesses.push(pre);
    await expect(testKey({ session: pre.session, prompts: scriptedPrompts(), residentKey: true, largeBlob: Uint8Array.of(1) })).rejects.toBeInstanceOf(UnsupportedError);
    const h = await openVirtualKey({ preset: 'ctap21' });
    harnesses.push(h);
    await expect(testKey({ session: h.session, prompts: scriptedPrompts(), residentKey: false, largeBlob: Uint8Array.of(1) })).rejects.toBeInstanceOf(RangeError);
    expect(pre.sent.concat(h.sent).filter((c) => c !== Ctap2Command.GET_INFO)).toEqual([]);
  });

  it('the virtual key refuses largeBlobKey without rk, or set to false (INVALID_OPTION, §12.3)', async () => {
    const h = await openVirtualKey({ preset: 'ctap21' });
    harnesses.push(h);
    const base: [number, CborValue][] = [
      [1, new Uint8Array(32)],
      [2, new Map([['id', 'example.com']])],
      [3, new Map<string, CborValue>([['id', Uint8Array.of(1)], ['name', 'u']])],
      [4, [new Map<string, CborValue>([['alg', -7], ['type', 'public-key']])]],
    ];
    const status = (extra: [number, CborValue][]) =>
      h.session.send(Ctap2Command.MAKE_CREDENTIAL, new Map([...base, ...extra]) as CborMap).then(
        () => CtapStatus.OK,
        (e: { status: number }) => e.status,
      );
    expect(await status([[6, new Map([['largeBlobKey', true]])]])).toBe(CtapStatus.INVALID_OPTION);
    expect(await status([[6, new Map([['largeBlobKey', false]])], [7, new Map([['rk', true]])]])).toBe(CtapStatus.INVALID_OPTION);
    expect(h.key.state.credentials).toEqual([]);
  });
});
