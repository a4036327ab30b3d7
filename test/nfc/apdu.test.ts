import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import {
  chainCommand,
  encodeCommand,
  encodeResponse,
  expectSuccess,
  parseCommand,
  parseResponse,
  statusWordError,
  StatusWord,
  transceive,
  type ApduConnection,
  type CommandApdu,
} from '../../ctap/transport/nfc/apdu.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('encodeCommand (ISO 7816-4 §5.1)', () => {
  const select = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hex('A0000006472F0001') };

  it('encodes the four short cases', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xc0, p1: 0, p2: 0 }, 'short'))).toBe('00C00000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xc0, p1: 0, p2: 0, le: 256 }, 'short'))).toBe('00C0000000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xc0, p1: 0, p2: 0, le: 0x12 }, 'short'))).toBe('00C0000012');
    expect(toHex(encodeCommand(select, 'short'))).toBe('00A4040008A0000006472F0001');
    expect(toHex(encodeCommand({ ...select, le: 256 }, 'short'))).toBe('00A4040008A0000006472F000100');
  });

  it('encodes the extended cases with one 0x00 marker and 2-byte Lc/Le', () => {
    expect(toHex(encodeCommand({ cla: 0x80, ins: 0x10, p1: 0, p2: 0, le: 65536 }, 'extended'))).toBe('80100000000000');
    expect(toHex(encodeCommand({ cla: 0x80, ins: 0x10, p1: 0, p2: 0, le: 0x1234 }, 'extended'))).toBe('80100000001234');
    const data = new Uint8Array(300).fill(0xab);
    const bytes = encodeCommand({ cla: 0x80, ins: 0x10, p1: 0x80, p2: 0, data, le: 65536 }, 'extended');
    expect(toHex(bytes.subarray(0, 7))).toBe('8010800000012C');
    expect(bytes.length).toBe(4 + 3 + 300 + 2);
    expect(toHex(bytes.subarray(-2))).toBe('0000');
  });

  it('refuses what does not fit the chosen encoding', () => {
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) }, 'short')).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 257 }, 'short')).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 }, 'extended')).toThrow(RangeError);
    expect(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 }, 'short')).toThrow(RangeError);
  });
});

describe('parseCommand', () => {
  it('reads back every case', () => {
    expect(parseCommand(hex('00A4040008A0000006472F000100'))).toMatchObject({ ins: 0xa4, le: 256, encoding: 'short' });
    expect(parseCommand(hex('80100000001234'))).toMatchObject({ ins: 0x10, le: 0x1234, encoding: 'extended' });
    expect(parseCommand(hex('801000000000020102'))).toMatchObject({ data: hex('0102'), encoding: 'extended' });
    expect(parseCommand(hex('8010000000000201020000'))).toMatchObject({ data: hex('0102'), le: 65536 });
  });

  it('rejects inconsistent lengths with a framing error', () => {
    for (const bad of ['00A4', '00A4040005AABB', '801000000000', '80100000000005AABB']) {
      const error = (() => {
        try {
          parseCommand(hex(bad));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(TransportError);
      expect((error as TransportError).kind).toBe('framing');
    }
  });

  it('round-trips random commands in both encodings', () => {
    const command = fc.record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      data: fc.uint8Array({ minLength: 0, maxLength: 600 }),
      le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(command, (c) => {
        const encoding = c.data.length > 255 || (c.le ?? 0) > 256 ? 'extended' : 'short';
        const parsed = parseCommand(encodeCommand(c, encoding));
        expect(parsed.encoding).toBe(c.data.length === 0 && c.le === undefined ? 'short' : encoding);
        expect([parsed.cla, parsed.ins, parsed.p1, parsed.p2]).toEqual([c.cla, c.ins, c.p1, c.p2]);
        expect(parsed.data ?? new Uint8Array(0)).toEqual(c.data);
        expect(parsed.le).toBe(c.le);
      }),
    );
  });

  it('never crashes on junk: parses or throws TransportError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseCommand(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TransportError);
        }
      }),
    );
  });
});

describe('responses and status words', () => {
  it('splits data and SW', () => {
    expect(parseResponse(hex('464944 4F 9000'))).toEqual({ data: hex('4649444F'), sw: 0x9000 });
    expect(parseResponse(encodeResponse(hex('01'), 0x9100))).toEqual({ data: hex('01'), sw: 0x9100 });
    expect(() => parseResponse(hex('90'))).toThrow(TransportError);
  });

  it('maps 6A82 to not-fido and other SWs to status-word errors with the SW in details', () => {
    const notFido = statusWordError(0x6a82);
    expect(notFido.kind).toBe('not-fido');
    expect(notFido.details.sw).toBe(0x6a82);
    const cases: [number, RegExp][] = [
      [StatusWord.INS_NOT_SUPPORTED, /instruction not supported/],
      [StatusWord.CLA_NOT_SUPPORTED, /class not supported/],
      [StatusWord.WRONG_LENGTH, /wrong length/],
      [StatusWord.CONDITIONS_NOT_SATISFIED, /conditions of use/],
      [StatusWord.SECURITY_STATUS_NOT_SATISFIED, /security status/],
      [StatusWord.COMMAND_CHAINING_NOT_SUPPORTED, /chaining not supported/],
      [0x6a99, /wrong parameters/],
      [0x1234, /unassigned status word 1234/],
    ];
    for (const [sw, text] of cases) {
      const error = statusWordError(sw);
      expect(error.kind).toBe('status-word');
      expect(error.details.sw).toBe(sw);
      expect(error.message).toMatch(text);
    }
  });

  it('junk status words always become typed errors, success never does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 8 }), (sw, data) => {
        if (sw === 0x9000) {
          expect(expectSuccess({ data, sw })).toEqual(data);
        } else {
          expect(() => expectSuccess({ data, sw })).toThrow(TransportError);
        }
      }),
    );
  });
});

/**
 * A minimal ISO 7816 card for the exchange logic: gathers chained data, echoes it back in
 * `window`-byte pieces with 61xx, and can insist on an exact Le first (6Cxx).
 */
function echoCard(options: { window: number; exactLe?: number }): ApduConnection & { sent: CommandApdu[] } {
  let gathered: number[] = [];
  let pending = new Uint8Array(0);
  const sent: CommandApdu[] = [];
  const more = (): Uint8Array => {
    const chunk = pending.subarray(0, options.window);
    pending = pending.slice(chunk.length);
    return encodeResponse(chunk, pending.length > 0 ? 0x6100 | Math.min(pending.length, 256) % 256 : 0x9000);
  };
  return {
    name: 'echo',
    sent,
    async transmit(bytes) {
      const c = parseCommand(bytes);
      sent.push(c);
      if (c.ins === 0xc0) return more();
      gathered.push(...(c.data ?? []));
      if (c.cla & 0x10) return encodeResponse(new Uint8Array(0), 0x9000);
      if (options.exactLe !== undefined && c.le !== options.exactLe) {
        gathered = [];
        return encodeResponse(new Uint8Array(0), 0x6c00 | options.exactLe);
      }
      pending = Uint8Array.from(gathered);
      gathered = [];
      return more();
    },
    async close() {},
  };
}

describe('transceive', () => {
  it('chains long data as short APDUs and reassembles a 61xx answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 1200 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 16, max: 256 }),
        async (data, chunkSize, window) => {
          const card = echoCard({ window });
          const response = await transceive(card, { cla: 0x80, ins: 0x10, p1: 0, p2: 0, data, le: 256 }, { encoding: 'short', chunkSize });
          expect(response.sw).toBe(0x9000);
          expect(response.data).toEqual(data);
          const chained = card.sent.filter((c) => c.cla === 0x90);
          expect(chained.length).toBe(data.length > 255 ? Math.ceil(data.length / chunkSize) - 1 : 0);
          expect(chained.every((c) => (c.data?.length ?? 0) === chunkSize && c.le === undefined)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sends long data in one extended APDU', async () => {
    const card = echoCard({ window: 4096 });
    const data = new Uint8Array(1000).map((_, i) => i);
    const response = await transceive(card, { cla: 0x80, ins: 0x10, p1: 0, p2: 0, data, le: 65536 }, { encoding: 'extended' });
    expect(response.data).toEqual(data);
    expect(card.sent).toHaveLength(1);
  });

  it('re-sends once with the exact Le on 6Cxx', async () => {
    const card = echoCard({ window: 256, exactLe: 3 });
    const response = await transceive(card, { cla: 0, ins: 0xca, p1: 0, p2: 0, data: hex('010203'), le: 256 }, { encoding: 'short' });
    expect(response).toEqual({ data: hex('010203'), sw: 0x9000 });
    expect(card.sent.map((c) => c.le)).toEqual([256, 3]);
  });

  it('stops a chain at the first refused link', async () => {
    let calls = 0;
    const card: ApduConnection = {
      name: 'refuses-chaining',
      async transmit() {
        calls += 1;
        return encodeResponse(new Uint8Array(0), StatusWord.COMMAND_CHAINING_NOT_SUPPORTED);
      },
      async close() {},
    };
    const error = await transceive(card, { cla: 0x80, ins: 0x10, p1: 0, p2: 0, data: new Uint8Array(600) }, { encoding: 'short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).details.sw).toBe(0x6884);
    expect(calls).toBe(1);
  });

  it('gives up on a card that never stops answering 61xx', async () => {
    const card: ApduConnection = {
      name: 'endless',
      async transmit() {
        return encodeResponse(new Uint8Array(256), 0x6100);
      },
      async close() {},
    };
    const error = await transceive(card, { cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 }, { encoding: 'short' }).catch((e: unknown) => e);
    expect((error as TransportError).kind).toBe('framing');
  });

  it('gives up on a card that answers 61xx with no data, instead of looping forever', async () => {
    let sent = 0;
    const card: ApduConnection = {
      name: 'empty-more',
      async transmit() {
        sent += 1;
        if (sent > 10_000) throw new Error('still polling');
        return encodeResponse(new Uint8Array(0), 0x6110);
      },
      async close() {},
    };
    const error = await transceive(card, { cla: 0, ins: 0xca, p1: 0, p2: 0, le: 256 }, { encoding: 'short' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('framing');
    expect(sent).toBe(2);
  });

  it('splits chains with CLA 0x10 on every part but the last', () => {
    const parts = chainCommand({ cla: 0x80, ins: 0x10, p1: 0x80, p2: 0, data: new Uint8Array(501), le: 256 });
    expect(parts.map((p) => [p.cla, p.data?.length, p.le])).toEqual([
      [0x90, 250, undefined],
      [0x90, 250, undefined],
      [0x80, 1, 256],
    ]);
  });
});
