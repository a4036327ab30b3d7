// CtapHidTransport against a key that answers junk — CTAP 2.1 §11.2.4/§11.2.9: whatever comes
// back, a transaction ends with an answer or a typed FidoError, never a crash or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FidoError } from '../../ctap/errors.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { TransportCommand } from '../../ctap/transport/transport.js';
import { FakeHid, initReply } from '../helpers/fake-hid.js';

const CID = 0x0a0b0c0d;

/** A 64-byte report; most of them on our channel so the reassembler really sees them. */
const report = fc
  .tuple(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), fc.nat({ max: 0xff }))
  .map(([bytes, ours, headerByte]) => {
    if (ours) new DataView(bytes.buffer).setUint32(0, CID);
    // Often make it a plausible init packet of a CTAPHID command so deeper paths are reached.
    if (headerByte < 0x80) bytes[4] = [0x90, 0xbb, 0xbf, 0x81, 0x00, 0x01][headerByte % 6]!;
    return bytes;
  });

describe('transport properties', () => {
  it('junk answers end in a result or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(report, { minLength: 0, maxLength: 12 }), async (junk) => {
        const hid = new FakeHid().onRequest((request, fake) => {
          if (request.cmd === TransportCommand.INIT) fake.send(initReply(request, { cid: CID }));
          else if (request.cmd !== TransportCommand.CANCEL) fake.sendReports(junk);
        });
        const transport = await CtapHidTransport.open(hid, { cancelTimeoutMs: 5 });
        const outcome = await transport.transact(TransportCommand.CBOR, Uint8Array.of(4), { timeoutMs: 30 }).then(
          (answer) => answer,
          (error: unknown) => error,
        );
        if (outcome instanceof Uint8Array) {
          // Only a complete CBOR message on our channel can be an answer.
          expect(junk.some((bytes) => new DataView(bytes.buffer).getUint32(0) === CID && bytes[4] === 0x90)).toBe(true);
        } else {
          expect(outcome).toBeInstanceOf(FidoError);
        }
        await transport.close();
      }),
      { numRuns: 60 },
    );
  });
});
