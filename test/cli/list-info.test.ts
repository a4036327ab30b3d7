import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetConfig } from '../../ctap/virtual/config.js';
import { parseJson, skm, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

interface ListRow {
  id: string;
  transport: string;
  name: string;
  vendor: string | null;
  aaguid: string | null;
  reader: string | null;
  vid: number | null;
  pid: number | null;
}

function uuid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('skm list', () => {
  it('--json lists the simulated key with the agreed fields, aaguid from getInfo', async () => {
    const path = tmp.file('key.json');
    const result = await skm(['--virtual', path, '--json', 'list']);
    expect(result.code).toBe(0);
    const rows = parseJson<ListRow[]>(result);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const config = presetConfig('ctap21');
    for (const field of ['id', 'transport', 'name', 'vendor', 'aaguid', 'reader', 'vid', 'pid']) expect(row).toHaveProperty(field);
    expect(row.id).toMatch(/^virtual:/);
    expect(row.transport).toBe('virtual');
    expect(row.name).toBe(`${config.productName} (Simulated key)`);
    expect(row.aaguid).toBe(uuid(config.aaguid));
    expect(row.aaguid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(row.vid).toBe(config.vid);
    expect(row.pid).toBe(config.pid);
    expect(row.reader).toBeNull();
    // Our own AAGUID: named as simulated, not after the USB vendor id it borrows.
    expect(row).toMatchObject({ model: 'Simulated key', vendor: 'Security Key Manager' });
  });

  it('human output is a table naming the key as simulated; the id is stable across runs', async () => {
    const path = tmp.file('key.json');
    const first = await skm(['--virtual', path, 'list']);
    const second = await skm(['--virtual', path, 'list']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toMatch(/^ID\s+CONNECTION\s+NAME/);
    expect(first.stdout).toContain('(Simulated key)');
    expect(second.stdout).toBe(first.stdout);
  });
});

describe('skm info', () => {
  it('names the key and its id on lines of their own, the firmware as a version, and what to try next on a practice key', async () => {
    const path = tmp.file('key.json');
    const result = await skm(['--virtual', path, 'info']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Key:\s+Virtual FIDO2 Key \(Simulated key\)$/m);
    expect(result.stdout).toMatch(/^ID:\s+virtual:SIM[0-9A-F]+$/m);
    expect(result.stdout).not.toMatch(/\)\s*\(virtual:/);
    expect(result.stdout).toMatch(/^Firmware:\s+5\.7\.0 \(0x050700\)$/m);
    expect(result.stdout).toContain(`Set a PIN with \`skm --virtual ${path} pin set\``);
  });

  it('--json carries every getInfo field, camelCased, matching the preset', async () => {
    const path = tmp.file('key.json');
    const result = await skm(['--virtual', path, '--json', 'info']);
    expect(result.code).toBe(0);
    const info = parseJson<Record<string, unknown>>(result);
    const config = presetConfig('ctap21');
    for (const field of [
      'id', 'transport', 'model', 'vendor', 'aaguid', 'versions', 'extensions', 'options', 'pinUvAuthProtocols',
      'minPinLength', 'forcePinChange', 'firmwareVersion', 'remainingDiscoverableCredentials', 'pinRetries',
      'maxMsgSize', 'maxCredentialCountInList', 'maxCredentialIdLength', 'transports', 'algorithms', 'maxCredBlobLength',
      'maxRpIdsForSetMinPinLength', 'longTouchForReset', 'transportsForReset', 'maxPinLength', 'unknownFields',
    ]) {
      expect(info).toHaveProperty(field);
    }
    expect(info.transport).toBe('virtual');
    expect(info.aaguid).toBe(uuid(config.aaguid));
    expect(info.versions).toEqual(config.versions);
    expect(info.pinUvAuthProtocols).toEqual(config.pinUvAuthProtocols);
    expect(info.firmwareVersion).toBe(config.firmwareVersion);
    expect(info.remainingDiscoverableCredentials).toBe(config.credentialSlots);
    expect(info.maxMsgSize).toBe(config.maxMsgSize);
    // No PIN set: retries are not asked for (Chromium neither).
    expect(info.pinRetries).toBeNull();
    expect(info.unreadableFields).toEqual([]);
    expect(info.minPinLength).toBe(4);
    expect(info.forcePinChange).toBe(false);
    expect((info.options as Record<string, boolean>).clientPin).toBe(false);
  });

  it('human output explains the PIN and options in words', async () => {
    const path = tmp.file('key.json');
    const result = await skm(['--virtual', path, 'info']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PIN:\s+not set/);
    expect(result.stdout).toMatch(/Passkey slots left:\s+\d+/);
    expect(result.stdout).toContain('Can store passkeys on the key');
    expect(result.stdout).not.toMatch(/CTAP2_ERR/);
  });

  it('shows large-blob storage used and total where the key has it, and nothing where it has none', async () => {
    const path = tmp.file('blobs.json');
    const json = parseJson<{ largeBlobStorage: { used: number; max: number; state: string } | null }>(await skm(['--virtual', path, '--json', 'info']));
    // A fresh key holds the empty array (0x80) and its 16-byte hash (§6.10.2).
    expect(json.largeBlobStorage).toEqual({ used: 17, max: presetConfig('ctap21').maxSerializedLargeBlobArray, state: 'valid' });
    const text = await skm(['--virtual', path, 'info']);
    expect(text.stdout).toMatch(new RegExp(`Large-blob storage:\\s+17 of ${json.largeBlobStorage!.max} bytes used`));
    const old = await skm(['--virtual', tmp.file('old.json'), '--virtual-preset', 'ctap20', 'info']);
    expect(old.code).toBe(0);
    expect(old.stdout).not.toContain('Large-blob storage:');
  });

  it('reflects the preset stored in the file, not a later --virtual-preset', async () => {
    const path = tmp.file('pre.json');
    const pre = parseJson<{ versions: string[]; options: Record<string, boolean> }>(await skm(['--virtual', path, '--virtual-preset', 'ctap21-pre', '--json', 'info']));
    expect(pre.versions).toContain('FIDO_2_1_PRE');
    expect(pre.versions).not.toContain('FIDO_2_1');
    const again = parseJson<{ versions: string[] }>(await skm(['--virtual', path, '--virtual-preset', 'ctap21', '--json', 'info']));
    expect(again.versions).toEqual(pre.versions);
  });

  it('a CTAP 2.0 key shows its PIN state from getInfo and retries', async () => {
    const path = tmp.file('old.json');
    expect((await skm(['--virtual', path, '--virtual-preset', 'ctap20', 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
    const info = parseJson<{ versions: string[]; pinRetries: number | null }>(await skm(['--virtual', path, '--virtual-preset', 'ctap20', '--json', 'info']));
    expect(info.versions).not.toContain('FIDO_2_1');
    expect(info.pinRetries).toBe(8);
  });

  it('a U2F-only key is listed without an AAGUID, and info shows what it is instead of failing', async () => {
    const path = tmp.file('u2f.json');
    const rows = parseJson<ListRow[]>(await skm(['--virtual', path, '--virtual-preset', 'u2f-only', '--json', 'list']));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.aaguid).toBeNull();
    const info = await skm(['--virtual', path, '--json', 'info']);
    expect(info.code).toBe(0);
    expect(parseJson(info)).toMatchObject({ id: rows[0]!.id, fido2: false, versions: ['U2F_V2'], pinSupported: false });
    const human = await skm(['--virtual', path, 'info']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Kind:\s+FIDO U2F only \(an older standard\)/m);
    expect(human.stdout).toMatch(/^PIN:\s+not supported$/m);
  });
});
