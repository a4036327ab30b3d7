/**
 * Passkey operations for the app and the CLI — CTAP 2.1 §6.8 (authenticatorCredentialManagement)
 * through ctap/flows/manage-credentials.ts. The flow returns outcomes; this file turns the
 * expected failures into AppErrors with a next step, and the passkeys into JSON-ready records
 * (ids as unpadded base64url, as WebAuthn's `PublicKeyCredential.id`).
 *
 * Also home of what the other key-management operations share: the UnlockFailure → AppError
 * mapping, base64url ids and `withOperationTokens` (an operation that finds a passkey, then
 * deletes it, asks for the PIN once and reuses the token, as Chromium does).
 * @module
 */
import type { CredsMetadata } from '../../../ctap/ctap2/credential-management.js';
import { credentialManagementSupport } from '../../../ctap/ctap2/info.js';
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import {
  deletePasskey,
  listPasskeys,
  OperationTokens,
  updateUser,
  type PasskeyView,
  type UnlockFailure,
  type Unsupported,
} from '../../../ctap/flows/manage-credentials.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import { shorten } from '../device-manager.js';
import { AppError } from '../errors.js';

export interface CredentialOperationOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /** Tokens shared with the other steps of the same operation (see withOperationTokens). */
  tokens?: OperationTokens;
}

/** One passkey as `skm creds list --json` prints it. */
export interface PasskeyRecord {
  rpId: string;
  rpName: string | null;
  /** Unpadded base64url. */
  credentialId: string;
  /** Unpadded base64url (the user handle). */
  userId: string;
  userName: string | null;
  userDisplayName: string | null;
  /** credProtect level 1–3 (CTAP 2.1 §12.1), null when the key did not say. */
  credProtect: number | null;
  largeBlobKey: boolean;
}

export interface PasskeyList {
  /** §6.8.1 getCredsMetadata: passkeys stored, and how many more fit. */
  stored: number;
  remaining: number;
  passkeys: PasskeyRecord[];
}

/** Every passkey on the key (only those of `rpId` when given), with the key's slot counts. */
export async function listCredentials(options: CredentialOperationOptions & { rpId?: string }): Promise<PasskeyList> {
  const found = await readPasskeys(options);
  const views = options.rpId === undefined ? found.passkeys : found.passkeys.filter((p) => p.rpId === options.rpId);
  return {
    stored: found.metadata.existingResidentCredentialsCount,
    remaining: found.metadata.maxPossibleRemainingResidentCredentialsCount,
    passkeys: views.map(toRecord),
  };
}

/**
 * Delete one passkey by its id: the passkeys are read first, so the confirmation can name the
 * website and the account that will be lost (the PIN is asked once for both steps).
 */
export async function deleteCredential(options: CredentialOperationOptions & { credentialId: string }): Promise<{ deleted: PasskeyRecord }> {
  return withOperationTokens(options.tokens, (tokens) => deleteWithTokens({ ...options, tokens }));
}

async function deleteWithTokens(options: CredentialOperationOptions & { credentialId: string; tokens: OperationTokens }): Promise<{ deleted: PasskeyRecord }> {
  const passkey = await findPasskey(options);
  const result = await deletePasskey({ ...options, passkey });
  switch (result.outcome) {
    case 'deleted':
      return { deleted: toRecord(passkey) };
    case 'declined':
      throw new AppError('CANCELLED', { reason: 'declined-delete' });
    case 'not-found':
      throw new AppError('CREDENTIAL_NOT_FOUND', { details: 'CTAP2_ERR_NO_CREDENTIALS (0x2e) from deleteCredential' });
    default:
      throw failure(result);
  }
}

/**
 * Change the account name and/or display name stored with a passkey (CTAP 2.1 §6.8.6). The key
 * replaces the whole user entity and drops fields that are not sent, so a field not given here
 * keeps its stored value.
 */
export async function updateCredentialUser(
  options: CredentialOperationOptions & { credentialId: string; name?: string; displayName?: string },
): Promise<{ updated: PasskeyRecord }> {
  // Capability first: a 2.1-PRE key could list the passkeys but not rename them; say so before the PIN.
  const info = await options.session.getInfo({ refresh: true, signal: options.signal });
  if (credentialManagementSupport(info) === 'preview') {
    throw new AppError('UNSUPPORTED', { feature: 'rename-passkey-preview' });
  }
  return withOperationTokens(options.tokens, async (tokens) => {
    const passkey = await findPasskey({ ...options, tokens });
    const name = options.name ?? passkey.userName;
    const displayName = options.displayName ?? passkey.userDisplayName;
    const result = await updateUser({ ...options, tokens, passkey, name, displayName });
    switch (result.outcome) {
      case 'updated':
        return { updated: toRecord({ ...passkey, userName: name, userDisplayName: displayName }) };
      case 'not-found':
        throw new AppError('CREDENTIAL_NOT_FOUND', { details: 'CTAP2_ERR_NO_CREDENTIALS (0x2e) from updateUserInformation' });
      default:
        throw failure(result);
    }
  });
}

async function readPasskeys(options: CredentialOperationOptions & { alsoPermit?: number }): Promise<{ metadata: CredsMetadata; passkeys: PasskeyView[] }> {
  const result = await listPasskeys(options);
  if (result.outcome === 'listed') return result;
  throw failure(result);
}

/**
 * The passkey with this id, or the only one whose id starts with it (as ykman accepts a unique
 * prefix); several → USAGE naming them, so the person can give more of the id.
 */
export async function findPasskey(options: CredentialOperationOptions & { credentialId: string; alsoPermit?: number }): Promise<PasskeyView> {
  const wanted = checkCredentialId(options.credentialId);
  const { passkeys } = await readPasskeys(options);
  const exact = passkeys.find((p) => base64url(p.credentialId) === wanted);
  if (exact) return exact;
  const matches = passkeys.filter((p) => base64url(p.credentialId).startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new AppError('CREDENTIAL_NOT_FOUND', { details: `no passkey with an id starting ${shorten(wanted)}` });
  throw new AppError('USAGE', {
    reason: 'ambiguous-credential-id',
    input: shorten(wanted),
    passkeys: matches.map((p) => ({ credentialId: base64url(p.credentialId), rpId: p.rpId, userName: p.userName })),
  });
}

export function toRecord(view: PasskeyView): PasskeyRecord {
  return {
    rpId: view.rpId,
    rpName: view.rpName,
    credentialId: base64url(view.credentialId),
    userId: base64url(view.userId),
    userName: view.userName,
    userDisplayName: view.userDisplayName,
    credProtect: view.credProtect,
    largeBlobKey: view.largeBlobKey,
  };
}

// ── shared with operations/fingerprints.ts and operations/settings.ts ───────────────────────

/** Unpadded base64url (RFC 4648 §5), the form WebAuthn shows credential ids in. */
export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * A credential id (or the start of one) typed by a person: unpadded base64url characters only,
 * and no longer than any id a key can hold (§6.4 maxCredentialIdLength is far below this).
 * @throws AppError USAGE for anything else.
 */
export function checkCredentialId(text: string): string {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(text)) throw new AppError('USAGE', { reason: 'invalid-credential-id', input: shorten(text) });
  return text;
}

/**
 * A whole credential id typed by a person (operations that act on one stored blob take no
 * prefix). Strict: Node's decoder skips characters it does not know, so the text must round-trip.
 * @throws AppError USAGE otherwise.
 */
export function parseBase64url(text: string, reason: 'invalid-credential-id'): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]+$/.test(text) ? new Uint8Array(Buffer.from(text, 'base64url')) : new Uint8Array(0);
  if (bytes.length === 0 || base64url(bytes) !== text) throw new AppError('USAGE', { reason, input: shorten(text) });
  return bytes;
}

/** The AppError for a flow's unsupported / unlock-failure / cancelled outcome. */
export function failure(result: Unsupported | UnlockFailure): AppError {
  switch (result.outcome) {
    case 'unsupported':
      return new AppError('UNSUPPORTED', { feature: result.feature });
    case 'pin-required-not-set':
      return new AppError('PIN_NOT_SET');
    case 'pin-blocked':
      return new AppError('PIN_BLOCKED', { retries: 0, details: 'CTAP2_ERR_PIN_BLOCKED (0x32) or no retries left' });
    case 'pin-auth-blocked':
      return new AppError('PIN_AUTH_BLOCKED', { details: 'CTAP2_ERR_PIN_AUTH_BLOCKED (0x34) or powerCycleState' });
    case 'pin-change-required':
      return new AppError('PIN_CHANGE_REQUIRED', { details: 'forcePINChange: CTAP2_ERR_PIN_POLICY_VIOLATION (0x37) on getPinUvAuthToken' });
    case 'cancelled':
      return new AppError('CANCELLED');
    default: {
      const unreachable: never = result;
      return new AppError('INTERNAL', { details: `unknown outcome ${JSON.stringify(unreachable)}` });
    }
  }
}

/**
 * Run an operation whose flows share their pinUvAuthTokens: `held` when the service keeps the
 * key unlocked across operations (it zeroes them), else a set of the operation's own, zeroed at
 * the end.
 */
export async function withOperationTokens<T>(held: OperationTokens | undefined, run: (tokens: OperationTokens) => Promise<T>): Promise<T> {
  if (held) return run(held);
  const tokens = new OperationTokens();
  try {
    return await run(tokens);
  } finally {
    tokens.dispose();
  }
}
