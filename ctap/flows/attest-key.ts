/**
 * Ask a key for an attestation statement, as a website that enforces attestation would: one
 * throw-away, non-discoverable credential (CTAP 2.1 §6.1, option rk absent) for a reserved RP ID
 * no real website can have, so nothing is stored on a key that keeps non-discoverable
 * credentials inside their ids (every real key) and no passkey slot is used.
 *
 * User verification (§6.1.2 step 6): a key with a PIN but makeCredUvNotRqd (CTAP 2.1) makes a
 * non-discoverable credential without one; otherwise (CTAP 2.0 / 2.1-PRE with a PIN, or alwaysUv)
 * the PIN is asked through the prompts and turned into a token with the mc permission.
 * The statement is judged elsewhere (main/service/provisioning/attestation.ts): this flow only
 * makes the credential and hands back what the key signed.
 * @module
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { ClientPin, Permission } from '../ctap2/client-pin.js';
import { isCtap2, isPinSet, option } from '../ctap2/info.js';
import { makeCredential, type MakeCredentialResult } from '../ctap2/make-credential.js';
import { effectiveMaxBytes, MIN_PIN_CODE_POINTS } from '../ctap2/pin.js';
import type { Ctap2Session } from '../ctap2/session.js';
import { sha256 } from '../ctap2/sha256.js';
import { throwIfAborted, UnsupportedError } from '../errors.js';
import type { UserPrompts } from './prompts.js';

/** RFC 2606 reserves ".invalid": no website can ever ask the key for this credential. */
export const ATTESTATION_RP_ID = 'attestation.skm.invalid';

export interface AttestKeyOptions {
  session: Ctap2Session;
  prompts: UserPrompts;
  signal?: AbortSignal;
  /** Blink the key (CTAPHID_WINK, where the transport can) before waiting for its touch. */
  wink?: boolean;
}

export interface AttestKeyResult {
  made: MakeCredentialResult;
  clientDataHash: Uint8Array;
  /** Whether the key was winked before its touch. */
  winked: boolean;
}

/** @throws CtapError (PIN_INVALID, not touched …) and UnsupportedError for a U2F-only key. */
export async function attestKey(options: AttestKeyOptions): Promise<AttestKeyResult> {
  const { session, prompts, signal } = options;
  throwIfAborted(signal);
  const info = await session.getInfo({ signal });
  if (!isCtap2(info)) throw new UnsupportedError('ctap2', 'This security key only speaks U2F; it makes no FIDO2 attestation.');
  const needsToken = option(info, 'alwaysUv') === true || (isPinSet(info) && option(info, 'makeCredUvNotRqd') !== true);
  let token;
  if (needsToken) {
    // A key with alwaysUv but no PIN would need built-in UV; asking for a PIN it does not have cannot help.
    if (!isPinSet(info)) throw new UnsupportedError('uv', 'This security key wants its fingerprint for every credential; attestation is checked with a PIN only.');
    const pin = await prompts.pin({ purpose: 'current', retries: null, minLength: MIN_PIN_CODE_POINTS, maxBytes: effectiveMaxBytes(info.maxPINLength) }, signal);
    token = await new ClientPin(session).getToken(pin, { permissions: Permission.mc, rpId: ATTESTATION_RP_ID, signal });
  }
  const clientDataHash = sha256(randomBytes(32));
  try {
    const transport = session.transport;
    const winked = options.wink === true && transport.capabilities.wink;
    if (winked) await transport.wink({ signal });
    const dismiss = prompts.touch({ reason: 'make-credential', instruction: 'generic-touch' });
    try {
      const made = await makeCredential(session, {
        clientDataHash,
        rp: { id: ATTESTATION_RP_ID, name: 'Security Key Manager attestation check' },
        // A random user handle: the credential is thrown away and must not link two checks.
        user: { id: randomBytes(16), name: 'attestation-check', displayName: 'Attestation check' },
        residentKey: false,
        token,
        signal,
      });
      return { made, clientDataHash, winked };
    } finally {
      dismiss();
    }
  } finally {
    token?.dispose();
  }
}
