// The FIDO Metadata Service BLOB: trusted only through the given root, with a valid signature and
// valid certificates; its verdicts reject revoked or compromised models and go into the report.
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/service/errors.js';
import { loadMdsBlob } from '../../main/service/provisioning/mds.js';
import { skm, tempDir } from '../cli/helpers.js';
import { otherRootPem, testMds, type TestMds } from './mds-fixture.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const YUBIKEY_5_NFC = 'ee882879-721c-4913-9775-3dfcce97072a';
const PROFILE = '{ "reset": "never", "pin": { "mode": "random", "length": 8 } }';

let mds: TestMds;
beforeEach(async () => {
  mds ??= await testMds();
});

async function refusal(work: Promise<unknown>): Promise<unknown> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error;
}

describe('MDS BLOB', () => {
  it('is read when signed through the given root: description, best certification, unfit statuses', async () => {
    const blob = await mds.blob([
      { aaguid: SIMULATED.toUpperCase(), description: 'Simulated key', statuses: ['FIDO_CERTIFIED', 'FIDO_CERTIFIED_L2', 'FIDO_CERTIFIED_L1'] },
      { aaguid: YUBIKEY_5_NFC, description: 'YubiKey 5 NFC', statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'] },
    ]);
    const index = await loadMdsBlob(blob, mds.rootPem);
    expect(index.number).toBe(42);
    expect(index.lookup(SIMULATED)).toEqual({ description: 'Simulated key', certification: 'FIDO_CERTIFIED_L2', unfit: null, status: 'FIDO_CERTIFIED_L1', hasIcon: false, roots: [] });
    expect(index.lookup(YUBIKEY_5_NFC)).toEqual({ description: 'YubiKey 5 NFC', certification: 'FIDO_CERTIFIED_L1', unfit: 'REVOKED', status: 'REVOKED', hasIcon: false, roots: [] });
    expect(index.lookup('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('is refused when signed through another root, changed after signing, or signed by an expired certificate', async () => {
    const blob = await mds.blob([{ aaguid: SIMULATED, description: 'x', statuses: ['FIDO_CERTIFIED'] }]);
    expect(await refusal(loadMdsBlob(blob, await otherRootPem()))).toMatchObject({ code: 'FILE_ACCESS', facts: { reason: 'mds-untrusted' } });
    const [header, payload, signature] = blob.split('.');
    const forged = Buffer.from(JSON.stringify({ no: 43, nextUpdate: '2045-01-01', entries: [] })).toString('base64url');
    expect(forged).not.toBe(payload);
    expect(await refusal(loadMdsBlob(`${header}.${forged}.${signature}`, mds.rootPem))).toMatchObject({ facts: { reason: 'mds-untrusted' } });
    const expired = await mds.sign({ no: 1, nextUpdate: '2045-01-01', entries: [] }, { expiredSigner: true });
    expect(await refusal(loadMdsBlob(expired, mds.rootPem))).toMatchObject({ facts: { reason: 'mds-untrusted' }, details: expect.stringMatching(/not valid now/) as string });
    expect(await refusal(loadMdsBlob('not a jws', mds.rootPem))).toMatchObject({ facts: { reason: 'mds-invalid' } });
  });
});

describe('skm provision --mds', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('rejects a model the MDS lists as revoked, and reports the certification of the others', async () => {
    await writeFile(dir.file('profile.json'), PROFILE);
    await writeFile(dir.file('root.pem'), mds.rootPem);
    await writeFile(dir.file('blob.jwt'), await mds.blob([
      { aaguid: SIMULATED, description: 'Simulated key', statuses: ['FIDO_CERTIFIED_L1'] },
      { aaguid: YUBIKEY_5_NFC, description: 'YubiKey 5 NFC', statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'] },
    ]));
    const args = ['provision', '--profile', dir.file('profile.json'), '--report', dir.file('r.jsonl'), '--mds', dir.file('blob.jwt'), '--mds-root', dir.file('root.pem')];
    const good = await skm(['--virtual', dir.file('a.json'), ...args]);
    expect(good.code).toBe(0);
    const revoked = await skm(['--virtual', dir.file('pre.json'), '--virtual-preset', 'ctap21-pre', ...args]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('Rejected, nothing was changed: the FIDO Metadata Service lists its model as REVOKED.');
    const records = (await readFile(dir.file('r.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r.result, r.error, r.attestation])).toEqual([
      ['done', '', 'mds:FIDO_CERTIFIED_L1'],
      ['rejected', 'mds-unfit', 'mds:REVOKED'],
    ]);
  });

  it('with attestation required, rejects a key that only attests itself, in words, before any change', async () => {
    await writeFile(dir.file('profile.json'), PROFILE.replace('{', '{ "accept": { "attestation": "required" },'));
    await writeFile(dir.file('root.pem'), mds.rootPem);
    await writeFile(dir.file('blob.jwt'), await mds.blob([{ aaguid: SIMULATED, description: 'Simulated key', statuses: ['FIDO_CERTIFIED_L1'] }]));
    const result = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', dir.file('profile.json'), '--report', dir.file('r.jsonl'), '--mds', dir.file('blob.jwt'), '--mds-root', dir.file('root.pem')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[KEY-1\] Touch /);
    expect(result.stderr).toContain('[KEY-1] Rejected, nothing was changed: it could not be shown to be genuine: It signed with a key of its own (self attestation), which does not show who made it.');
    const record = JSON.parse(await readFile(dir.file('r.jsonl'), 'utf8')) as Record<string, unknown>;
    expect([record.result, record.error, record.attestation, record.steps]).toEqual(['rejected', 'attestation-not-verified', 'self-attestation', []]);
  });

  it('needs the root with the BLOB, and refuses an untrusted BLOB before touching a key', async () => {
    await writeFile(dir.file('profile.json'), PROFILE);
    await writeFile(dir.file('blob.jwt'), await mds.blob([]));
    await writeFile(dir.file('other.pem'), await otherRootPem());
    const base = ['--virtual', dir.file('a.json'), 'provision', '--profile', dir.file('profile.json'), '--report', dir.file('r.jsonl'), '--mds', dir.file('blob.jwt')];
    expect((await skm(base)).code).toBe(2);
    const untrusted = await skm([...base, '--mds-root', dir.file('other.pem')]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/is not signed through the given root certificate/);
  });
});
