// Prepare keys over the IPC contract (router + ProvisioningRuns) with a hub of simulated USB keys:
// every mistake of a profile with its path; a run over three keys with one rejected by the allow
// list; the report file (0600) holds the PINs while no event or answer does; exports and the Entra
// ID policy written by main; file names main refuses; one run at a time; Stop; a shared PIN asked
// for as a prompt.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events, EventName, ProfileCheck, ProvisionEventPayload, ProvisionRunSummary, Result } from '../../main/ipc/contract.js';
import { IpcRouter } from '../../main/ipc/router.js';
import type { KeyService } from '../../main/service/key-service.js';
import { tempDir } from '../cli/helpers.js';
import { Fleet, pinHash } from '../provisioning/fleet.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const OTHER_MODEL = '5ca1ab1e-0000-4000-8000-00000000c0de';
const MINIMAL = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }';
const ALLOW_SIMULATED = JSON.stringify({ ...JSON.parse(MINIMAL), accept: { allow: [SIMULATED] } });

let dir: Awaited<ReturnType<typeof tempDir>>;
let service: KeyService | undefined;
let router: IpcRouter | undefined;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  router?.close();
  await service?.close();
  router = undefined;
  service = undefined;
  await dir.cleanup();
});

function open(fleet: Fleet): { sent: { event: EventName; payload: unknown }[] } {
  service = fleet.service();
  const sent: { event: EventName; payload: unknown }[] = [];
  router = new IpcRouter({ service, emit: <E extends EventName>(event: E, payload: Events[E]) => void sent.push({ event, payload }), virtualKeyDir: dir.dir });
  return { sent };
}

function threeKeys(): Fleet {
  const fleet = new Fleet();
  fleet.add({ serial: 'A1' });
  fleet.add({ serial: 'B2', aaguid: OTHER_MODEL });
  fleet.add({ serial: 'C3' });
  for (const serial of ['A1', 'B2', 'C3']) fleet.plug(serial);
  return fleet;
}

describe('validateProfile', () => {
  it('a valid profile comes back filled in; a broken one lists every mistake with its path', async () => {
    open(new Fleet());
    const good = (await router!.handle('validateProfile', { text: MINIMAL })) as Result<ProfileCheck>;
    expect(good).toMatchObject({ ok: true, value: { valid: true, profile: { reset: 'never', pin: { mode: 'random', length: 8, alphabet: '0123456789' }, minPinLength: 8, forcePinChange: true } } });
    const broken = (await router!.handle('validateProfile', { text: '{ "reset": "sometimes", "pin": { "mode": "random", "length": 3 }, "forcePinChnage": true }' })) as Result<ProfileCheck>;
    expect(broken.ok && !broken.value.valid && broken.value.issues.map((i) => [i.path, i.code])).toEqual([
      ['reset', 'not-one-of'],
      ['pin.length', 'too-small'],
      ['forcePinChnage', 'unknown-setting'],
    ]);
    const yaml = (await router!.handle('validateProfile', { text: 'reset: [never' })) as Result<ProfileCheck>;
    expect(yaml).toMatchObject({ ok: true, value: { valid: false, issues: [{ path: '', code: 'not-json-or-yaml' }] } });
  });
});

describe('a run over three keys', () => {
  it('two done, one rejected by the allow list; PINs only in the 0600 report; exports and policy by main', async () => {
    const fleet = threeKeys();
    const { sent } = open(fleet);
    const report = join(dir.dir, 'keys.csv');
    const result = (await router!.handle('startProvisioning', { runId: 'p1', profile: ALLOW_SIMULATED, reportPath: report, count: 3 })) as Result<ProvisionRunSummary>;
    expect(result).toMatchObject({ ok: true, value: { outcomes: { done: 2, rejected: 1, incomplete: 0, failed: 0 }, stopped: false, reportPath: report, withPins: true } });

    expect((await stat(report)).mode & 0o777).toBe(0o600);
    const csv = await readFile(report, 'utf8');
    const [header, ...rows] = csv.trim().split('\n');
    expect(header!.split(',')).toContain('pin');
    const pins = rows.map((row) => row.split(',').at(-1)!).filter((pin) => pin !== '');
    expect(pins).toHaveLength(2);
    for (const pin of pins) expect(pin).toMatch(/^\d{8}$/);
    // The keys really have those PINs.
    const hashes = ['A1', 'C3'].map((s) => Buffer.from(fleet.key(s).state.pinHash!).toString('hex')).sort();
    expect(pins.map(pinHash).sort()).toEqual(hashes);

    const updates = sent.filter((s) => s.event === 'provision').map((s) => s.payload as ProvisionEventPayload);
    expect(updates.every((u) => u.runId === 'p1')).toBe(true);
    const wire = JSON.stringify(sent) + JSON.stringify(result);
    for (const pin of pins) expect(wire).not.toContain(pin);
    expect(wire).not.toContain('"pin":"');
    const rejected = updates.find((u) => u.update.type === 'finished' && u.update.record.result === 'rejected');
    expect(rejected?.update).toMatchObject({ rejection: { reason: 'aaguid-not-allowed' }, record: { aaguid: OTHER_MODEL } });
    expect(updates.some((u) => u.update.type === 'step' && u.update.step === 'pin')).toBe(true);
    expect(updates.at(-1)!.records.map((r) => r.result).sort()).toEqual(['done', 'done', 'rejected']);

    const jsonl = join(dir.dir, 'export.jsonl');
    expect(await router!.handle('exportProvisionReport', { path: jsonl, format: 'jsonl' })).toEqual({ ok: true, value: { path: jsonl } });
    expect((await stat(jsonl)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(jsonl, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { pin?: string });
    expect(lines.map((l) => l.pin).filter(Boolean).sort()).toEqual([...pins].sort());

    const policy = join(dir.dir, 'policy.json');
    expect(await router!.handle('exportEntraPolicy', { path: policy })).toEqual({ ok: true, value: { path: policy } });
    expect(JSON.parse(await readFile(policy, 'utf8'))).toMatchObject({ keyRestrictions: { enforcementType: 'allow', aaGuids: [SIMULATED] } });
    // Over the run's own report: refused, the report stays as it was.
    expect(await router!.handle('exportProvisionReport', { path: report, format: 'jsonl' })).toMatchObject({ ok: false, error: { code: 'DEVICE_BUSY', facts: { reason: 'report-in-use' } } });
    expect(await readFile(report, 'utf8')).toBe(csv);
  });

  it('file names main will not use: relative, a device, a missing folder, a folder', async () => {
    open(threeKeys());
    for (const reportPath of ['keys.csv', '/dev/null', join(dir.dir, 'nope', 'keys.csv'), dir.dir]) {
      const result = await router!.handle('startProvisioning', { runId: `p-${reportPath}`, profile: MINIMAL, reportPath, count: 1 });
      expect(result, reportPath).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'path-not-allowed' } } });
    }
    expect(await router!.handle('exportProvisionReport', { path: join(dir.dir, 'x.csv'), format: 'csv' })).toMatchObject({ ok: false, error: { code: 'USAGE', facts: { reason: 'no-report-yet' } } });
    expect(await router!.handle('startProvisioning', { runId: 'bad', profile: '{ "reset": "no" }', profileName: 'fleet.json', reportPath: join(dir.dir, 'r.csv'), count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'USAGE', facts: { reason: 'profile-invalid', path: 'fleet.json' } },
    });
    // Without a shell there are no dialogs: the renderer uses its own fields.
    expect(await router!.handle('openProfileFile', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });

  it('one run at a time; Stop ends a run that waits for keys', async () => {
    const fleet = new Fleet();
    const { sent } = open(fleet);
    const report = join(dir.dir, 'keys.jsonl');
    const running = router!.handle('startProvisioning', { runId: 'p2', profile: MINIMAL, reportPath: report, count: null });
    await expect.poll(() => sent.some((s) => s.event === 'provision' && (s.payload as ProvisionEventPayload).update.type === 'waiting')).toBe(true);
    expect(await router!.handle('startProvisioning', { runId: 'p3', profile: MINIMAL, reportPath: join(dir.dir, 'other.csv'), count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'USAGE', facts: { reason: 'provisioning-running' } },
    });
    expect(await router!.handle('stopProvisioning', { runId: 'p2' })).toEqual({ ok: true, value: { stopped: true } });
    expect(await running).toMatchObject({ ok: true, value: { stopped: true, outcomes: { done: 0 } } });
    expect(await router!.handle('stopProvisioning', { runId: 'p2' })).toEqual({ ok: true, value: { stopped: false } });
  });

  it('a key held for a moment by another operation (a listing, another view) is waited for, not left incomplete', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'H1' });
    fleet.plug('H1');
    service = fleet.service();
    const sent: { event: EventName; payload: unknown }[] = [];
    let holder: Promise<unknown> | undefined;
    router = new IpcRouter({
      service,
      virtualKeyDir: dir.dir,
      emit: <E extends EventName>(event: E, payload: Events[E]) => {
        sent.push({ event, payload });
        // Right as the run starts setting the PIN, another run takes the key and waits for a PIN.
        const update = event === 'provision' ? (payload as ProvisionEventPayload).update : null;
        if (update?.type === 'step' && update.step === 'pin' && !holder) holder = router!.handle('runOperation', { operation: 'pin.set', runId: 'other', deviceId: 'usb:H1', input: {} });
      },
    });
    const running = router.handle('startProvisioning', { runId: 'p5', profile: MINIMAL, reportPath: join(dir.dir, 'held.csv'), count: 1 });
    await expect.poll(() => sent.find((s) => s.event === 'prompt' && (s.payload as Events['prompt']).runId === 'other')).toBeDefined();
    const other = sent.find((s) => s.event === 'prompt' && (s.payload as Events['prompt']).runId === 'other')!.payload as Events['prompt'];
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await router.handle('cancelPrompt', { id: other.event.id })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await holder).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await running).toMatchObject({ ok: true, value: { outcomes: { done: 1, incomplete: 0 } } });
    expect(fleet.key('H1').state.pinHash).not.toBeNull();
  });

  it('a shared PIN is asked for as a PIN prompt of the run and set on the key', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'S1' });
    fleet.plug('S1');
    const { sent } = open(fleet);
    const profile = '{ "reset": "never", "pin": { "mode": "shared" }, "minPinLength": 6 }';
    const running = router!.handle('startProvisioning', { runId: 'p4', profile, reportPath: join(dir.dir, 'shared.csv'), count: 1 });
    await expect.poll(() => sent.find((s) => s.event === 'prompt')).toBeDefined();
    const prompt = sent.find((s) => s.event === 'prompt')!.payload as Events['prompt'];
    expect(prompt).toMatchObject({ runId: 'p4', event: { kind: 'pin', purpose: 'new', minLength: 6 } });
    expect(await router!.handle('answerPrompt', { kind: 'pin', id: prompt.event.id, pin: '135790' })).toEqual({ ok: true, value: { answered: true } });
    expect(await running).toMatchObject({ ok: true, value: { outcomes: { done: 1 }, withPins: false } });
    expect(Buffer.from(fleet.key('S1').state.pinHash!).toString('hex')).toBe(pinHash('135790'));
    expect(JSON.stringify(sent)).not.toContain('135790');
    expect(await readFile(join(dir.dir, 'shared.csv'), 'utf8')).not.toContain('135790');
  });
});
