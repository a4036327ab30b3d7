/**
 * WebAuthn entities as CTAP carries them (CTAP 2.1 §6.1 parameters; WebAuthn §5.4.2, §5.4.3,
 * §5.8.3): the relying party, the user and credential descriptors, with their CBOR forms.
 * Shared by makeCredential, getAssertion and credential management.
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';

/** PublicKeyCredentialRpEntity. */
export interface RelyingPartyEntity {
  id: string;
  name?: string | null;
}

/** PublicKeyCredentialUserEntity; name and displayName are optional on a key. */
export interface UserEntity {
  id: Uint8Array;
  name?: string | null;
  displayName?: string | null;
}

/** PublicKeyCredentialDescriptor; the type is always "public-key". */
export interface CredentialDescriptor {
  id: Uint8Array;
  type?: 'public-key';
  transports?: string[];
}

export function rpToCbor(rp: RelyingPartyEntity): CborMap {
  return textKeyed({ id: rp.id, name: rp.name });
}

export function userToCbor(user: UserEntity): CborMap {
  return textKeyed({ id: user.id, name: user.name, displayName: user.displayName });
}

export function descriptorToCbor(descriptor: CredentialDescriptor): CborMap {
  return textKeyed({ id: descriptor.id, type: 'public-key', transports: descriptor.transports });
}

/** A text-keyed CBOR map from an object, leaving out absent (undefined or null) members. */
export function textKeyed(fields: Record<string, CborValue | undefined>): CborMap {
  const map: CborMap = new Map();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) map.set(key, value);
  return map;
}
