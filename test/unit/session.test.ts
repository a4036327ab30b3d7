/**
 * Ctap2Session: the cached getInfo is dropped exactly by the commands that change it, and
 * requests over maxMsgSize are refused before sending.
 */
import { describe, expect, it, vi } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { Ctap2Session, type TraceEvent } from '../../ctap/ctap2/session.js';
import { ctap21Info, openVirtualKey, ScriptedTransport } from '../flows/manage-helpers.js';

describe('Ctap2Session getInfo cache', () => {
  it('keeps getInfo across read-only commands and re-reads it after a PIN change', async () => {
    const harness = await openVirtualKey({ pin: '24680135' });
    await harness.session.getInfo();
    const token = await new ClientPin(harness.session).getToken('24680135', { permissions: Permission.cm });
    token.dispose();
    const before = harness.sent.length;
    await harness.session.getInfo();
    expect(harness.sent.length).toBe(before); // served from the cache

    await new ClientPin(harness.session).changePin('24680135', '97531864');
    const afterChange = harness.sent.length;
    const info = await harness.session.getInfo();
    expect(harness.sent.slice(afterChange)).toEqual([Ctap2Command.GET_INFO]);
    expect(info.options.clientPin).toBe(true);
    await harness.close();
  });

  it('re-reads getInfo after setting the first PIN (clientPin false → true)', async () => {
    const harness = await openVirtualKey({});
    expect((await harness.session.getInfo()).options.clientPin).toBe(false);
    await new ClientPin(harness.session).setPin('11235813');
    expect((await harness.session.getInfo()).options.clientPin).toBe(true);
    await harness.close();
  });

  it('refuses a request larger than maxMsgSize without sending it', async () => {
    const harness = await openVirtualKey({});
    const info = await harness.session.getInfo();
    const sent = harness.sent.length;
    const huge = new Map([[0x01, new Uint8Array(info.maxMsgSize)]]);
    const error = await harness.session.send(Ctap2Command.MAKE_CREDENTIAL, huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.REQUEST_TOO_LARGE);
    expect(harness.sent.length).toBe(sent);
    await harness.close();
  });
});

describe('Ctap2Session trace', () => {
  it('times each exchange from the request to its answer', async () => {
    const events: TraceEvent[] = [];
    const session = new Ctap2Session(new ScriptedTransport(ctap21Info(), () => ({})), { onTrace: (e) => events.push(e) });
    const now = vi.spyOn(performance, 'now').mockReturnValueOnce(100).mockReturnValueOnce(142.5);
    try {
      await session.getInfo();
    } finally {
      now.mockRestore();
    }
    expect(events.map((e) => [e.direction, e.elapsedMs])).toEqual([
      ['request', undefined],
      ['response', 42.5],
    ]);
  });
});
