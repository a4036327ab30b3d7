/**
 * Large-blob operations for the app and the CLI — CTAP 2.1 §6.10 (authenticatorLargeBlobs)
 * through ctap/flows/manage-large-blobs.ts: list what is stored beside each passkey, show one,
 * delete one passkey's entry, prune orphaned entries. The flow returns outcomes; this file turns
 * the expected failures into AppErrors with a next step and the rest into JSON-ready records
 * (credential ids as unpadded base64url, as `skm creds list` prints them).
 * @module
 */
import { Permission } from '../../../ctap/ctap2/client-pin.js';
import { supportsLargeBlobs, type CorruptReason } from '../../../ctap/ctap2/large-blobs.js';
import {
  deleteLargeBlob,
  deletePasskeyAndBlob,
  listLargeBlobs,
  pruneLargeBlobs,
  showLargeBlob,
  type BlobContent,
  type BlobOfDeletedPasskey,
  type BlobStorage,
  type PasskeyBlob,
} from '../../../ctap/flows/manage-large-blobs.js';
import { AppError } from '../errors.js';
import {
  base64url,
  deleteCredential,
  failure,
  findPasskey,
  toRecord as toPasskeyRecord,
  withOperationTokens,
  type CredentialOperationOptions,
  type PasskeyRecord,
} from './credentials.js';

/** One passkey that can hold a blob (it has a largeBlobKey), as `skm blobs list --json` prints it. */
export interface BlobRecord {
  rpId: string;
  rpName: string | null;
  /** Unpadded base64url. */
  credentialId: string;
  userName: string | null;
  userDisplayName: string | null;
  /** none: nothing stored; stored: `size` bytes; damaged: an entry is this passkey's but unreadable. */
  blob: 'none' | 'stored' | 'damaged';
  /** Bytes of data (before compression), when stored. */
  size: number | null;
  /** The data as text when it reads as text… */
  text: string | null;
  /** …else as lowercase hex. */
  hex: string | null;
}

export interface BlobList {
  /** Bytes of the key's large-blob storage in use (hash included) and its maximum. */
  storage: BlobStorage;
  passkeys: BlobRecord[];
  /** Passkeys without a largeBlobKey: they can never have a blob. */
  passkeysWithoutBlobKey: number;
  /** Entries no passkey on the key opens (their passkey was deleted). */
  orphans: { count: number; bytes: number };
}

/** Every passkey that can hold a blob, what it holds, and the orphaned entries. */
export async function listBlobs(options: CredentialOperationOptions): Promise<BlobList> {
  const result = await listLargeBlobs(options);
  if (result.outcome === 'corrupt') throw corrupt(result.storage, result.reason);
  if (result.outcome !== 'listed') throw failure(result);
  const capable = result.passkeys.filter((p) => p.passkey.largeBlobKey || p.blob.state !== 'none');
  return {
    storage: result.storage,
    passkeys: capable.map(toRecord),
    passkeysWithoutBlobKey: result.passkeys.length - capable.length,
    orphans: { count: result.orphans.length, bytes: result.orphans.reduce((n, o) => n + o.storedSize, 0) },
  };
}

/** One passkey's blob: its text, or its bytes as hex (either gives back the exact data). */
export async function showBlob(options: CredentialOperationOptions & { credentialId: Uint8Array }): Promise<BlobRecord> {
  const result = await showLargeBlob(options);
  switch (result.outcome) {
    case 'shown':
      return toRecord(result);
    case 'not-found':
      throw notFound(options.credentialId);
    case 'no-blob':
      throw noBlob();
    case 'corrupt':
      throw corrupt(result.storage, result.reason);
    default:
      throw failure(result);
  }
}

/** Delete one passkey's blob (the flow names what is lost and asks first). */
export async function deleteBlob(options: CredentialOperationOptions & { credentialId: Uint8Array }): Promise<{ deleted: { credentialId: string; size: number } }> {
  const result = await deleteLargeBlob(options);
  switch (result.outcome) {
    case 'deleted':
      return { deleted: { credentialId: base64url(options.credentialId), size: result.size } };
    case 'not-found':
      throw notFound(options.credentialId);
    case 'no-blob':
      throw noBlob();
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-delete' });
    case 'changed':
      throw changed();
    case 'corrupt':
      throw corrupt(result.storage, result.reason);
    default:
      throw failure(result);
  }
}

export interface DeletedCredential {
  deleted: PasskeyRecord;
  /** What became of the data stored beside it; null on a key without large blobs. */
  blob: { outcome: BlobOfDeletedPasskey; size: number | null } | null;
}

/**
 * `skm creds delete` on a key with large blobs: delete the passkey (named, asked), then offer to
 * delete its blob as well while its largeBlobKey is still known. Keys without large blobs take
 * the plain passkey deletion.
 */
export async function deleteCredentialAndBlob(options: CredentialOperationOptions & { credentialId: string }): Promise<DeletedCredential> {
  const info = await options.session.getInfo({ signal: options.signal });
  if (!supportsLargeBlobs(info)) return { ...(await deleteCredential(options)), blob: null };
  return withOperationTokens(options.tokens, async (tokens) => {
    // The id may be a unique start of one: find the passkey first, with a token that also
    // covers the blob write, so the PIN is asked once for the whole operation.
    const passkey = await findPasskey({ ...options, tokens, alsoPermit: Permission.lbw });
    const result = await deletePasskeyAndBlob({ ...options, tokens, credentialId: passkey.credentialId });
    switch (result.outcome) {
      case 'deleted':
        return { deleted: toPasskeyRecord(result.passkey), blob: { outcome: result.blob, size: result.blobSize } };
      case 'declined':
        throw new AppError('CANCELLED', { reason: 'declined-delete' });
      case 'not-found':
        throw notFound(passkey.credentialId);
      case 'corrupt':
        throw corrupt(result.storage, result.reason);
      default:
        throw failure(result);
    }
  });
}

export interface PruneReport {
  /** Orphaned entries removed. */
  removed: number;
  freedBytes: number;
  /** The storage was unreadable and has been emptied. */
  cleared: boolean;
}

/** Remove the entries no passkey can open (or empty unreadable storage), after asking. */
export async function pruneBlobs(options: CredentialOperationOptions): Promise<PruneReport> {
  const result = await pruneLargeBlobs(options);
  switch (result.outcome) {
    case 'pruned':
      return { removed: result.removed, freedBytes: result.freedBytes, cleared: false };
    case 'nothing-to-prune':
      return { removed: 0, freedBytes: 0, cleared: false };
    case 'cleared':
      return { removed: 0, freedBytes: result.freedBytes, cleared: true };
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-remove' });
    case 'changed':
      throw changed();
    default:
      throw failure(result);
  }
}

function toRecord({ passkey, blob }: PasskeyBlob): BlobRecord {
  const content: BlobContent | null = blob.state === 'stored' ? blob.content : null;
  return {
    rpId: passkey.rpId,
    rpName: passkey.rpName,
    credentialId: base64url(passkey.credentialId),
    userName: passkey.userName,
    userDisplayName: passkey.userDisplayName,
    blob: blob.state,
    size: blob.state === 'stored' ? blob.size : null,
    text: content?.kind === 'text' ? content.text : null,
    hex: content?.kind === 'binary' ? content.hex : null,
  };
}

// ── errors: codes, reasons and facts (main/copy/ words them) ─────────────────────────────

function notFound(credentialId: Uint8Array): AppError {
  return new AppError('CREDENTIAL_NOT_FOUND', { details: `no passkey with id ${base64url(credentialId)}` });
}

function noBlob(): AppError {
  return new AppError('NO_CREDENTIALS', { reason: 'no-blob' });
}

function corrupt(storage: BlobStorage, reason: CorruptReason): AppError {
  return new AppError('KEY_FAILURE', { reason: 'blob-storage-unreadable', bytes: storage.used, details: `serialized large-blob array: ${reason}, ${storage.used} of ${storage.max} bytes` });
}

function changed(): AppError {
  return new AppError('DEVICE_BUSY', { reason: 'blob-storage-changed' });
}
