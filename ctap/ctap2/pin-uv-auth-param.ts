/**
 * The pinUvAuthParam of every command that carries one after a pinUvAuthToken was issued
 * (CTAP 2.1 §6.5.5.7): pinUvAuthParam = authenticate(pinUvAuthToken, message) with the token's
 * protocol (§6.5.4), sent beside that protocol's number. Only the message differs by family:
 * - authenticatorBioEnrollment (§6.7): modality ‖ subCommand ‖ subCommandParams
 * - authenticatorCredentialManagement (§6.8): subCommand ‖ subCommandParams
 * - authenticatorConfig (§6.11 step 4): 32×0xff ‖ 0x0d ‖ subCommand ‖ subCommandParams
 * - authenticatorLargeBlobs (§6.10.2 step 4.e.iv) has no sub-command: its own message is built
 *   in large-blobs.ts and MACed here.
 * subCommandParams are the bytes as encoded in the request (canonical CBOR, §8), nothing when
 * absent. One place for the MAC, as python-fido2's `_call`.
 * @module
 */
import { encodeCanonical, type CborMap } from '../cbor.js';
import type { PinUvAuthToken } from './client-pin.js';

/** The two request members a token adds: pinUvAuthProtocol and pinUvAuthParam. */
export interface PinUvAuth {
  readonly protocol: number;
  readonly param: Uint8Array;
}

/** `prefix ‖ subCommand ‖ subCommandParams`, the message of every sub-command family. */
export function subCommandMessage(prefix: Uint8Array, subCommand: number, params: CborMap | undefined): Uint8Array {
  const encoded = params ? encodeCanonical(params) : new Uint8Array(0);
  const message = new Uint8Array(prefix.length + 1 + encoded.length);
  message.set(prefix, 0);
  message[prefix.length] = subCommand;
  message.set(encoded, prefix.length + 1);
  return message;
}

/** authenticate(pinUvAuthToken, message) and the protocol it was made with. */
export function pinUvAuth(token: PinUvAuthToken, message: Uint8Array): PinUvAuth {
  return { protocol: token.protocol.version, param: token.protocol.authenticate(token.token, message) };
}
