// Provisioning with "attestation": "required": each key is checked before anything changes (one
// touch), and only a genuine key of a model in good standing is provisioned. Keys: a genuine one,
// one whose chain leads to an unknown root, one whose model the MDS lists as revoked, one that
// only attests itself. Several keys at once: the key that wants the touch blinks.
import { readFile } from 'node:fs/promises';
import { beforeAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMdsBlob } from '../../main/service/provisioning/mds.js';
import type { MdsIndex } from '../../main/service/provisioning/mds-index.js';
import type { ProvisionEvent } from '../../main/service/provisioning/key-worker.js';
import { parseProfile, type Profile } from '../../main/service/provisioning/profile.js';
import { ProvisionReport, type ProvisionRecord } from '../../main/service/provisioning/report.js';
import { provisionKeys, type ProvisionSummary } from '../../main/service/provisioning/runner.js';
import { tempDir } from '../cli/helpers.js';
import { testMaker, type Maker } from './attestation-fixture.js';
import { Fleet, pinHash, seededDraw, type FleetKeyOptions } from './fleet.js';
import { testMds } from './mds-fixture.js';

const GENUINE = '5ca1ab1e-0000-4000-8000-00000000a77e';
const REVOKED = '5ca1ab1e-0000-4000-8000-0000000dead0';
const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const TIME = '2026-01-02T03:04:05.000Z';
const PROFILE = '{ "accept": { "attestation": "required" }, "reset": "never", "pin": { "mode": "random", "length": 8 } }';

let maker: Maker;
let revokedMaker: Maker;
let stranger: Maker;
let mds: MdsIndex;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  [maker, revokedMaker, stranger] = await Promise.all([testMaker(GENUINE), testMaker(REVOKED, 'Revoked Maker Root'), testMaker(GENUINE, 'Somebody Else Root')]);
  const service = await testMds();
  const blob = await service.blob([
    { aaguid: GENUINE, description: 'Genuine test key', statuses: ['FIDO_CERTIFIED_L1'], roots: [maker.rootBase64] },
    { aaguid: REVOKED, description: 'Revoked test key', statuses: ['FIDO_CERTIFIED_L1', 'REVOKED'], roots: [revokedMaker.rootBase64] },
    { aaguid: SIMULATED, description: 'Simulated key', statuses: ['NOT_FIDO_CERTIFIED'] },
  ]);
  mds = await loadMdsBlob(blob, service.rootPem);
});
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

function profileOf(text: string): Profile {
  const parsed = parseProfile(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.profile;
}

/** The four test keys, named by serial: genuine, unknown root, revoked model, self attestation. */
async function fleetOfFour(extra: Partial<FleetKeyOptions> = {}): Promise<Fleet> {
  const fleet = new Fleet();
  fleet.add({ ...extra, serial: 'G1', aaguid: GENUINE, config: { attestation: await maker.attestation() } });
  fleet.add({ ...extra, serial: 'U2', aaguid: GENUINE, config: { attestation: await stranger.attestation() } });
  fleet.add({ ...extra, serial: 'R3', aaguid: REVOKED, config: { attestation: await revokedMaker.attestation() } });
  fleet.add({ ...extra, serial: 'S4' });
  return fleet;
}

async function run(fleet: Fleet, report: string, onEvent: (event: ProvisionEvent | { type: 'waiting' }) => void = () => undefined): Promise<{ summary: ProvisionSummary; records: ProvisionRecord[]; events: (ProvisionEvent | { type: 'waiting' })[] }> {
  const service = fleet.service();
  const profile = profileOf(PROFILE);
  const opened = await ProvisionReport.open(report, { withPins: true });
  const events: (ProvisionEvent | { type: 'waiting' })[] = [];
  try {
    const summary = await provisionKeys({
      service,
      profile,
      report: opened,
      count: 4,
      mds,
      signal: new AbortController().signal,
      drawPin: seededDraw(11),
      now: () => new Date(TIME),
      onEvent: (event) => {
        events.push(event);
        onEvent(event);
      },
    });
    return { summary, records: [...opened.all()], events };
  } finally {
    await opened.close();
    await service.close();
  }
}

describe('provisioning that requires attestation', () => {
  it('provisions only the genuine key; the others are rejected untouched, and the CSV says why', async () => {
    const fleet = await fleetOfFour();
    const winks = new Map<string, number>();
    for (const serial of ['G1', 'U2', 'R3', 'S4']) fleet.key(serial).on('winked', () => winks.set(serial, (winks.get(serial) ?? 0) + 1));
    const events: { type: string; deviceId?: string }[] = [];
    const running = run(fleet, dir.file('report.csv'), (e) => events.push(e));
    // One key at a time: nobody needs telling which key wants the touch.
    for (const serial of ['G1', 'U2', 'R3', 'S4']) {
      fleet.plug(serial);
      for (let i = 0; i < 500 && !events.some((e) => e.type === 'finished' && e.deviceId === `usb:${serial}`); i += 1) await new Promise((r) => setTimeout(r, 10));
    }
    const { summary, records, events: all } = await running;
    expect(summary.outcomes).toMatchObject({ done: 1, rejected: 3, incomplete: 0, failed: 0 });
    expect(winks.size).toBe(0);

    const pin = records[0]!.pin!;
    expect(pin).toMatch(/^\d{8}$/);
    expect(fleet.key('G1').state.pinHash).not.toBeNull();
    expect(Buffer.from(fleet.key('G1').state.pinHash!).toString('hex')).toBe(pinHash(pin));
    for (const serial of ['U2', 'R3', 'S4']) expect(fleet.key(serial).state.pinHash).toBeNull();
    // Each check announced its touch like any other.
    const touches = all.filter((e): e is Extract<ProvisionEvent, { type: 'prompt' }> => e.type === 'prompt' && e.prompt.kind === 'touch');
    expect(touches.map((t) => t.deviceId).sort()).toEqual(['usb:G1', 'usb:R3', 'usb:S4', 'usb:U2']);
    const rejections = all.flatMap((e) => (e.type === 'finished' && e.rejection ? [[e.deviceId, e.rejection.reason, e.rejection.facts.verdict]] : []));
    expect(rejections).toEqual([
      ['usb:U2', 'attestation-not-verified', 'unknown-root'],
      ['usb:R3', 'attestation-not-verified', 'revoked-model'],
      ['usb:S4', 'attestation-not-verified', 'self-attestation'],
    ]);

    const [g, u, r, s] = records.map((record) => record.fingerprint);
    expect(await readFile(dir.file('report.csv'), 'utf8')).toBe(
      [
        'label,time,model,aaguid,firmware,identity,fingerprint,steps,result,error,attestation,pin',
        `KEY-1,${TIME},Virtual FIDO2 Key,${GENUINE},329472,usb:G1,${g},pin;verify,done,,verified,${pin}`,
        `KEY-2,${TIME},Virtual FIDO2 Key,${GENUINE},329472,usb:U2,${u},,rejected,attestation-not-verified,unknown-root,`,
        `KEY-3,${TIME},Virtual FIDO2 Key,${REVOKED},329472,usb:R3,${r},,rejected,attestation-not-verified,revoked-model,`,
        `KEY-4,${TIME},Simulated key,${SIMULATED},329472,usb:S4,${s},,rejected,attestation-not-verified,self-attestation,`,
        '',
      ].join('\n'),
    );
  });

  it('several keys at once: each key blinks once as its check waits for the touch', async () => {
    // A slow touch keeps every key waiting at the same time, as on a desk full of keys.
    const fleet = await fleetOfFour({ presence: { afterMs: 100 } });
    const winks = new Map<string, number>();
    for (const serial of ['G1', 'U2', 'R3', 'S4']) fleet.key(serial).on('winked', () => winks.set(serial, (winks.get(serial) ?? 0) + 1));
    for (const serial of ['G1', 'U2', 'R3', 'S4']) fleet.plug(serial);
    const { summary, records } = await run(fleet, dir.file('report.jsonl'));
    expect(summary.outcomes).toMatchObject({ done: 1, rejected: 3 });
    expect(Object.fromEntries(winks)).toEqual({ G1: 1, U2: 1, R3: 1, S4: 1 });
    expect(records.map((record) => [record.identity, record.attestation]).sort()).toEqual([
      ['usb:G1', 'verified'],
      ['usb:R3', 'revoked-model'],
      ['usb:S4', 'self-attestation'],
      ['usb:U2', 'unknown-root'],
    ]);
  });

  it('a key whose PIN this run does not know cannot be checked, and is rejected untouched', async () => {
    const fleet = new Fleet();
    // CTAP 2.1-PRE: no makeCredUvNotRqd, so a key with a PIN wants it for any credential.
    fleet.add({ serial: 'P1', preset: 'ctap21-pre', aaguid: GENUINE, config: { attestation: await maker.attestation() } });
    fleet.key('P1').state.pinHash = Uint8Array.from(Buffer.from(pinHash('135790'), 'hex'));
    fleet.plug('P1');
    const service = fleet.service();
    const report = await ProvisionReport.open(dir.file('r.jsonl'), { withPins: false });
    try {
      const summary = await provisionKeys({ service, profile: profileOf(PROFILE.replace('"never"', '"if-pin-set"')), report, count: 1, mds, signal: new AbortController().signal, now: () => new Date(TIME) });
      expect(summary.outcomes.rejected).toBe(1);
      expect(report.all()[0]).toMatchObject({ result: 'rejected', error: 'attestation-not-verified', attestation: 'check-failed:PIN_REQUIRED', steps: [] });
    } finally {
      await report.close();
      await service.close();
    }
    expect(Buffer.from(fleet.key('P1').state.pinHash!).toString('hex')).toBe(pinHash('135790'));
  });
});
