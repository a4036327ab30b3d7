// The attestation verifier (WebAuthn L2 §8.2 "packed" + the FIDO MDS roots): one good statement
// verifies, and each broken requirement gets its own verdict.
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CborValue } from '../../ctap/cbor.js';
import { parseAuthenticatorData } from '../../ctap/ctap2/make-credential.js';
import { buildAuthenticatorData, signWith } from '../../ctap/virtual/handlers/make-credential.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import { verifyAttestation, type AttestationVerdict } from '../../main/service/provisioning/attestation.js';
import { loadMdsBlob } from '../../main/service/provisioning/mds.js';
import type { MdsIndex } from '../../main/service/provisioning/mds-index.js';
import { testMaker, type LeafOptions, type Maker } from './attestation-fixture.js';
import { testMds, type TestMdsEntry } from './mds-fixture.js';

const AAGUID = '5ca1ab1e-0000-4000-8000-00000000a77e';
const REVOKED_AAGUID = '5ca1ab1e-0000-4000-8000-0000000dead0';

let maker: Maker;
let revokedMaker: Maker;
let stranger: Maker;
let mds: MdsIndex;

beforeAll(async () => {
  maker = await testMaker(AAGUID);
  revokedMaker = await testMaker(REVOKED_AAGUID, 'Revoked Maker Root');
  stranger = await testMaker(AAGUID, 'Somebody Else Root');
  const service = await testMds();
  const entries: TestMdsEntry[] = [
    { aaguid: AAGUID, description: 'Test key', statuses: ['FIDO_CERTIFIED_L1'], roots: [maker.rootBase64] },
    { aaguid: REVOKED_AAGUID, description: 'Revoked key', statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'], roots: [revokedMaker.rootBase64] },
  ];
  mds = await loadMdsBlob(await service.blob(entries), service.rootPem);
});

function uuidBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replaceAll('-', ''), 'hex'));
}

interface Made {
  attestation?: { privateKey: Uint8Array; x5c: Uint8Array[] };
  aaguid?: string;
  /** Sign something else than authData ‖ clientDataHash. */
  wrongSignature?: boolean;
  fmt?: string;
}

/** A makeCredential answer as a key would give it, signed as `made` says. */
function statement(made: Made): Parameters<typeof verifyAttestation>[0] {
  const credential = { id: randomBytes(32), privateKey: p256.utils.randomSecretKey() } as StoredCredential;
  const raw = buildAuthenticatorData({ rpId: 'attestation.skm.invalid', flags: 0x01, signCount: 0, attested: { aaguid: uuidBytes(made.aaguid ?? AAGUID), credential }, extensions: null });
  const clientDataHash = sha256(randomBytes(32));
  const signer = made.attestation ? { privateKey: made.attestation.privateKey } : credential;
  const sig = signWith(signer, raw, made.wrongSignature ? sha256(clientDataHash) : clientDataHash);
  const attStmt = new Map<string, CborValue>([['alg', -7], ['sig', sig]]);
  if (made.attestation) attStmt.set('x5c', made.attestation.x5c);
  return { fmt: made.fmt ?? 'packed', attStmt, authData: parseAuthenticatorData(raw), clientDataHash, mds };
}

async function verdictOf(leaf: LeafOptions, made: Omit<Made, 'attestation'> = {}, by: () => Maker = () => maker): Promise<AttestationVerdict> {
  return verifyAttestation(statement({ ...made, attestation: await by().attestation(leaf) }));
}

describe('packed attestation against the MDS', () => {
  it('verifies a good statement whose chain leads to the root the MDS lists for the AAGUID', async () => {
    expect(await verdictOf({})).toEqual({ verdict: 'verified', aaguid: AAGUID, fmt: 'packed' });
    // A leaf without the (optional) AAGUID extension is fine too.
    expect((await verdictOf({ aaguid: null })).verdict).toBe('verified');
  });

  it('refuses a wrong signature', async () => {
    expect((await verdictOf({}, { wrongSignature: true })).verdict).toBe('bad-signature');
  });

  it('refuses a leaf without OU "Authenticator Attestation", and a CA leaf', async () => {
    const noOu = await verdictOf({ ou: null });
    expect(noOu).toMatchObject({ verdict: 'bad-certificate', details: expect.stringContaining('OU') as string });
    expect((await verdictOf({ ou: 'Something Else' })).verdict).toBe('bad-certificate');
    expect(await verdictOf({ ca: true })).toMatchObject({ verdict: 'bad-certificate', details: expect.stringContaining('CA=true') as string });
  });

  it('refuses a leaf whose AAGUID extension names another model', async () => {
    expect((await verdictOf({ aaguid: REVOKED_AAGUID })).verdict).toBe('aaguid-mismatch');
  });

  it('refuses a chain to a root the MDS does not list for the model', async () => {
    expect(await verdictOf({}, {}, () => stranger)).toMatchObject({ verdict: 'unknown-root', details: expect.stringContaining('Somebody Else Root') as string });
  });

  it('refuses an expired leaf', async () => {
    expect(await verdictOf({ notAfter: new Date('2021-01-01') })).toMatchObject({ verdict: 'expired-certificate' });
  });

  it('reports a revoked model even when its chain is good, and an AAGUID the MDS does not list', async () => {
    expect(await verdictOf({}, { aaguid: REVOKED_AAGUID }, () => revokedMaker)).toMatchObject({ verdict: 'revoked-model', status: 'REVOKED' });
    const unlisted = '5ca1ab1e-0000-4000-8000-000000000000';
    expect((await verdictOf({ aaguid: unlisted }, { aaguid: unlisted })).verdict).toBe('no-mds-entry');
  });

  it('says what it cannot vouch for: self attestation, format none, no BLOB', async () => {
    expect((await verifyAttestation(statement({}))).verdict).toBe('self-attestation');
    expect((await verifyAttestation(statement({ wrongSignature: true }))).verdict).toBe('bad-signature');
    expect((await verifyAttestation(statement({ fmt: 'none' }))).verdict).toBe('none');
    expect((await verifyAttestation(statement({ fmt: 'tpm' }))).verdict).toBe('unsupported');
    const withoutMds = { ...statement({ attestation: await maker.attestation() }), mds: null };
    expect((await verifyAttestation(withoutMds)).verdict).toBe('no-mds');
  });
});
