// Provisioning runs over a hub of simulated USB keys: keys plugged in one after another and all
// at once, rejected keys, keys already done, a key pulled mid-run, a key nobody touches, Ctrl-C.
// After each run the report must say exactly what each key really is.
import { rmSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { AppError } from '../../main/service/errors.js';
import type { ProvisionEvent } from '../../main/service/provisioning/key-worker.js';
import { parseProfile, type Profile } from '../../main/service/provisioning/profile.js';
import { ProvisionReport, type ProvisionRecord } from '../../main/service/provisioning/report.js';
import { provisionKeys, type ProvisionSummary } from '../../main/service/provisioning/runner.js';
import { passkey } from '../cli/tty-session.js';
import { tempDir } from '../cli/helpers.js';
import { Fleet, pinHash, seededDraw } from './fleet.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const YUBIKEY_5_NFC = 'ee882879-721c-4913-9775-3dfcce97072a';
const OTHER_MODEL = '5ca1ab1e-0000-4000-8000-00000000c0de';
const TIME = '2026-01-02T03:04:05.000Z';
const MINIMAL = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }';

function profileOf(text: string): Profile {
  const parsed = parseProfile(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.profile;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

interface RunOptions {
  fleet: Fleet;
  profile: Profile;
  report: string;
  count: number | null;
  signal?: AbortSignal;
  onEvent?: (event: ProvisionEvent | { type: 'waiting' }) => void;
  redo?: boolean;
}

async function run(options: RunOptions): Promise<{ summary: ProvisionSummary; events: (ProvisionEvent | { type: 'waiting' })[]; records: ProvisionRecord[] }> {
  const service = options.fleet.service();
  const report = await ProvisionReport.open(options.report, { withPins: options.profile.pin?.mode === 'random' });
  const events: (ProvisionEvent | { type: 'waiting' })[] = [];
  try {
    const summary = await provisionKeys({
      service,
      profile: options.profile,
      report,
      count: options.count,
      signal: options.signal ?? new AbortController().signal,
      redo: options.redo ?? false,
      drawPin: seededDraw(7),
      now: () => new Date(TIME),
      onEvent: (event) => {
        events.push(event);
        options.fleet.person(event);
        options.onEvent?.(event);
      },
    });
    return { summary, events, records: [...report.all()] };
  } finally {
    await report.close();
    await service.close();
  }
}

/** What the key itself says: the same fields the report claims. */
function keyState(key: VirtualKey): { pinHash: string | null; minPinLength: number; forcePinChange: boolean; alwaysUv: boolean; ep: boolean; passkeys: number } {
  const s = key.state;
  return {
    pinHash: s.pinHash ? bytesToHex(s.pinHash) : null,
    minPinLength: s.minPinLength,
    forcePinChange: s.forcePinChange,
    alwaysUv: s.alwaysUv,
    ep: s.enterpriseAttestation,
    passkeys: s.credentials.length,
  };
}

function finished(events: readonly { type: string; deviceId?: string }[], deviceId: string): boolean {
  return events.some((e) => e.type === 'finished' && e.deviceId === deviceId);
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

function seedPin(key: VirtualKey, pin: string): void {
  key.state.pinHash = sha256(utf8ToBytes(pin)).slice(0, 16);
  key.state.pinLength = pin.length;
}

describe('keys plugged in one after another', () => {
  it('provisions a 2.1 key, rejects a 2.1-PRE key (no settings) and a model not on the allow list, and the CSV says exactly that', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'A1' });
    fleet.add({ serial: 'B2', preset: 'ctap21-pre' });
    fleet.add({ serial: 'C3', aaguid: OTHER_MODEL });
    const profile = profileOf(MINIMAL.replace('{', `{ "accept": { "allow": ["${SIMULATED}", "${YUBIKEY_5_NFC}"] },`));
    const events: { type: string; deviceId?: string }[] = [];
    const running = run({ fleet, profile, report: dir.file('report.csv'), count: 3, onEvent: (e) => events.push(e) });
    for (const serial of ['A1', 'B2', 'C3']) {
      fleet.plug(serial);
      await until(() => finished(events, `usb:${serial}`));
    }
    const { summary, records } = await running;
    expect(summary.outcomes).toMatchObject({ done: 1, rejected: 2, incomplete: 0, failed: 0 });

    const pin = records[0]!.pin!;
    expect(pin).toMatch(/^\d{8}$/);
    expect(keyState(fleet.key('A1'))).toEqual({ pinHash: pinHash(pin), minPinLength: 8, forcePinChange: true, alwaysUv: false, ep: false, passkeys: 0 });
    // Rejected before anything was sent that changes a key.
    expect(keyState(fleet.key('B2'))).toMatchObject({ pinHash: null, minPinLength: 4, forcePinChange: false });
    expect(keyState(fleet.key('C3'))).toMatchObject({ pinHash: null, minPinLength: 4, forcePinChange: false });

    const [a, b, c] = records.map((r) => r.fingerprint);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).not.toBe(a);
    const csv = await readFile(dir.file('report.csv'), 'utf8');
    expect(csv).toBe(
      [
        'label,time,model,aaguid,firmware,identity,fingerprint,steps,result,error,attestation,pin',
        `KEY-1,${TIME},Simulated key,${SIMULATED},329472,usb:A1,${a},pin;min-pin-length;verify,done,,not-checked,${pin}`,
        `KEY-2,${TIME},YubiKey 5 Series,${YUBIKEY_5_NFC},,usb:B2,${b},,rejected,step-unsupported,not-checked,`,
        `KEY-3,${TIME},Virtual FIDO2 Key,${OTHER_MODEL},329472,usb:C3,${c},,rejected,aaguid-not-allowed,not-checked,`,
        '',
      ].join('\n'),
    );
    expect((await stat(dir.file('report.csv'))).mode & 0o777).toBe(0o600);
  });
});

describe('keys plugged in together', () => {
  it('works on four keys at once, labels every prompt with its key, and skips them all on a second run', async () => {
    const fleet = new Fleet();
    const presets = ['ctap21', 'ctap21-pre', 'ctap20', 'ctap21'];
    presets.forEach((preset, i) => fleet.add({ serial: `HUB${i}`, preset }));
    // One key comes with a PIN and a passkey from its last user.
    seedPin(fleet.key('HUB3'), '135790');
    fleet.key('HUB3').state.credentials.push(passkey({ rpId: 'example.com', user: 'previous' }));
    for (let i = 0; i < 4; i += 1) fleet.plug(`HUB${i}`);
    const profile = profileOf('reset: if-pin-set\npin: { mode: random, length: 6, alphabet: alphanumeric }\nlabel: "{model} #{n}"\n');

    const first = await run({ fleet, profile, report: dir.file('report.jsonl'), count: 4 });
    expect(first.summary.outcomes).toMatchObject({ done: 4, rejected: 0, incomplete: 0, failed: 0 });
    // Concurrently: every key started before the first one finished.
    const firstFinish = first.events.findIndex((e) => e.type === 'finished');
    const startedBefore = new Set(first.events.slice(0, firstFinish).filter((e) => e.type === 'identified').map((e) => (e as { deviceId: string }).deviceId));
    expect(startedBefore.size).toBe(4);
    const prompts = first.events.filter((e): e is Extract<ProvisionEvent, { type: 'prompt' }> => e.type === 'prompt');
    expect(prompts.some((p) => p.prompt.kind === 'reinsert')).toBe(true);
    for (const p of prompts) expect(p.label).toMatch(/#\d$/);

    for (const record of first.records) {
      const key = fleet.key(record.identity);
      expect(record.pin).toMatch(/^[0-9A-Za-z]{6}$/);
      expect(keyState(key).pinHash).toBe(pinHash(record.pin!));
      expect(record.steps).toEqual(record.identity === 'usb:HUB3' ? ['reset', 'pin', 'verify'] : ['pin', 'verify']);
    }
    expect(keyState(fleet.key('HUB3')).passkeys).toBe(0);
    const text = await readFile(dir.file('report.jsonl'), 'utf8');
    expect(text.trim().split('\n').map((line) => JSON.parse(line) as ProvisionRecord)).toEqual(first.records);

    // Skipped keys do not count towards a run's keys: stop once all four were recognised.
    const stop = new AbortController();
    let skipped = 0;
    const second = await run({
      fleet,
      profile,
      report: dir.file('report.jsonl'),
      count: 1,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'skipped' && (skipped += 1) === 4) stop.abort();
      },
    });
    expect(second.summary.outcomes.skipped).toBe(4);
    expect(await readFile(dir.file('report.jsonl'), 'utf8')).toBe(text);
  });
});

describe('interruptions', () => {
  it('a key pulled mid-run is recorded as incomplete with what was done, and a rerun finishes it with the same PIN', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'P1' });
    fleet.plug('P1');
    const profile = profileOf(MINIMAL);
    const first = await run({
      fleet,
      profile,
      report: dir.file('report.csv'),
      count: 1,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 'min-pin-length') fleet.pull('P1');
      },
    });
    const [record] = first.records;
    expect(record).toMatchObject({ result: 'incomplete', steps: ['pin'], error: 'DEVICE_NOT_FOUND' });
    expect(keyState(fleet.key('P1'))).toMatchObject({ pinHash: pinHash(record!.pin!), minPinLength: 4, forcePinChange: false });

    fleet.plug('P1');
    const second = await run({ fleet, profile, report: dir.file('report.csv'), count: 1 });
    expect(second.records).toEqual([{ ...record, steps: ['pin', 'min-pin-length', 'verify'], result: 'done', error: '' }]);
    expect(keyState(fleet.key('P1'))).toMatchObject({ pinHash: pinHash(record!.pin!), minPinLength: 8, forcePinChange: true });
  });

  it('Ctrl-C between steps leaves the key incomplete with the steps done', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'S1' });
    fleet.plug('S1');
    const controller = new AbortController();
    const { records, summary } = await run({
      fleet,
      profile: profileOf(MINIMAL),
      report: dir.file('report.jsonl'),
      count: null,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 'min-pin-length') controller.abort();
      },
    });
    expect(summary.stopped).toBe(true);
    expect(records).toEqual([expect.objectContaining({ result: 'incomplete', steps: ['pin'], error: 'CANCELLED' })]);
    expect(keyState(fleet.key('S1'))).toMatchObject({ pinHash: pinHash(records[0]!.pin!), minPinLength: 4 });
  });

  it('a key nobody touches for its reset is left exactly as it was, and the report holds no PIN for it', async () => {
    const fleet = new Fleet();
    const key = fleet.add({ serial: 'T1', presence: 'never' });
    seedPin(key, '135790');
    key.state.credentials.push(passkey({ rpId: 'example.com', user: 'alice' }));
    fleet.plug('T1');
    const before = keyState(key);
    const { records } = await run({ fleet, profile: profileOf(MINIMAL.replace('"never"', '"always"')), report: dir.file('report.jsonl'), count: 1 });
    expect(records).toEqual([expect.objectContaining({ result: 'failed', steps: [], error: 'TOUCH_TIMEOUT' })]);
    expect(records[0]).not.toHaveProperty('pin');
    expect(keyState(key)).toEqual(before);
    expect(await readFile(dir.file('report.jsonl'), 'utf8')).not.toContain('"pin"');
  });

  it('a report that cannot be written stops the run before another key is changed, and the run fails with why', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'W1' });
    fleet.plug('W1');
    await mkdir(dir.file('reports'));
    const failure = await run({
      fleet,
      profile: profileOf(MINIMAL),
      report: dir.file('reports/r.csv'),
      count: 2,
      onEvent: (e) => {
        // The folder goes away while the first key gets its PIN (a full or unplugged disk).
        if (e.type === 'step' && e.step === 'pin') rmSync(dir.file('reports'), { recursive: true, force: true });
      },
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'FILE_ACCESS', facts: { reason: 'report-not-saved' } });
    // The run ended although it was asked for two keys, and no step followed the failed write.
    expect(keyState(fleet.key('W1'))).toMatchObject({ minPinLength: 4, forcePinChange: false });
  });
});

describe('profiles that change what is done', () => {
  it('a key without a serial number that comes back from its reset under a new id is still one key, finished by one worker', async () => {
    const fleet = new Fleet();
    const key = fleet.add({ serial: 'N1', newIdOnReplug: true });
    seedPin(key, '135790');
    fleet.plug('N1');
    // Runs until stopped, so that a second worker on the new id would have time to show up.
    const stop = new AbortController();
    const { records, summary } = await run({
      fleet,
      profile: profileOf(MINIMAL.replace('"never"', '"if-pin-set"')),
      report: dir.file('r.jsonl'),
      count: null,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'finished') setTimeout(() => stop.abort(), 500);
      },
    });
    // Records first: if a second worker ever took the key, they show which and how far it got.
    expect(records.map((r) => [r.identity, r.result, r.error, r.steps.join(';')])).toEqual([['usb:N1', 'done', '', 'reset;pin;min-pin-length;verify']]);
    expect(summary.outcomes).toMatchObject({ done: 1, incomplete: 0, failed: 0, rejected: 0 });
    expect(keyState(key)).toMatchObject({ pinHash: pinHash(records[0]!.pin!), minPinLength: 8, forcePinChange: true });
  });

  it('a key with an unknown PIN is rejected when the profile does not reset', async () => {
    const fleet = new Fleet();
    seedPin(fleet.add({ serial: 'U1' }), '135790');
    fleet.plug('U1');
    const { records } = await run({ fleet, profile: profileOf(MINIMAL), report: dir.file('r.jsonl'), count: 1 });
    expect(records).toEqual([expect.objectContaining({ result: 'rejected', error: 'pin-already-set', steps: [] })]);
    expect(keyState(fleet.key('U1')).pinHash).toBe(pinHash('135790'));
  });

  it('offboarding: reset without a PIN wipes the key and verifies it is empty', async () => {
    const fleet = new Fleet();
    const key = fleet.add({ serial: 'O1' });
    seedPin(key, '135790');
    key.state.credentials.push(passkey({ rpId: 'example.com', user: 'leaver' }));
    fleet.plug('O1');
    const { records } = await run({ fleet, profile: profileOf('{ "reset": "always", "label": "{serial}" }'), report: dir.file('r.csv'), count: 1 });
    expect(records).toEqual([expect.objectContaining({ label: 'O1', result: 'done', steps: ['reset', 'verify'] })]);
    expect(keyState(key)).toMatchObject({ pinHash: null, passkeys: 0 });
    expect((await readFile(dir.file('r.csv'), 'utf8')).split('\n')[0]).not.toContain('pin');
  });

  it('always-verify and enterprise attestation are set and read back', async () => {
    const fleet = new Fleet();
    fleet.add({ serial: 'E1' });
    fleet.plug('E1');
    const profile = profileOf('{ "reset": "never", "pin": { "mode": "random", "length": 10 }, "alwaysUv": true, "enterpriseAttestation": true, "minPinLength": 10 }');
    const { records } = await run({ fleet, profile, report: dir.file('r.jsonl'), count: 1 });
    expect(records[0]).toMatchObject({ result: 'done', steps: ['pin', 'always-uv', 'enterprise-attestation', 'min-pin-length', 'verify'] });
    expect(keyState(fleet.key('E1'))).toMatchObject({ alwaysUv: true, ep: true, minPinLength: 10, forcePinChange: false, pinHash: pinHash(records[0]!.pin!) });
  });
});
