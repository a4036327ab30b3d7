// The `info` operation's developer extras over a simulated key: the getInfo map in CBOR
// diagnostic notation (RFC 8949 §8) made by cbor2 from the bytes the key sent, and the large-blob
// storage used / total read without a PIN (CTAP 2.1 §6.10.2), a corrupt array shown with its size.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { KeyService, unwrap } from '../../main/service/key-service.js';
import type { PromptHandler } from '../../main/service/prompt-events.js';
import { passkey, seedKey } from '../cli/tty-session.js';

let dir: string;
let service: KeyService | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-details-'));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Reading details asks nothing of the person: any question fails the test. */
const silent: PromptHandler = {
  pin: () => Promise.reject(new Error('info asked for a PIN')),
  confirm: () => Promise.reject(new Error('info asked for a confirmation')),
  notify: () => undefined,
};

async function info(preset: string, change?: Parameters<typeof seedKey>[1]['change']) {
  const file = join(dir, 'key.json');
  await seedKey(file, { preset, ...(change ? { change } : {}) });
  service = new KeyService({ virtualFiles: [file] });
  return unwrap(await service.run('info', {}, { prompts: silent }));
}

describe('info: getInfo in CBOR diagnostic notation', () => {
  it('has integer keys and byte strings as h\'…\', and says what the report says', async () => {
    const report = await info('ctap21');
    const diagnostic = report.getInfoDiagnostic;
    expect(diagnostic).not.toBeNull();
    // 0x01 versions, 0x03 the AAGUID as a byte string, 0x04 options with text keys.
    expect(diagnostic).toMatch(/^\{\n {2}1: \[/);
    expect(diagnostic).toContain(`3: h'${report.aaguid.replaceAll('-', '')}'`);
    expect(diagnostic).toMatch(/\n {2}4: \{\n[^}]*\n {4}"rk": true/);
    for (const version of report.versions) expect(diagnostic).toContain(`"${version}"`);
    expect(diagnostic).toContain(`5: ${report.maxMsgSize}`);
    expect(diagnostic).not.toMatch(/^\s*"1":/m);
  });
});

describe('info: large-blob storage', () => {
  it('used is the serialized array the key holds, total its maxSerializedLargeBlobArray', async () => {
    const alice = passkey({ rpId: 'example.com', user: 'alice', largeBlobKey: true });
    const array = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, new TextEncoder().encode('a note for alice'))]);
    const report = await info('ctap21', (state) => {
      state.credentials.push(alice);
      state.largeBlobArray = array;
    });
    expect(report.options.largeBlobs).toBe(true);
    expect(report.largeBlobStorage).toEqual({ used: array.length, max: report.maxSerializedLargeBlobArray, state: 'valid' });
    expect(array.length).toBeGreaterThan(17);
  });

  it('an empty key uses the 17 bytes of the empty array (§6.10.2 initial value)', async () => {
    const report = await info('ctap21');
    expect(report.largeBlobStorage).toEqual({ used: 17, max: report.maxSerializedLargeBlobArray, state: 'valid' });
  });

  it('a corrupt array is reported as corrupt with its size, not as an error', async () => {
    const good = serializeLargeBlobArray([new Uint8Array(40)]);
    const bad = good.slice();
    bad[bad.length - 1]! ^= 0xff;
    const report = await info('ctap21', (state) => {
      state.largeBlobArray = bad;
    });
    expect(report.largeBlobStorage).toEqual({ used: bad.length, max: report.maxSerializedLargeBlobArray, state: 'corrupt' });
  });

  it('keys without the largeBlobs option report none', async () => {
    const report = await info('ctap20');
    expect(report.options.largeBlobs).toBeUndefined();
    expect(report.largeBlobStorage).toBeNull();
    // The diagnostic is of that key's own getInfo (a 2.0 key lists FIDO_2_0 only).
    expect(report.getInfoDiagnostic).toContain('"FIDO_2_0"');
    expect(report.getInfoDiagnostic).not.toContain('"FIDO_2_1"');
  });
});
