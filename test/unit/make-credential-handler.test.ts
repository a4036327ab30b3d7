/**
 * The virtual key's makeCredential / getAssertion handlers (§6.1.2, §6.2.2, §12.1 credProtect),
 * driven with requests built by the production client code and answered by
 * VirtualAuthenticator.handle — status codes and the key's state are asserted.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { decodeMap, encodeCanonical, type CborMap } from '../../ctap/cbor.js';
import { buildGetAssertionParams, parseAssertion, type GetAssertionRequest } from '../../ctap/ctap2/get-assertion.js';
import { buildMakeCredentialParams, MakeCredentialKey, parseMakeCredentialResponse, type MakeCredentialRequest } from '../../ctap/ctap2/make-credential.js';
import { CtapStatus } from '../../ctap/status.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const RP = 'example.com';
const clientDataHash = sha256(new Uint8Array([1, 2, 3]));
const io = { transport: 'usb' as const, channel: 7, signal: new AbortController().signal, keepalive: () => undefined };

async function call(key: VirtualKey, command: number, params: CborMap): Promise<{ status: number; body: CborMap | undefined }> {
  const encoded = encodeCanonical(params);
  const response = await key.authenticator.handle(new Uint8Array([command, ...encoded]), io);
  return { status: response[0]!, body: response.length > 1 ? decodeMap(response.subarray(1)) : undefined };
}

function mc(overrides: Partial<MakeCredentialRequest> = {}): CborMap {
  return buildMakeCredentialParams({ clientDataHash, rp: { id: RP }, user: { id: new Uint8Array([1]), name: 'alice' }, ...overrides });
}

function ga(overrides: Partial<GetAssertionRequest> = {}): CborMap {
  return buildGetAssertionParams({ rpId: RP, clientDataHash, ...overrides });
}

function newKey(options: { preset?: string; presence?: PresenceScript; credentialSlots?: number } = {}): VirtualKey {
  const config = options.credentialSlots === undefined ? {} : { credentialSlots: options.credentialSlots };
  return VirtualKey.create({ preset: options.preset ?? 'ctap21', presence: options.presence, config: { touchTimeoutMs: 30, ...config } });
}

describe('virtual makeCredential', () => {
  it('stores a discoverable credential and answers a parseable packed attestation', async () => {
    const key = newKey();
    const { status, body } = await call(key, 0x01, mc({ residentKey: true, credProtect: 2 }));
    expect(status).toBe(CtapStatus.OK);
    const result = parseMakeCredentialResponse(body!, RP);
    expect(result.authData.extensions?.get('credProtect')).toBe(2);
    expect(result.authData.attestedCredentialData?.aaguid).toEqual(key.config.aaguid);
    expect(key.state.credentials).toHaveLength(1);
    expect(key.state.credentials[0]).toMatchObject({ rpId: RP, userName: 'alice', discoverable: true, credProtect: 2 });
    expect(key.state.credentials[0]!.id).toEqual(result.authData.attestedCredentialData!.credentialId);
  });

  it('checks parameters: missing clientDataHash, no ES256, up=false', async () => {
    const key = newKey();
    const missing = mc();
    missing.delete(MakeCredentialKey.clientDataHash);
    expect((await call(key, 0x01, missing)).status).toBe(CtapStatus.MISSING_PARAMETER);
    expect((await call(key, 0x01, mc({ algorithms: [-257, -8] }))).status).toBe(CtapStatus.UNSUPPORTED_ALGORITHM);
    const noUp = mc();
    noUp.set(MakeCredentialKey.options, new Map([['up', false]]));
    expect((await call(key, 0x01, noUp)).status).toBe(CtapStatus.INVALID_OPTION);
    expect(key.state.credentials).toEqual([]);
  });

  it('accepts enterpriseAttestation only when enabled, and only modes 1 and 2 (§6.1.2 step 8)', async () => {
    const key = newKey();
    const ask = (mode: number) => {
      const params = mc();
      params.set(MakeCredentialKey.enterpriseAttestation, mode);
      return call(key, 0x01, params);
    };
    expect((await ask(1)).status).toBe(CtapStatus.INVALID_PARAMETER);
    key.state.enterpriseAttestation = true;
    expect((await ask(3)).status).toBe(CtapStatus.INVALID_OPTION);
    const granted = await ask(2);
    expect(granted.status).toBe(CtapStatus.OK);
    expect(parseMakeCredentialResponse(granted.body!, RP).enterpriseAttestation).toBe(false);
    expect(key.state.credentials).toHaveLength(1);
  });

  it('answers CREDENTIAL_EXCLUDED for a credential in excludeList, after a touch', async () => {
    const key = newKey();
    const made = parseMakeCredentialResponse((await call(key, 0x01, mc({ residentKey: true }))).body!, RP);
    const id = made.authData.attestedCredentialData!.credentialId;
    expect((await call(key, 0x01, mc({ excludeList: [{ id }], residentKey: true, user: { id: new Uint8Array([2]) } }))).status).toBe(
      CtapStatus.CREDENTIAL_EXCLUDED,
    );
    key.presence.script = 'never';
    expect((await call(key, 0x01, mc({ excludeList: [{ id }] }))).status).toBe(CtapStatus.USER_ACTION_TIMEOUT);
    expect(key.state.credentials).toHaveLength(1);
  });

  it('fills the discoverable slots, then KEY_STORE_FULL; the same user replaces their credential', async () => {
    const key = newKey({ credentialSlots: 1 });
    expect((await call(key, 0x01, mc({ residentKey: true }))).status).toBe(CtapStatus.OK);
    expect((await call(key, 0x01, mc({ residentKey: true }))).status).toBe(CtapStatus.OK);
    expect(key.state.credentials).toHaveLength(1);
    expect((await call(key, 0x01, mc({ residentKey: true, user: { id: new Uint8Array([9]) } }))).status).toBe(CtapStatus.KEY_STORE_FULL);
    // Non-discoverable credentials take no slot.
    expect((await call(key, 0x01, mc({ user: { id: new Uint8Array([9]) } }))).status).toBe(CtapStatus.OK);
  });

  it('wants a token once a PIN is set: always for discoverable, not for others with makeCredUvNotRqd', async () => {
    const key = newKey();
    key.state.pinHash = new Uint8Array(16).fill(1);
    expect((await call(key, 0x01, mc({ residentKey: true }))).status).toBe(CtapStatus.PUAT_REQUIRED);
    expect((await call(key, 0x01, mc())).status).toBe(CtapStatus.OK);
    const old = newKey({ preset: 'ctap20' });
    old.state.pinHash = new Uint8Array(16).fill(1);
    expect((await call(old, 0x01, mc())).status).toBe(CtapStatus.PUAT_REQUIRED);
  });

  it('answers a zero-length pinUvAuthParam with a touch and PIN_NOT_SET / PIN_INVALID (§6.1.2 step 1)', async () => {
    const key = newKey();
    expect((await call(key, 0x01, mc({ touchOnly: true }))).status).toBe(CtapStatus.PIN_NOT_SET);
    key.state.pinHash = new Uint8Array(16).fill(1);
    expect((await call(key, 0x01, mc({ touchOnly: true }))).status).toBe(CtapStatus.PIN_INVALID);
    key.presence.script = 'deny';
    expect((await call(key, 0x01, mc({ touchOnly: true }))).status).toBe(CtapStatus.OPERATION_DENIED);
    expect(key.state.credentials).toEqual([]);
  });
});

describe('virtual getAssertion', () => {
  it('counts signatures, and a silent probe (up=false) needs no touch and has no UP flag', async () => {
    const key = newKey();
    const made = parseMakeCredentialResponse((await call(key, 0x01, mc())).body!, RP);
    const id = made.authData.attestedCredentialData!.credentialId;
    const first = parseAssertion((await call(key, 0x02, ga({ allowList: [{ id }] }))).body!, { rpId: RP });
    expect(first.authData.signCount).toBe(1);
    expect(first.authData.userPresent).toBe(true);
    key.presence.script = 'never';
    const silent = parseAssertion((await call(key, 0x02, ga({ allowList: [{ id }], userPresence: false }))).body!, { rpId: RP });
    expect(silent.authData.userPresent).toBe(false);
    expect(silent.authData.signCount).toBe(2);
    expect(key.state.credentials[0]!.signCount).toBe(2);
  });

  it('hides credProtect 3 credentials without UV, and level 2 from discovery without UV (§12.1)', async () => {
    const key = newKey();
    const level3 = parseMakeCredentialResponse((await call(key, 0x01, mc({ residentKey: true, credProtect: 3 }))).body!, RP);
    expect((await call(key, 0x02, ga({ allowList: [{ id: level3.authData.attestedCredentialData!.credentialId }] }))).status).toBe(CtapStatus.NO_CREDENTIALS);
    await call(key, 0x01, mc({ residentKey: true, credProtect: 2, user: { id: new Uint8Array([5]) } }));
    expect((await call(key, 0x02, ga())).status).toBe(CtapStatus.NO_CREDENTIALS);
    await call(key, 0x01, mc({ residentKey: true, user: { id: new Uint8Array([6]) } }));
    const found = await call(key, 0x02, ga());
    expect(found.status).toBe(CtapStatus.OK);
    expect(found.body!.has(0x05)).toBe(false);
    expect(parseAssertion(found.body!, { rpId: RP }).user?.id).toEqual(new Uint8Array([6]));
  });

  it('lets getNextAssertion continue for 30 s after the previous assertion, then refuses (§6.3)', async () => {
    const clock = { now: 0 };
    const key = VirtualKey.create({ preset: 'ctap21', clock: () => clock.now });
    for (const user of [1, 2, 3]) await call(key, 0x01, mc({ residentKey: true, user: { id: new Uint8Array([user]) } }));
    const first = await call(key, 0x02, ga());
    expect(first.body!.get(0x05)).toBe(3);
    clock.now += 29_000;
    expect((await call(key, 0x08, new Map())).status).toBe(CtapStatus.OK);
    clock.now += 30_001;
    expect((await call(key, 0x08, new Map())).status).toBe(CtapStatus.NOT_ALLOWED);
  });

  it('refuses the rk option, wants a token under alwaysUv, and has nothing to continue without a first call', async () => {
    const key = newKey();
    const withRk = ga();
    withRk.set(0x05, new Map([['rk', true]]));
    expect((await call(key, 0x02, withRk)).status).toBe(CtapStatus.UNSUPPORTED_OPTION);
    expect((await call(key, 0x08, new Map())).status).toBe(CtapStatus.NOT_ALLOWED);
    key.state.alwaysUv = true;
    expect((await call(key, 0x02, ga())).status).toBe(CtapStatus.PUAT_REQUIRED);
  });
});
