import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { decodeMap, encodeCanonical, type CborMap } from '../../ctap/cbor.js';
import type { PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { getAssertions, verifyAssertion } from '../../ctap/ctap2/get-assertion.js';
import {
  buildMakeCredentialParams,
  checkAttestation,
  makeCredential,
  MakeCredentialKey,
  parseAuthenticatorData,
  parseCosePublicKey,
  verifySignature,
} from '../../ctap/ctap2/make-credential.js';
import { pinProtocol } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { ProtocolError } from '../../ctap/errors.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';

const RP = 'example.com';
const clientDataHash = sha256(new TextEncoder().encode('client data'));
const secretKey = p256.utils.randomSecretKey();
const point = p256.getPublicKey(secretKey, false);
const credentialId = new Uint8Array(40).fill(7);
const aaguid = new Uint8Array(16).fill(0xaa);

function cosePublicKey(): CborMap {
  return new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, point.slice(1, 33)], [-3, point.slice(33)]]);
}

function authData(options: { flags: number; signCount: number; attested?: boolean; extensions?: CborMap; rpId?: string }): Uint8Array {
  const parts: Uint8Array[] = [sha256(new TextEncoder().encode(options.rpId ?? RP)), new Uint8Array([options.flags])];
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, options.signCount, false);
  parts.push(count);
  if (options.attested) parts.push(aaguid, new Uint8Array([0, credentialId.length]), credentialId, encodeCanonical(cosePublicKey()));
  if (options.extensions) parts.push(encodeCanonical(options.extensions));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sign(data: Uint8Array): Uint8Array {
  const message = new Uint8Array([...data, ...clientDataHash]);
  return p256.sign(message, secretKey, { format: 'der' });
}

/** A transport that answers each CBOR request from a queue and records what was sent. */
function scriptedTransport(responses: Uint8Array[]): CtapTransport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    kind: 'hid',
    capabilities: { cbor: true, msg: false, wink: false },
    sent,
    async transact(_command, data) {
      sent.push(data);
      const next = responses.shift();
      if (!next) throw new Error('no scripted response left');
      return next;
    },
    async wink() {},
    async close() {},
  };
}

function ok(map: CborMap): Uint8Array {
  return new Uint8Array([0, ...encodeCanonical(map)]);
}

describe('authenticator data', () => {
  it('parses flags, counter, attested credential data and extensions', () => {
    const raw = authData({ flags: 0x01 | 0x04 | 0x40 | 0x80, signCount: 0x01020304, attested: true, extensions: new Map([['credProtect', 2]]) });
    const parsed = parseAuthenticatorData(raw);
    expect(parsed.userPresent).toBe(true);
    expect(parsed.userVerified).toBe(true);
    expect(parsed.signCount).toBe(0x01020304);
    expect(parsed.attestedCredentialData?.aaguid).toEqual(aaguid);
    expect(parsed.attestedCredentialData?.credentialId).toEqual(credentialId);
    expect(parsed.attestedCredentialData?.publicKey.p256Point).toEqual(point);
    expect(parsed.extensions?.get('credProtect')).toBe(2);
  });

  it('rejects truncated data, trailing bytes and off-curve keys', () => {
    const raw = authData({ flags: 0x41, signCount: 1, attested: true });
    expect(() => parseAuthenticatorData(raw.subarray(0, 36))).toThrow(ProtocolError);
    expect(() => parseAuthenticatorData(raw.subarray(0, raw.length - 3))).toThrow(ProtocolError);
    expect(() => parseAuthenticatorData(new Uint8Array([...raw, 0]))).toThrow(ProtocolError);
    const bent = raw.slice();
    bent[bent.length - 1]! ^= 0x01;
    expect(() => parseAuthenticatorData(bent)).toThrow(/not a point on P-256/);
  });
});

describe('makeCredential request', () => {
  const base = { clientDataHash, rp: { id: RP, name: 'Example' }, user: { id: new Uint8Array([1, 2]), name: 'alice' } };

  it('sends rk, credProtect and the pinUvAuthParam computed over clientDataHash', () => {
    const protocol = pinProtocol(2);
    const tokenBytes = new Uint8Array(32).fill(9);
    const token = { protocol, token: tokenBytes, permissions: 1, legacy: false, dispose() {} } satisfies PinUvAuthToken;
    const params = buildMakeCredentialParams({ ...base, residentKey: true, credProtect: 2, token });
    expect((params.get(MakeCredentialKey.options) as CborMap).get('rk')).toBe(true);
    expect((params.get(MakeCredentialKey.extensions) as CborMap).get('credProtect')).toBe(2);
    expect(params.get(MakeCredentialKey.pinUvAuthProtocol)).toBe(2);
    expect(protocol.verify(tokenBytes, clientDataHash, params.get(MakeCredentialKey.pinUvAuthParam) as Uint8Array)).toBe(true);
  });

  it('touchOnly sends an empty pinUvAuthParam with protocol 1 (the select-by-touch probe)', () => {
    const params = buildMakeCredentialParams({ ...base, touchOnly: true });
    expect(params.get(MakeCredentialKey.pinUvAuthParam)).toEqual(new Uint8Array(0));
    expect(params.get(MakeCredentialKey.pinUvAuthProtocol)).toBe(1);
    expect(params.has(MakeCredentialKey.options)).toBe(false);
  });

  it('fails fast on a wrong-size clientDataHash', () => {
    expect(() => buildMakeCredentialParams({ ...base, clientDataHash: new Uint8Array(31) })).toThrow(RangeError);
  });
});

describe('verifySignature (ES256, WebAuthn §6.5.5)', () => {
  const data = authData({ flags: 0x01, signCount: 3 });
  const publicKey = parseCosePublicKey(cosePublicKey());
  const check = (signature: Uint8Array, hash = clientDataHash) => verifySignature({ publicKey, authData: data, clientDataHash: hash, signature });

  it('accepts a DER signature in low-S and in high-S form, as WebAuthn does', () => {
    const low = p256.Signature.fromBytes(sign(data), 'der');
    const high = new p256.Signature(low.r, p256.Point.Fn.ORDER - low.s);
    expect(high.hasHighS()).toBe(!low.hasHighS());
    expect(check(low.toBytes('der'))).toBe(true);
    expect(check(high.toBytes('der'))).toBe(true);
  });

  it('refuses another message, another key, raw r‖s and malformed DER without throwing', () => {
    const good = sign(data);
    expect(check(good, sha256(new Uint8Array([2])))).toBe(false);
    const otherPoint = p256.getPublicKey(p256.utils.randomSecretKey(), false);
    const other = parseCosePublicKey(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, otherPoint.slice(1, 33)], [-3, otherPoint.slice(33)]]));
    expect(verifySignature({ publicKey: other, authData: data, clientDataHash, signature: good })).toBe(false);
    expect(check(p256.Signature.fromBytes(good, 'der').toBytes('compact'))).toBe(false);
    expect(check(good.subarray(0, good.length - 3))).toBe(false);
    expect(check(new Uint8Array(0))).toBe(false);
  });
});

describe('makeCredential and getAssertion over a session', () => {
  it('parses a packed self attestation, then walks two assertions and verifies them', async () => {
    const made = authData({ flags: 0x41, signCount: 0, attested: true });
    const attestation = new Map<number, string | Uint8Array | CborMap>([
      [1, 'packed'],
      [2, made],
      [3, new Map<string, number | Uint8Array>([['alg', -7], ['sig', sign(made)]])],
    ]);
    const first = authData({ flags: 0x01, signCount: 1 });
    const second = authData({ flags: 0x01, signCount: 2 });
    const assertion = (data: Uint8Array, extra: [number, number][]) =>
      ok(new Map<number, unknown>([[1, new Map<string, unknown>([['id', credentialId], ['type', 'public-key']])], [2, data], [3, sign(data)], ...extra]) as CborMap);
    const transport = scriptedTransport([ok(attestation as CborMap), assertion(first, [[5, 2]]), assertion(second, [])]);
    const session = new Ctap2Session(transport);

    const result = await makeCredential(session, { clientDataHash, rp: { id: RP }, user: { id: new Uint8Array([1]) }, residentKey: true });
    expect(result.fmt).toBe('packed');
    expect(checkAttestation(result, clientDataHash)).toEqual({ kind: 'self', valid: true });
    expect(checkAttestation(result, sha256(new Uint8Array([1])))).toEqual({ kind: 'self', valid: false });

    const assertions = await getAssertions(session, { rpId: RP, clientDataHash });
    expect(assertions.map((a) => a.authData.signCount)).toEqual([1, 2]);
    expect(transport.sent[2]).toEqual(new Uint8Array([0x08])); // getNextAssertion has no parameters
    const publicKey = result.authData.attestedCredentialData!.publicKey;
    for (const a of assertions) expect(verifyAssertion({ assertion: a, clientDataHash, publicKey })).toBe(true);
    const tampered = { ...assertions[0]!, signature: sign(authData({ flags: 0x01, signCount: 99 })) };
    expect(verifyAssertion({ assertion: tampered, clientDataHash, publicKey })).toBe(false);

    const sentMc = decodeMap(transport.sent[0]!.subarray(1));
    expect(sentMc.get(MakeCredentialKey.clientDataHash)).toEqual(clientDataHash);
  });

  it('refuses an answer for another relying party', async () => {
    const made = authData({ flags: 0x41, signCount: 0, attested: true, rpId: 'evil.example' });
    const transport = scriptedTransport([ok(new Map<number, unknown>([[1, 'none'], [2, made], [3, new Map()]]) as CborMap)]);
    await expect(makeCredential(new Ctap2Session(transport), { clientDataHash, rp: { id: RP }, user: { id: new Uint8Array([1]) } })).rejects.toThrow(/rpIdHash/);
  });
});
