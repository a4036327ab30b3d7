/**
 * COSE_Key for P-256 (RFC 9053 §7.1.1; CTAP 2.1 §6.5.6 keyAgreement, WebAuthn credential public
 * keys): labels, and the one validating conversion to an uncompressed SEC1 point. The check is
 * OpenSSL's (Node's crypto): @noble/curves sets its curve up when it loads, a few ms and a
 * WebCrypto start at every `skm` run that gets a PIN token; the simulated key keeps noble.
 * @module
 */
import { ECDH } from 'node:crypto';
import type { CborMap } from '../cbor.js';
import { ProtocolError } from '../errors.js';

/** COSE_Key labels used by EC2 keys. */
export const CoseKey = { kty: 1, alg: 3, crv: -1, x: -2, y: -3 } as const;
export const COSE_KTY_EC2 = 2;
export const COSE_CRV_P256 = 1;

/**
 * The uncompressed point (0x04 ‖ x ‖ y) of an EC2 P-256 COSE_Key, checked to lie on the curve.
 * @param what names the key in errors ("keyAgreement", "credential public key").
 */
export function p256PointFromCose(cose: CborMap, what: string): Uint8Array {
  const x = cose.get(CoseKey.x);
  const y = cose.get(CoseKey.y);
  if (cose.get(CoseKey.kty) !== COSE_KTY_EC2 || cose.get(CoseKey.crv) !== COSE_CRV_P256) {
    throw new ProtocolError(`${what} is not an EC2 key on P-256.`);
  }
  if (!(x instanceof Uint8Array) || x.length !== 32 || !(y instanceof Uint8Array) || y.length !== 32) {
    throw new ProtocolError(`${what}: P-256 coordinates must be 32 bytes each.`);
  }
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  try {
    // Decoding the point refuses one that is not on the curve (SEC 1 §2.3.4).
    ECDH.convertKey(point, 'prime256v1');
  } catch (cause) {
    throw new ProtocolError(`${what} is not a point on P-256.`, { cause });
  }
  return point;
}
