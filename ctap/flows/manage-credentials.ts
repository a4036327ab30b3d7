/**
 * Passkey flows: list, delete, rename — CTAP 2.1 §6.8 (credential management) as the Windows
 * "Security Key › Manage › Passkeys" page does it. Capability first: a key that cannot list
 * passkeys says so in words, never with an empty list. The token asked for carries only the
 * cm permission (a legacy token on 2.1-PRE keys, which have no permissions) and is zeroed after.
 *
 * Also home of `unlockWithPin`, the PIN → pinUvAuthToken step the fingerprint and settings
 * flows share.
 * @module
 */
import { ClientPin, Permission, type PinUvAuthToken } from '../ctap2/client-pin.js';
import { CredentialManagement, type CredentialRecord, type CredsMetadata, type RelyingParty } from '../ctap2/credential-management.js';
import { credentialManagementSupport, isCtap2, isPinSet, type AuthenticatorInfo } from '../ctap2/info.js';
import { effectiveMaxBytes, MIN_PIN_CODE_POINTS } from '../ctap2/pin.js';
import type { Ctap2Session } from '../ctap2/session.js';
import type { CborMap } from '../cbor.js';
import { CancelledError, CtapError, PinPolicyError, throwIfAborted } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { PinRequest, UserPrompts } from './prompts.js';

export interface FlowOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /**
   * Tokens shared by the flows of one operation (find a passkey, then delete it), so the PIN is
   * asked and used once. The caller owns them and disposes them when the operation ends.
   */
  tokens?: OperationTokens;
}

/**
 * The pinUvAuthTokens of one operation, one per permission set — as Chromium's credential
 * management handler keeps one token for enumerating and deleting. Nothing but the token (scoped
 * to its permissions, gone at the next power-up) outlives the PIN's single use.
 */
export class OperationTokens {
  readonly #tokens = new Map<number, PinUvAuthToken>();

  /**
   * Permissions to ask for on top of what a step needs, so a token outlives one operation and
   * serves the next (cm | lbw on a key with large blobs: list, then delete a blob, one PIN). Set
   * only by an owner that keeps the tokens across operations; 0 keeps each token least-privileged.
   */
  alsoPermit = 0;

  /** Whether a token is held. */
  get holding(): boolean {
    return this.#tokens.size > 0;
  }

  /** The token for `permissions`, or one with more (a cm+lbw token serves a cm step). */
  get(permissions: number): PinUvAuthToken | undefined {
    return this.#tokens.get(permissions) ?? [...this.#tokens].find(([granted]) => (granted & permissions) === permissions)?.[1];
  }

  set(permissions: number, token: PinUvAuthToken): void {
    this.#tokens.get(permissions)?.dispose();
    this.#tokens.set(permissions, token);
  }

  /** Forget (and zero) a token the key no longer accepts: the one `get(permissions)` gave. */
  drop(permissions: number): void {
    const token = this.get(permissions);
    for (const [granted, held] of this.#tokens) {
      if (held === token) this.#tokens.delete(granted);
    }
    token?.dispose();
  }

  dispose(): void {
    for (const token of this.#tokens.values()) token.dispose();
    this.#tokens.clear();
  }
}

/** Why no token could be had; each is an expected end of a flow with a next step in words. */
export type UnlockFailure =
  | { outcome: 'pin-required-not-set' }
  | { outcome: 'pin-blocked' }
  | { outcome: 'pin-auth-blocked' }
  | { outcome: 'pin-change-required' }
  | { outcome: 'cancelled' };

/** What the key lacks, as a feature code (the catalogue words it: main/copy/). */
export type Unsupported = { outcome: 'unsupported'; feature: UnsupportedFeature };

export type UnsupportedFeature =
  | 'u2f-only'
  | 'credential-management-ctap20'
  | 'credential-management'
  | 'rename-passkey-preview'
  | 'bio-enrollment'
  | 'authenticator-config'
  | 'always-uv'
  | 'min-pin-length'
  | 'enterprise-attestation'
  | 'large-blobs';

/** One passkey as the app shows it (raw fields kept for developers). */
export interface PasskeyView {
  rpId: string;
  rpName: string | null;
  userName: string | null;
  userDisplayName: string | null;
  userId: Uint8Array;
  credentialId: Uint8Array;
  /** credProtect level 1–3 (§12.1), null when the key did not say. */
  credProtect: number | null;
  largeBlobKey: boolean;
  /** COSE_Key of the passkey's public key. */
  publicKey: CborMap;
}

export interface RpPasskeys {
  rp: RelyingParty;
  rpIdHash: Uint8Array;
  credentials: CredentialRecord[];
}

export type ListPasskeysOutcome =
  | { outcome: 'listed'; metadata: CredsMetadata; rps: RpPasskeys[]; passkeys: PasskeyView[] }
  | Unsupported
  | UnlockFailure;

export type DeletePasskeyOutcome = { outcome: 'deleted' } | { outcome: 'declined' } | { outcome: 'not-found' } | Unsupported | UnlockFailure;

export type UpdateUserOutcome = { outcome: 'updated' } | { outcome: 'not-found' } | Unsupported | UnlockFailure;

/**
 * Every passkey on the key: metadata, then all RPs, then each RP's credentials — each
 * enumeration one uninterrupted Begin/GetNext sequence (1 + R + C requests after the token).
 */
export async function listPasskeys(options: FlowOptions & { alsoPermit?: number }): Promise<ListPasskeysOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = credentialManagementUnsupported(info);
    if (unsupported) return unsupported;
    // `alsoPermit`: permissions a later step of the same operation needs (lbw to write large
    // blobs), so one token — and one PIN entry — serves both (§6.5.5.7 permissions are bits).
    return withToken({ ...options, info, permissions: Permission.cm | (options.alsoPermit ?? 0) }, async (token) => {
      const manager = new CredentialManagement(options.session, token);
      const tx = { signal: options.signal };
      const metadata = await manager.getMetadata(tx);
      const rps: RpPasskeys[] = [];
      // Nothing stored: enumerateRPsBegin could only answer NO_CREDENTIALS, so save the request.
      const found = metadata.existingResidentCredentialsCount === 0 ? [] : await manager.enumerateRps(tx);
      for (const [index, { rp, rpIdHash }] of found.entries()) {
        options.prompts.progress({ step: 'reading-passkeys', rpId: rp.id, current: index + 1, total: found.length });
        rps.push({ rp, rpIdHash, credentials: await manager.enumerateCredentials(rpIdHash, tx) });
      }
      const passkeys = rps.flatMap(({ rp, credentials }) => credentials.map((credential) => passkeyView(rp, credential)));
      return { outcome: 'listed', metadata, rps, passkeys };
    });
  });
}

/** Delete one passkey after the person has seen which sign-in they lose. */
export async function deletePasskey(options: FlowOptions & { passkey: PasskeyView }): Promise<DeletePasskeyOutcome> {
  return guard(options.signal, async () => {
    const { passkey } = options;
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = credentialManagementUnsupported(info);
    if (unsupported) return unsupported;
    const account = passkey.userName ?? passkey.userDisplayName;
    const agreed = await options.prompts.confirm(
      {
        action: 'delete-passkey',
        subject: { rpId: passkey.rpId, account },
        consequences: [{ code: 'passkey-sign-in-lost', rpId: passkey.rpId, account }, { code: 'cannot-undo-website-may-list' }],
      },
      options.signal,
    );
    if (!agreed) return { outcome: 'declined' };
    return withToken({ ...options, info, permissions: Permission.cm }, async (token) => {
      try {
        await new CredentialManagement(options.session, token).deleteCredential({ type: 'public-key', id: passkey.credentialId }, { signal: options.signal });
      } catch (error) {
        if (error instanceof CtapError && error.status === CtapStatus.NO_CREDENTIALS) return { outcome: 'not-found' };
        throw error;
      }
      return { outcome: 'deleted' };
    });
  });
}

/** Change the name / display name stored with a passkey (CTAP 2.1 keys only, §6.8.6). */
export async function updateUser(
  options: FlowOptions & { passkey: PasskeyView; name: string | null; displayName: string | null },
): Promise<UpdateUserOutcome> {
  return guard(options.signal, async () => {
    const info = await options.session.getInfo({ signal: options.signal });
    const unsupported = credentialManagementUnsupported(info);
    if (unsupported) return unsupported;
    if (credentialManagementSupport(info) !== 'full') {
      return { outcome: 'unsupported', feature: 'rename-passkey-preview' };
    }
    return withToken({ ...options, info, permissions: Permission.cm }, async (token) => {
      const user = { id: options.passkey.userId, name: options.name, displayName: options.displayName };
      try {
        await new CredentialManagement(options.session, token).updateUserInformation(
          { type: 'public-key', id: options.passkey.credentialId },
          user,
          { signal: options.signal },
        );
      } catch (error) {
        if (error instanceof CtapError && error.status === CtapStatus.NO_CREDENTIALS) return { outcome: 'not-found' };
        throw error;
      }
      return { outcome: 'updated' };
    });
  });
}

function credentialManagementUnsupported(info: AuthenticatorInfo): Unsupported | undefined {
  if (credentialManagementSupport(info) !== 'none') return undefined;
  if (!isCtap2(info)) return { outcome: 'unsupported', feature: 'u2f-only' };
  if (info.versions.every((v) => v === 'FIDO_2_0' || v === 'U2F_V2')) {
    return { outcome: 'unsupported', feature: 'credential-management-ctap20' };
  }
  return { outcome: 'unsupported', feature: 'credential-management' };
}

function passkeyView(rp: RelyingParty, credential: CredentialRecord): PasskeyView {
  return {
    rpId: rp.id,
    rpName: rp.name,
    userName: credential.user.name ?? null,
    userDisplayName: credential.user.displayName ?? null,
    userId: credential.user.id,
    credentialId: credential.credentialId.id,
    credProtect: credential.credProtect,
    largeBlobKey: credential.largeBlobKey !== null,
    publicKey: credential.publicKey,
  };
}

// ── PIN → token, shared with manage-fingerprints.ts and configure.ts ────────────────────────

/**
 * Ask for the PIN and get a token for `permissions` (a legacy token on 2.0 / 2.1-PRE keys),
 * asking again after a wrong PIN with the tries left, until the key blocks further tries.
 * Returns an UnlockFailure for the expected ends (no PIN set, blocked, PIN change required).
 */
export async function unlockWithPin(
  options: FlowOptions & { info: AuthenticatorInfo; permissions: number },
): Promise<PinUvAuthToken | UnlockFailure> {
  const { session, prompts, signal, info } = options;
  if (!isPinSet(info)) {
    return { outcome: 'pin-required-not-set' };
  }
  const clientPin = new ClientPin(session);
  // Nobody sees the tries left before typing: skip the read. A blocked key then answers the
  // token request with PIN_BLOCKED / PIN_AUTH_BLOCKED, which end the flow the same way.
  let { retries, powerCycleState }: { retries: number | null; powerCycleState: boolean | null } =
    prompts.showsRetries === false ? { retries: null, powerCycleState: null } : await clientPin.getPinRetries({ signal });
  let retry: PinRequest['retry'];
  for (;;) {
    if (retries === 0) return pinBlocked();
    if (powerCycleState === true) return pinAuthBlocked();
    throwIfAborted(signal);
    const pin = await prompts.pin(
      { purpose: 'current', retries, minLength: MIN_PIN_CODE_POINTS, maxBytes: effectiveMaxBytes(info.maxPINLength), ...(retry ? { retry } : {}) },
      signal,
    );
    throwIfAborted(signal);
    try {
      return await clientPin.getToken(pin, { permissions: options.permissions, signal });
    } catch (error) {
      if (error instanceof PinPolicyError) {
        // Refused on the host: nothing was sent, no try was spent.
        retry = { reason: error.reason, cause: 'host' };
        continue;
      }
      if (!(error instanceof CtapError)) throw error;
      switch (error.status) {
        case CtapStatus.PIN_INVALID:
          ({ retries, powerCycleState } = await clientPin.getPinRetries({ signal }));
          retry = { reason: 'wrong-pin', cause: 'key' };
          continue;
        case CtapStatus.PIN_AUTH_BLOCKED:
          return pinAuthBlocked();
        case CtapStatus.PIN_BLOCKED:
          return pinBlocked();
        case CtapStatus.PIN_POLICY_VIOLATION:
          // §6.5.5.7: a key with forcePINChange refuses tokens until the PIN is changed.
          return { outcome: 'pin-change-required' };
        default:
          throw error;
      }
    }
  }
}

function pinBlocked(): UnlockFailure {
  return { outcome: 'pin-blocked' };
}

function pinAuthBlocked(): UnlockFailure {
  return { outcome: 'pin-auth-blocked' };
}

/**
 * Run `use` with a token for `permissions`: the operation's shared one when there is one, else a
 * new one from the PIN, zeroed afterwards unless the operation keeps it.
 */
export async function withToken<T>(
  options: FlowOptions & { info: AuthenticatorInfo; permissions: number },
  use: (token: PinUvAuthToken) => Promise<T>,
): Promise<T | UnlockFailure> {
  const { tokens, permissions } = options;
  const shared = tokens?.get(permissions);
  if (shared) {
    try {
      return await use(shared);
    } catch (error) {
      // §6.5.2.1: a token expires (usage timer, power cycle); the key then refuses it before
      // acting on the command, so asking for the PIN again and retrying is safe.
      if (!(error instanceof CtapError) || error.status !== CtapStatus.PIN_AUTH_INVALID) throw error;
      tokens!.drop(permissions);
    }
  }
  const granted = permissions | (tokens?.alsoPermit ?? 0);
  const token = await unlockWithPin({ ...options, permissions: granted });
  if (!('token' in token)) return token;
  if (tokens) {
    tokens.set(granted, token);
    return use(token);
  }
  try {
    return await use(token);
  } finally {
    token.dispose();
  }
}

/** A cancelled prompt or an aborted signal is an expected end, not a failure. */
export async function guard<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T | { outcome: 'cancelled' }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CancelledError || signal?.aborted) return { outcome: 'cancelled' };
    throw error;
  }
}
