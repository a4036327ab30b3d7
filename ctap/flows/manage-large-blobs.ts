/**
 * Large-blob flows: list what is stored beside each passkey, show one, delete one passkey's
 * entry, prune entries whose passkey is gone — CTAP 2.1 §6.10 (authenticatorLargeBlobs) with
 * §6.8 credential management for the largeBlobKeys that say which entry is whose (§6.10.3: an
 * entry belongs to the passkey whose largeBlobKey opens it).
 *
 * One token with cm and lbw (a single PIN entry) reads the passkeys and writes the array. A
 * write replaces the whole array (§6.10.2), so every destructive step shows what is lost, then
 * re-reads the array and refuses to write if it changed meanwhile — nothing the person did not
 * see is ever erased. largeBlobKeys are zeroed when a flow ends.
 * @module
 */
import { equalBytes } from '../bytes.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeCanonical, type CborValue } from '../cbor.js';
import { Permission } from '../ctap2/client-pin.js';
import { isPinSet, type AuthenticatorInfo } from '../ctap2/info.js';
import { openLargeBlob, parseLargeBlobEntry } from '../ctap2/large-blob-entry.js';
import { LargeBlobs, maxSerializedLargeBlobArray, serializeLargeBlobArray, supportsLargeBlobs, type CorruptReason, type LargeBlobArray } from '../ctap2/large-blobs.js';
import type { ConfirmRequest } from './prompts.js';
import { deletePasskey, guard, listPasskeys, OperationTokens, withToken, type FlowOptions, type PasskeyView, type UnlockFailure, type Unsupported } from './manage-credentials.js';

/** The data of one blob, as text when it reads as text, else as hex. */
export type BlobContent = { kind: 'text'; text: string } | { kind: 'binary'; hex: string };

export type PasskeyBlobState =
  | { state: 'none' }
  | { state: 'stored'; size: number; data: Uint8Array; content: BlobContent }
  /** The passkey's key opens an entry, but what is inside does not inflate (§6.10.3). */
  | { state: 'damaged' };

export interface PasskeyBlob {
  passkey: PasskeyView;
  blob: PasskeyBlobState;
}

/** An entry no passkey on the key can open: its passkey was deleted, or it is not an entry at all. */
export interface OrphanEntry {
  /** Position in the array. */
  index: number;
  /** Bytes the entry takes in the serialized array. */
  storedSize: number;
  malformed: boolean;
}

/** Bytes used of the key's large-blob storage (serialized array, hash included) and its maximum. */
export interface BlobStorage {
  used: number;
  max: number;
}

export type ListLargeBlobsOutcome =
  | { outcome: 'listed'; storage: BlobStorage; passkeys: PasskeyBlob[]; orphans: OrphanEntry[] }
  | { outcome: 'corrupt'; storage: BlobStorage; reason: CorruptReason }
  | Unsupported
  | UnlockFailure;

/** Ends every destructive flow can have besides success. */
type NotWritten =
  | { outcome: 'declined' }
  | { outcome: 'corrupt'; storage: BlobStorage; reason: CorruptReason }
  /** The array changed between the question and the write (another app wrote it): nothing written. */
  | { outcome: 'changed' }
  | Unsupported
  | UnlockFailure;

export type ShowLargeBlobOutcome =
  | { outcome: 'shown'; passkey: PasskeyView; blob: Exclude<PasskeyBlobState, { state: 'none' }> }
  | { outcome: 'not-found' }
  | { outcome: 'no-blob' }
  | Exclude<ListLargeBlobsOutcome, { outcome: 'listed' }>;

export type DeleteLargeBlobOutcome = { outcome: 'deleted'; size: number } | { outcome: 'not-found' } | { outcome: 'no-blob' } | NotWritten;

export type PruneLargeBlobsOutcome =
  | { outcome: 'pruned'; removed: number; freedBytes: number }
  | { outcome: 'nothing-to-prune' }
  /** The array was unreadable and is now the empty array. */
  | { outcome: 'cleared'; freedBytes: number }
  | Exclude<NotWritten, { outcome: 'corrupt' }>;

/** Every passkey with its blob (if any) and every orphaned entry. */
export async function listLargeBlobs(options: FlowOptions): Promise<ListLargeBlobsOutcome> {
  return withOperationTokens(options, async (flow) => {
    const snapshot = await inspect(flow, 0);
    if ('outcome' in snapshot) return snapshot;
    return { outcome: 'listed', storage: snapshot.storage, passkeys: snapshot.passkeys, orphans: snapshot.orphans };
  });
}

/** The blob of one passkey (by credential ID). */
export async function showLargeBlob(options: FlowOptions & { credentialId: Uint8Array }): Promise<ShowLargeBlobOutcome> {
  const listed = await listLargeBlobs(options);
  if (listed.outcome !== 'listed') return listed;
  const found = listed.passkeys.find((p) => equalBytes(p.passkey.credentialId, options.credentialId));
  if (!found) return { outcome: 'not-found' };
  if (found.blob.state === 'none') return { outcome: 'no-blob' };
  return { outcome: 'shown', passkey: found.passkey, blob: found.blob };
}

/** Remove the entry of one passkey, after the person has seen what it holds. */
export async function deleteLargeBlob(options: FlowOptions & { credentialId: Uint8Array }): Promise<DeleteLargeBlobOutcome> {
  return withOperationTokens(options, async (flow) => {
    const snapshot = await inspect(flow, Permission.lbw);
    if ('outcome' in snapshot) return snapshot;
    const index = snapshot.passkeys.findIndex((p) => equalBytes(p.passkey.credentialId, options.credentialId));
    const target = snapshot.passkeys[index];
    if (!target) return { outcome: 'not-found' };
    if (target.blob.state === 'none') return { outcome: 'no-blob' };
    const agreed = await flow.prompts.confirm(questions.deleteBlob(target, storedBytes(snapshot, index)), flow.signal);
    if (!agreed) return { outcome: 'declined' };
    const written = await writeWithout(flow, snapshot, new Set(snapshot.owned.get(index)));
    if (written) return written;
    return { outcome: 'deleted', size: target.blob.state === 'stored' ? target.blob.size : 0 };
  });
}

/** What became of a deleted passkey's blob. */
export type BlobOfDeletedPasskey = 'none' | 'deleted' | 'kept' | 'changed' | 'storage-unreadable';

export type DeletePasskeyAndBlobOutcome =
  | { outcome: 'deleted'; passkey: PasskeyView; blob: BlobOfDeletedPasskey; blobSize: number | null }
  | { outcome: 'not-found' }
  | { outcome: 'declined' }
  | Exclude<ListLargeBlobsOutcome, { outcome: 'listed' }>;

/**
 * Delete a passkey (its own question), then offer to delete its blob too — while its
 * largeBlobKey is still known: once the passkey is gone its entry is only an orphan. One token
 * with cm and lbw serves both steps.
 */
export async function deletePasskeyAndBlob(options: FlowOptions & { credentialId: Uint8Array }): Promise<DeletePasskeyAndBlobOutcome> {
  return withOperationTokens(options, async (flow) => {
    const snapshot = await inspect(flow, Permission.lbw);
    // Unreadable blob storage must not stand in the way of deleting a passkey.
    if ('outcome' in snapshot && snapshot.outcome === 'corrupt') return deleteWithoutBlob(flow, options.credentialId);
    if ('outcome' in snapshot) return snapshot;
    const index = snapshot.passkeys.findIndex((p) => equalBytes(p.passkey.credentialId, options.credentialId));
    const target = snapshot.passkeys[index];
    if (!target) return { outcome: 'not-found' };
    const deleted = await deletePasskey({ ...flow, passkey: target.passkey });
    if (deleted.outcome !== 'deleted') return deleted;
    const { passkey, blob } = target;
    const blobSize = blob.state === 'stored' ? blob.size : null;
    if (blob.state === 'none') return { outcome: 'deleted', passkey, blob: 'none', blobSize };
    if (!(await flow.prompts.confirm(questions.deleteBlobOfDeletedPasskey(target, storedBytes(snapshot, index)), flow.signal))) {
      return { outcome: 'deleted', passkey, blob: 'kept', blobSize };
    }
    const written = await writeWithout(flow, snapshot, new Set(snapshot.owned.get(index)));
    if (written?.outcome === 'changed') return { outcome: 'deleted', passkey, blob: 'changed', blobSize };
    if (written) return written;
    return { outcome: 'deleted', passkey, blob: 'deleted', blobSize };
  });
}

/** The passkey alone, when the blob storage cannot be read (the operation's token is reused). */
async function deleteWithoutBlob(flow: FlowContext, credentialId: Uint8Array): Promise<DeletePasskeyAndBlobOutcome> {
  const listed = await listPasskeys({ ...flow, alsoPermit: Permission.lbw });
  if (listed.outcome !== 'listed') return listed;
  for (const rp of listed.rps) for (const credential of rp.credentials) credential.largeBlobKey?.fill(0);
  const passkey = listed.passkeys.find((p) => equalBytes(p.credentialId, credentialId));
  if (!passkey) return { outcome: 'not-found' };
  const deleted = await deletePasskey({ ...flow, passkey });
  return deleted.outcome === 'deleted' ? { outcome: 'deleted', passkey, blob: 'storage-unreadable', blobSize: null } : deleted;
}

/** Remove every entry no passkey can open; an unreadable array is emptied (asked for first). */
export async function pruneLargeBlobs(options: FlowOptions): Promise<PruneLargeBlobsOutcome> {
  return withOperationTokens(options, async (flow) => {
    const snapshot = await inspect(flow, Permission.lbw);
    if ('outcome' in snapshot && snapshot.outcome === 'corrupt') return clearCorrupt(flow, snapshot.storage, snapshot.reason);
    if ('outcome' in snapshot) return snapshot;
    const { orphans } = snapshot;
    if (orphans.length === 0) return { outcome: 'nothing-to-prune' };
    const freedBytes = orphans.reduce((n, o) => n + o.storedSize, 0);
    if (!(await flow.prompts.confirm(questions.prune(orphans.length, freedBytes), flow.signal))) return { outcome: 'declined' };
    const written = await writeWithout(flow, snapshot, new Set(orphans.map((o) => o.index)));
    return written ?? { outcome: 'pruned', removed: orphans.length, freedBytes };
  });
}

/** How one piece of data is shown: UTF-8 text without control characters, else hex. */
export function describeContent(data: Uint8Array): BlobContent {
  let text: string;
  try {
    // ignoreBOM keeps a leading U+FEFF, so the text is the data exactly (show --out writes it back).
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return { kind: 'binary', hex: bytesToHex(data) };
  }
  // Tabs and line breaks are text; any other C0/C1 control or DEL is not.
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u.test(text) ? { kind: 'binary', hex: bytesToHex(data) } : { kind: 'text', text };
}

// ── internals ────────────────────────────────────────────────────────────────────────────────

interface FlowContext extends FlowOptions {
  info: AuthenticatorInfo;
  tokens: OperationTokens;
}

interface Snapshot {
  array: Extract<LargeBlobArray, { kind: 'valid' }>;
  storage: BlobStorage;
  passkeys: PasskeyBlob[];
  orphans: OrphanEntry[];
  /** Passkey index → the entries its key opens (normally one; python-fido2 replaces them all). */
  owned: Map<number, number[]>;
  /** The permissions the passkeys were read with; a write reuses that token (cm | lbw). */
  permissions: number;
}

/**
 * Capability check, then one token for cm (and lbw when a write follows) through the shared
 * unlock code, then the passkeys, the array, and who owns which entry.
 */
async function inspect(flow: FlowContext, alsoPermit: number): Promise<Snapshot | Exclude<ListLargeBlobsOutcome, { outcome: 'listed' }>> {
  if (!supportsLargeBlobs(flow.info)) return { outcome: 'unsupported', feature: 'large-blobs' };
  const listed = await listPasskeys({ ...flow, alsoPermit });
  if (listed.outcome !== 'listed') return listed;
  const array = await new LargeBlobs(flow.session).readArray({ signal: flow.signal });
  const storage = { used: array.size, max: maxSerializedLargeBlobArray(flow.info) };
  const keys = listed.rps.flatMap((rp) => rp.credentials.map((c) => c.largeBlobKey));
  try {
    if (array.kind === 'corrupt') return { outcome: 'corrupt', storage, reason: array.reason };
    const entries = array.entries.map(parseLargeBlobEntry);
    const owner = new Map<number, number>();
    const owned = new Map<number, number[]>();
    const passkeys = listed.passkeys.map((passkey, p): PasskeyBlob => {
      const key = keys[p];
      let blob: PasskeyBlobState = { state: 'none' };
      entries.forEach((entry, e) => {
        if (!key || !entry || owner.has(e)) return;
        const opened = openLargeBlob(key, entry);
        if (opened.kind === 'not-mine') return;
        owner.set(e, p);
        owned.set(p, [...(owned.get(p) ?? []), e]);
        if (blob.state !== 'none') return;
        blob = opened.kind === 'opened' ? { state: 'stored', size: opened.data.length, data: opened.data, content: describeContent(opened.data) } : { state: 'damaged' };
      });
      return { passkey, blob };
    });
    const orphans = array.entries.flatMap((item, index): OrphanEntry[] =>
      owner.has(index) ? [] : [{ index, storedSize: encodeCanonical(item).length, malformed: entries[index] === null }],
    );
    return { array, storage, passkeys, orphans, owned, permissions: Permission.cm | alsoPermit };
  } finally {
    for (const key of keys) key?.fill(0);
  }
}

/**
 * Write the array without the entries at `remove`, if it is still exactly what was shown.
 * Returns undefined when written, else why not.
 */
async function writeWithout(flow: FlowContext, snapshot: Snapshot, remove: Set<number>): Promise<Extract<NotWritten, { outcome: 'changed' }> | UnlockFailure | undefined> {
  const now = await new LargeBlobs(flow.session).readSerialized({ signal: flow.signal });
  if (!equalBytes(now, snapshot.array.serialized)) return { outcome: 'changed' };
  const kept: CborValue[] = snapshot.array.entries.filter((_, index) => !remove.has(index));
  return write(flow, snapshot.permissions, kept);
}

/** Empty an unreadable array, after saying how much unreadable data goes. */
async function clearCorrupt(flow: FlowContext, storage: BlobStorage, reason: CorruptReason): Promise<PruneLargeBlobsOutcome> {
  if (!(await flow.prompts.confirm(questions.clear(storage.used, reason), flow.signal))) return { outcome: 'declined' };
  const written = await write(flow, Permission.cm | Permission.lbw, []);
  return written ?? { outcome: 'cleared', freedBytes: Math.max(0, storage.used - serializeLargeBlobArray([]).length) };
}

/**
 * §6.10.2 step 4.e: a key with a PIN (or alwaysUv) wants an lbw token for every fragment; the
 * operation's token already has it. A key with neither takes the write as it is.
 */
async function write(flow: FlowContext, permissions: number, entries: CborValue[]): Promise<UnlockFailure | undefined> {
  const tx = { signal: flow.signal };
  if (!isPinSet(flow.info) && flow.info.options.alwaysUv !== true) {
    await new LargeBlobs(flow.session).writeArray(entries, tx);
    return undefined;
  }
  const result = await withToken({ ...flow, permissions }, async (token) => {
    await new LargeBlobs(flow.session, token).writeArray(entries, tx);
    return 'written' as const;
  });
  return result === 'written' ? undefined : result;
}

/** getInfo, then `run` with the caller's operation tokens or a set of its own, disposed at the end. */
async function withOperationTokens<T>(options: FlowOptions, run: (flow: FlowContext) => Promise<T>): Promise<T | { outcome: 'cancelled' }> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const tokens = options.tokens ?? new OperationTokens();
    try {
      return await run({ ...options, info, tokens });
    } finally {
      if (!options.tokens) tokens.dispose();
    }
  });
}

// ── questions (codes and counts; main/copy/ words them) ─────────────────────────────────────

/**
 * The bytes a passkey's data takes on the key: its size before compression when it could be
 * read, else what its entries take in the array (a damaged entry has no trustworthy size).
 */
function storedBytes(snapshot: Snapshot, index: number): number {
  const blob = snapshot.passkeys[index]!.blob;
  if (blob.state === 'stored') return blob.size;
  return (snapshot.owned.get(index) ?? []).reduce((n, e) => n + encodeCanonical(snapshot.array.entries[e]!).length, 0);
}

const questions = {
  deleteBlob({ passkey }: PasskeyBlob, bytes: number): ConfirmRequest {
    const account = passkey.userName ?? passkey.userDisplayName;
    return { action: 'delete-blob', subject: { rpId: passkey.rpId, account }, consequences: [{ code: 'blob-deleted', rpId: passkey.rpId, account, bytes }] };
  },
  deleteBlobOfDeletedPasskey({ passkey }: PasskeyBlob, bytes: number): ConfirmRequest {
    const account = passkey.userName ?? passkey.userDisplayName;
    return {
      action: 'delete-blob',
      subject: { rpId: passkey.rpId, account },
      consequences: [{ code: 'blob-of-deleted-passkey-deleted', rpId: passkey.rpId, account, bytes }],
    };
  },
  prune(blobs: number, bytes: number): ConfirmRequest {
    return { action: 'prune-blobs', consequences: [{ code: 'orphaned-blobs-deleted', blobs, bytes }] };
  },
  clear(bytes: number, reason: CorruptReason): ConfirmRequest {
    return { action: 'clear-blob-storage', consequences: [{ code: 'unreadable-blobs-deleted', bytes, reason }] };
  },
};
