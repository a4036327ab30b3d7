// CTAPHID framing under arbitrary input — CTAP 2.1 §11.2.4: round trips and junk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import { MAX_MESSAGE_SIZE, MessageReassembler, encodeMessage, packetCid } from '../../ctap/transport/hid/framing.js';
import type { HidMessage } from '../../ctap/transport/hid/framing.js';

const runs = { numRuns: 200 };

const cid = fc.integer({ min: 0, max: 0xffffffff });
const cmd = fc.integer({ min: 0, max: 0x7f });
const payload = fc.uint8Array({ minLength: 0, maxLength: MAX_MESSAGE_SIZE });
const message = fc.record({ cid, cmd, payload });

/** Push every report; return the messages completed, or the framing error that stopped it. */
function feed(reassembler: MessageReassembler, reports: Uint8Array[]): { messages: HidMessage[]; error?: TransportError } {
  const messages: HidMessage[] = [];
  for (const report of reports) {
    try {
      const done = reassembler.push(report);
      if (done) messages.push(done);
    } catch (error) {
      if (!(error instanceof TransportError) || error.kind !== 'framing') throw error;
      return { messages, error };
    }
  }
  return { messages };
}

describe('framing properties', () => {
  it('encode → reassemble is the identity for every payload size 0..7609 and every CID', () => {
    fc.assert(
      fc.property(message, (original) => {
        const reports = encodeMessage(original);
        expect(reports.every((report) => report.length === 64 && packetCid(report) === original.cid)).toBe(true);
        const { messages, error } = feed(new MessageReassembler(), reports);
        expect(error).toBeUndefined();
        expect(messages).toEqual([original]);
      }),
      runs,
    );
  });

  it('interleaved packets of two channels come apart with one reassembler per CID', () => {
    const twoChannels = fc
      .tuple(message, message, fc.array(fc.boolean(), { maxLength: 300 }))
      .filter(([a, b]) => a.cid !== b.cid);
    fc.assert(
      fc.property(twoChannels, ([a, b, picks]) => {
        const queues = [encodeMessage(a), encodeMessage(b)];
        const reassemblers = new Map([
          [a.cid, new MessageReassembler()],
          [b.cid, new MessageReassembler()],
        ]);
        const done: HidMessage[] = [];
        let pick = 0;
        while (queues[0]!.length > 0 || queues[1]!.length > 0) {
          // Random interleaving that keeps each channel's own order, as a shared USB pipe does.
          let which = picks[pick++] === true ? 1 : 0;
          if (queues[which]!.length === 0) which = 1 - which;
          const report = queues[which]!.shift()!;
          const result = reassemblers.get(packetCid(report))!.push(report);
          if (result) done.push(result);
        }
        expect(done).toHaveLength(2);
        expect(done.find((m) => m.cid === a.cid)).toEqual(a);
        expect(done.find((m) => m.cid === b.cid)).toEqual(b);
      }),
      runs,
    );
  });

  it('random reports yield a typed framing error or undefined/a message, never a crash', () => {
    const junk = fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { maxLength: 40 });
    fc.assert(
      fc.property(junk, (reports) => {
        const reassembler = new MessageReassembler();
        for (const report of reports) {
          try {
            const result = reassembler.push(report);
            if (result) expect(result.payload.length).toBeLessThanOrEqual(MAX_MESSAGE_SIZE);
          } catch (error) {
            expect(error).toBeInstanceOf(TransportError);
            expect((error as TransportError).kind).toBe('framing');
          }
        }
      }),
      runs,
    );
  });

  it('a valid message with one packet damaged (dropped, reordered, wrong CID, truncated) is refused or left incomplete', () => {
    const damage = fc.constantFrom('drop', 'swap', 'cid', 'truncate', 'seq');
    const multi = fc.record({ cid, cmd, payload: fc.uint8Array({ minLength: 57 + 59 * 2 + 1, maxLength: 2000 }) });
    fc.assert(
      fc.property(multi, damage, fc.nat(), (original, kind, at) => {
        const reports = encodeMessage(original).map((report) => report.slice());
        const index = 1 + (at % (reports.length - 1));
        switch (kind) {
          case 'drop':
            reports.splice(index, 1);
            break;
          case 'swap': {
            const other = index === reports.length - 1 ? index - 1 : index + 1;
            [reports[index], reports[other]] = [reports[other]!, reports[index]!];
            break;
          }
          case 'cid':
            reports[index]![0] = reports[index]![0]! ^ 0x01;
            break;
          case 'truncate':
            reports[index] = reports[index]!.subarray(0, 40);
            break;
          case 'seq':
            reports[index]![4] = (reports[index]![4]! + 1 + (at % 100)) & 0x7f;
            break;
        }
        const { messages, error } = feed(new MessageReassembler(), reports);
        // The damaged message never comes out as if it were whole.
        expect(messages).toEqual([]);
        // Only dropping the last packet leaves the message silently incomplete; the rest are errors.
        const droppedLast = kind === 'drop' && index === reports.length;
        expect(error !== undefined).toBe(!droppedLast);
      }),
      runs,
    );
  });

  it('an init packet announcing more than 7609 bytes is always refused', () => {
    fc.assert(
      fc.property(cid, cmd, fc.integer({ min: MAX_MESSAGE_SIZE + 1, max: 0xffff }), (channel, command, length) => {
        const report = new Uint8Array(64);
        const view = new DataView(report.buffer);
        view.setUint32(0, channel);
        report[4] = command | 0x80;
        view.setUint16(5, length);
        const { error } = feed(new MessageReassembler(), [report]);
        expect(error?.details.ctapStatus).toBe(0x03);
      }),
      runs,
    );
  });
});
