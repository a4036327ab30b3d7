import { describe, expect, it } from 'vitest';
import type { CborMap } from '../../ctap/cbor.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import type { TraceEvent } from '../../ctap/ctap2/session.js';
import { createTracer, formatTraceEvent, redactParams } from '../../main/service/trace.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const secret = (fill: number, length = 32): Uint8Array => new Uint8Array(length).fill(fill);

function traceLines(events: TraceEvent[]): string {
  const lines: string[] = [];
  const tracer = createTracer((line) => lines.push(line));
  for (const event of events) tracer(event);
  return lines.join('\n');
}

describe('trace', () => {
  it('redacts clientPIN pinUvAuthParam, newPinEnc, pinHashEnc and the returned token', () => {
    const pinUvAuthParam = secret(0xa1, 16);
    const newPinEnc = secret(0xa2, 64);
    const pinHashEnc = secret(0xa3, 16);
    const token = secret(0xa4, 48);
    const keyAgreement: CborMap = new Map<number, number | Uint8Array>([[1, 2], [-2, secret(0x11)], [-3, secret(0x12)]]);
    const request: CborMap = new Map<number, number | Uint8Array | CborMap>([
      [0x01, 2],
      [0x02, 0x04],
      [0x03, keyAgreement],
      [0x04, pinUvAuthParam],
      [0x05, newPinEnc],
      [0x06, pinHashEnc],
    ]);
    const out = traceLines([
      { direction: 'request', command: Ctap2Command.CLIENT_PIN, params: request, byteLength: 200 },
      { direction: 'response', command: Ctap2Command.CLIENT_PIN, status: 0, params: new Map([[0x02, token]]), byteLength: 52 },
    ]);
    for (const s of [pinUvAuthParam, newPinEnc, pinHashEnc, token]) {
      expect(out).not.toContain(hex(s));
      expect(out).not.toContain(hex(s).slice(0, 16));
    }
    expect(out).toContain('CLIENT_PIN changePin');
    expect(out).toContain('<redacted 64 bytes>');
    expect(out).toContain('<redacted 48 bytes>');
    expect(out).toContain('CTAP2_OK');
    // The public key agreement stays visible for developers.
    expect(out).toContain(hex(secret(0x11)));
    // The original map is untouched (the session still needs the real values).
    expect(request.get(0x05)).toBe(newPinEnc);
  });

  it('redacts the pinUvAuthParam of every other command that carries one', () => {
    const cases: [number, number][] = [
      [Ctap2Command.MAKE_CREDENTIAL, 0x08],
      [Ctap2Command.GET_ASSERTION, 0x06],
      [Ctap2Command.BIO_ENROLLMENT, 0x05],
      [Ctap2Command.BIO_ENROLLMENT_PREVIEW, 0x05],
      [Ctap2Command.CREDENTIAL_MANAGEMENT, 0x04],
      [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, 0x04],
      [Ctap2Command.CONFIG, 0x04],
      [Ctap2Command.LARGE_BLOBS, 0x05],
    ];
    for (const [command, key] of cases) {
      const param = secret(0xc0 + key, 32);
      const event: TraceEvent = { direction: 'request', command, params: new Map<number, number | Uint8Array>([[0x01, 1], [key, param]]), byteLength: 40 };
      expect(formatTraceEvent(event)).not.toContain(hex(param));
      expect(redactParams(event)?.get(0x01)).toBe(1);
    }
  });

  it('names commands, statuses and subcommands, and cuts long byte strings', () => {
    const line = formatTraceEvent({
      direction: 'request',
      command: Ctap2Command.CREDENTIAL_MANAGEMENT,
      params: new Map<number, number | Uint8Array>([[0x01, 0x02], [0x02, secret(0x33, 100)]]),
      byteLength: 110,
    });
    expect(line).toMatch(/^→ CREDENTIAL_MANAGEMENT enumerateRPsBegin /);
    expect(line).toContain('(100 bytes)');
    expect(line).not.toContain(hex(secret(0x33, 100)));
    // Every family's sub-commands by their spec names; a vendor's own number stays a number.
    const named = (command: number, sub: number): string => formatTraceEvent({ direction: 'request', command, params: new Map([[command === Ctap2Command.CLIENT_PIN || command === Ctap2Command.BIO_ENROLLMENT ? 0x02 : 0x01, sub]]), byteLength: 3 });
    expect(named(Ctap2Command.BIO_ENROLLMENT, 0x04)).toMatch(/^→ BIO_ENROLLMENT enumerateEnrollments /);
    expect(named(Ctap2Command.CONFIG, 0x03)).toMatch(/^→ CONFIG setMinPINLength /);
    expect(named(Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, 0x06)).toMatch(/ deleteCredential /);
    expect(named(Ctap2Command.CLIENT_PIN, 0x09)).toMatch(/ getPinUvAuthTokenUsingPinWithPermissions /);
    expect(named(Ctap2Command.CONFIG, 0xff)).toMatch(/ subCommand 0xff /);
    const error = formatTraceEvent({ direction: 'response', command: Ctap2Command.CLIENT_PIN, status: 0x31, byteLength: 1 });
    expect(error).toBe('← CLIENT_PIN CTAP2_ERR_PIN_INVALID (1 bytes)');
  });

  it('shows the time of each exchange on its answer, in ms', () => {
    const line = formatTraceEvent({ direction: 'response', command: Ctap2Command.GET_INFO, status: 0, byteLength: 1, elapsedMs: 12.345 });
    expect(line).toBe('← GET_INFO CTAP2_OK 12.3 ms (1 bytes)');
  });
});
