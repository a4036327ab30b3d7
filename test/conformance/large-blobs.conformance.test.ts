/**
 * authenticatorLargeBlobs conformance — CTAP 2.1 §6.10.2 (fragmented reads and writes, lbw
 * tokens, INTEGRITY_FAILURE) — run over every registered authenticator under test. A real key's
 * array is put back as it was after each test that writes.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { LargeBlobs, maxFragmentLength, serializeLargeBlobArray, supportsLargeBlobs } from '../../ctap/ctap2/large-blobs.js';
import { CtapStatus } from '../../ctap/status.js';
import { conformanceTargets, statusOf, type OpenTarget } from './targets.js';

const PIN = '271828';

describe.each(conformanceTargets)('largeBlobs conformance: $name', (target) => {
  const timeout = target.timeoutMs;
  let key: OpenTarget;
  let original: Uint8Array | null = null;

  beforeEach(async (context) => {
    key = await target.open({ preset: 'ctap21' });
    if (!supportsLargeBlobs(await key.session.getInfo({ refresh: true }))) context.skip();
    await new ClientPin(key.session).setPin(PIN);
    original = await new LargeBlobs(key.session).readSerialized();
  }, timeout);

  afterEach(async () => {
    if (key && original && key.state === null) {
      const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.lbw });
      await new LargeBlobs(key.session, token).writeSerialized(original);
    }
    original = null;
    await key?.close();
  }, timeout);

  const lbwToken = () => new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.lbw });

  it('holds a valid array (80 ‖ its hash on a fresh key)', { timeout }, async () => {
    const array = await new LargeBlobs(key.session).readArray();
    expect(array.kind).toBe('valid');
    if (key.state) expect(array.serialized).toEqual(serializeLargeBlobArray([]));
  });

  it('a write with an lbw token spans fragments and reads back byte for byte', { timeout }, async () => {
    const info = await key.session.getInfo();
    // Incompressible data: the array outgrows two fragments but stays within the spec's 1024 bytes.
    const size = Math.min(2 * maxFragmentLength(info) + 10, 900);
    const written = serializeLargeBlobArray([sealLargeBlob(randomBytes(32), randomBytes(size))]);
    await new LargeBlobs(key.session, await lbwToken()).writeSerialized(written);
    expect(await new LargeBlobs(key.session).readSerialized()).toEqual(written);
  });

  it('a PIN-protected key refuses a write without a token (PUAT_REQUIRED)', { timeout }, async () => {
    expect(await statusOf(new LargeBlobs(key.session).writeArray([]))).toBe(CtapStatus.PUAT_REQUIRED);
  });

  it('a token without lbw cannot write (§6.10.2 step 4.e.v)', { timeout }, async () => {
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    expect([CtapStatus.PIN_AUTH_INVALID, CtapStatus.UNAUTHORIZED_PERMISSION]).toContain(await statusOf(new LargeBlobs(key.session, token).writeArray([])));
    expect(await new LargeBlobs(key.session).readSerialized()).toEqual(original);
  });

  it('an array whose hash does not hold is refused (INTEGRITY_FAILURE) and the old one kept', { timeout }, async () => {
    const bad = serializeLargeBlobArray([sealLargeBlob(randomBytes(32), randomBytes(40))]);
    bad[bad.length - 1]! ^= 0x01;
    expect(await statusOf(new LargeBlobs(key.session, await lbwToken()).writeSerialized(bad))).toBe(CtapStatus.INTEGRITY_FAILURE);
    expect(await new LargeBlobs(key.session).readSerialized()).toEqual(original);
  });
});
