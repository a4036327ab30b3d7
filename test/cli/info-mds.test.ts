// `skm info --mds FILE --mds-root FILE`: what the FIDO Metadata Service says of the key's model;
// `--attest`: whether the key is genuine (one touch, a throw-away credential).
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AttestationReport } from '../../main/service/operations/attest.js';
import type { MdsModelFacts } from '../../main/service/provisioning/mds-index.js';
import { testMaker, type Maker } from '../provisioning/attestation-fixture.js';
import { Fleet } from '../provisioning/fleet.js';
import { testMds, type TestMds } from '../provisioning/mds-fixture.js';
import { parseJson, skm, tempDir } from './helpers.js';
import { PIN, seedKey } from './tty-session.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const GENUINE = '5ca1ab1e-0000-4000-8000-00000000a77e';

let mds: TestMds;
let maker: Maker;
let stranger: Maker;
let dir: Awaited<ReturnType<typeof tempDir>>;
let mdsArgs: string[];

beforeAll(async () => {
  [mds, maker, stranger] = await Promise.all([testMds(), testMaker(GENUINE), testMaker(GENUINE, 'Somebody Else Root')]);
});
beforeEach(async () => {
  dir = await tempDir();
  await writeFile(dir.file('root.pem'), mds.rootPem);
  await writeFile(
    dir.file('blob.jwt'),
    await mds.blob([
      { aaguid: SIMULATED, description: 'Simulated key', statuses: ['FIDO_CERTIFIED_L1', 'FIDO_CERTIFIED_L2'], icon: 'data:image/png;base64,iVBORw0KGgo=' },
      { aaguid: GENUINE, description: 'Genuine test key', statuses: ['FIDO_CERTIFIED_L1', 'USER_VERIFICATION_BYPASS'], roots: [maker.rootBase64] },
    ]),
  );
  mdsArgs = ['--mds', dir.file('blob.jwt'), '--mds-root', dir.file('root.pem')];
});
afterEach(async () => {
  await dir.cleanup();
});

describe('skm info --mds', () => {
  it('shows the model as the BLOB describes it, in words and in JSON', async () => {
    const human = await skm(['--virtual', dir.file('a.json'), 'info', ...mdsArgs]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('\nFIDO Metadata Service:\n');
    expect(human.stdout).toMatch(/ {2}Description: +Simulated key\n/);
    expect(human.stdout).toMatch(/ {2}Certification: +FIDO_CERTIFIED_L2\n/);
    expect(human.stdout).toMatch(/ {2}Latest status: +FIDO_CERTIFIED_L2\n/);
    expect(human.stdout).toMatch(/ {2}Icon: +yes\n/);
    const json = parseJson<{ mds: MdsModelFacts }>(await skm(['--virtual', dir.file('a.json'), '--json', 'info', ...mdsArgs]));
    expect(json.mds).toEqual({ listed: true, description: 'Simulated key', certification: 'FIDO_CERTIFIED_L2', status: 'FIDO_CERTIFIED_L2', unfit: null, hasIcon: true, blobNumber: 42 });
    // Without a BLOB there is no mds field at all.
    expect(parseJson<Record<string, unknown>>(await skm(['--virtual', dir.file('a.json'), '--json', 'info']))).not.toHaveProperty('mds');
  });

  it('says so for a model the BLOB does not list, and needs the root with the BLOB', async () => {
    const pre = await skm(['--virtual', dir.file('pre.json'), '--virtual-preset', 'ctap21-pre', 'info', ...mdsArgs]);
    expect(pre.stdout).toContain('This model is not listed in the FIDO Metadata Service BLOB.');
    const noRoot = await skm(['--virtual', dir.file('a.json'), 'info', '--mds', dir.file('blob.jwt')]);
    expect(noRoot.code).toBe(2);
    expect(noRoot.stderr).toContain('--mds needs --mds-root FILE');
  });
});

describe('skm info --attest', () => {
  it('a simulated key attests itself: said in words, one touch, no passkey slot used', async () => {
    const result = await skm(['--virtual', dir.file('a.json'), 'info', '--attest', ...mdsArgs]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nGenuine\? It signed with a key of its own \(self attestation\), which does not show who made it\.\n/);
    const json = parseJson<{ attestation: AttestationReport; remainingDiscoverableCredentials: number }>(await skm(['--virtual', dir.file('a.json'), '--json', 'info', '--attest']));
    expect(json.attestation).toMatchObject({ verdict: 'self-attestation', aaguid: SIMULATED, fmt: 'packed', mds: null, winked: false });
    expect(json.remainingDiscoverableCredentials).toBe(100);
  });

  it('a key that wants its PIN for every credential (CTAP 2.1-PRE) is unlocked with the PIN given; a wrong one is refused', async () => {
    await seedKey(dir.file('pre.json'), { preset: 'ctap21-pre', pin: PIN });
    const json = parseJson<{ attestation: AttestationReport }>(await skm(['--virtual', dir.file('pre.json'), '--json', 'info', '--attest'], { stdin: `${PIN}\n` }));
    expect(json.attestation.verdict).toBe('self-attestation');
    const wrong = await skm(['--virtual', dir.file('pre.json'), '--json', 'info', '--attest'], { stdin: '000000\n' });
    expect(wrong.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(wrong).error.code).toBe('PIN_INVALID');
  });

  it('a key with its maker\'s chain: verified against the BLOB\'s root, flagged when the model is compromised, refused for another root', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'G1', aaguid: GENUINE, config: { attestation: await maker.attestation() } });
    fleet.add({ serial: 'U2', aaguid: GENUINE, config: { attestation: await stranger.attestation() } });
    fleet.plug('G1');
    fleet.plug('U2');
    const overrides = { hardwareSources: () => [fleet.source()] };
    const genuine = await skm(['--device', 'usb:G1', 'info', '--attest', ...mdsArgs], { overrides });
    expect(genuine.code).toBe(0);
    expect(genuine.stdout).toContain('Genuine? The FIDO Metadata Service reports this model as compromised (USER_VERIFICATION_BYPASS).');
    expect(genuine.stdout).toContain('Not fit to issue: the FIDO Metadata Service lists USER_VERIFICATION_BYPASS for this model.');
    const other = parseJson<{ attestation: AttestationReport }>(await skm(['--device', 'usb:U2', '--json', 'info', '--attest', ...mdsArgs], { overrides }));
    expect(other.attestation).toMatchObject({ verdict: 'unknown-root', aaguid: GENUINE });
    expect(other.attestation.details).toContain('Somebody Else Root');
  });
});
