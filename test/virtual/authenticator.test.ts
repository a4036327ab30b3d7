// VirtualAuthenticator: request decoding, dispatch per preset, reset window and firmware quirks,
// user presence outcomes (CTAP 2.1 §6, §6.6, §8).
import { describe, expect, it } from 'vitest';
import { ClientPinParam, ClientPinSubCommand, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapStatus } from '../../ctap/status.js';
import { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { Presence } from '../../ctap/virtual/presence.js';
import { newState } from '../../ctap/virtual/state.js';
import { call, makeAuthenticator, pinToken, setPin, usb } from './helpers/requests.js';

const retries = new Map([[ClientPinParam.subCommand, ClientPinSubCommand.getPinRetries]]);

async function raw(auth: VirtualAuthenticator, bytes: number[]): Promise<number[]> {
  return [...(await auth.handle(Uint8Array.from(bytes), usb()))];
}

/** A settable clock: tests move time instead of waiting for it. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

describe('request decoding (§8)', () => {
  it('answers an empty request with INVALID_LENGTH', async () => {
    expect(await raw(makeAuthenticator(), [])).toEqual([CtapStatus.INVALID_LENGTH]);
  });

  it('answers malformed and non-canonical CBOR with INVALID_CBOR', async () => {
    const auth = makeAuthenticator();
    // A map announcing one pair that never comes.
    expect(await raw(auth, [Ctap2Command.CLIENT_PIN, 0xa1])).toEqual([CtapStatus.INVALID_CBOR]);
    // Keys out of canonical order: {2: 1, 1: 2}.
    expect(await raw(auth, [Ctap2Command.CLIENT_PIN, 0xa2, 0x02, 0x01, 0x01, 0x02])).toEqual([CtapStatus.INVALID_CBOR]);
  });

  it('answers parameters that are not a map with CBOR_UNEXPECTED_TYPE', async () => {
    expect(await raw(makeAuthenticator(), [Ctap2Command.CLIENT_PIN, 0x82, 0x01, 0x02])).toEqual([CtapStatus.CBOR_UNEXPECTED_TYPE]);
  });

  it('answers a request larger than maxMsgSize with REQUEST_TOO_LARGE', async () => {
    const auth = makeAuthenticator();
    const big = new Uint8Array(auth.config.maxMsgSize + 1);
    big[0] = Ctap2Command.GET_INFO;
    expect([...(await auth.handle(big, usb()))]).toEqual([CtapStatus.REQUEST_TOO_LARGE]);
  });

  it('answers an unknown command with INVALID_COMMAND', async () => {
    expect(await raw(makeAuthenticator(), [0x55])).toEqual([CtapStatus.INVALID_COMMAND]);
  });
});

describe('commands per preset', () => {
  it.each([
    ['ctap21', { [Ctap2Command.SELECTION]: true, [Ctap2Command.CREDENTIAL_MANAGEMENT]: true, [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW]: false, [Ctap2Command.CONFIG]: true, [Ctap2Command.BIO_ENROLLMENT]: false }],
    ['ctap21-pre', { [Ctap2Command.CREDENTIAL_MANAGEMENT]: false, [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW]: true, [Ctap2Command.CONFIG]: false, [Ctap2Command.BIO_ENROLLMENT_PREVIEW]: false }],
    ['ctap20', { [Ctap2Command.CREDENTIAL_MANAGEMENT]: false, [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW]: false, [Ctap2Command.SELECTION]: false }],
    ['bio', { [Ctap2Command.BIO_ENROLLMENT]: true, [Ctap2Command.BIO_ENROLLMENT_PREVIEW]: false }],
    ['bio-pre', { [Ctap2Command.BIO_ENROLLMENT]: false, [Ctap2Command.BIO_ENROLLMENT_PREVIEW]: true, [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW]: true }],
  ])('%s implements exactly its command set', async (preset, expected) => {
    const auth = makeAuthenticator({ preset });
    for (const [command, implemented] of Object.entries(expected)) {
      const [status] = await raw(auth, [Number(command)]);
      if (implemented) expect(status, `command 0x${Number(command).toString(16)}`).not.toBe(CtapStatus.INVALID_COMMAND);
      else expect(status, `command 0x${Number(command).toString(16)}`).toBe(CtapStatus.INVALID_COMMAND);
    }
  });

  it('a U2F-only key answers every CTAP2 command with INVALID_COMMAND', async () => {
    const auth = makeAuthenticator({ preset: 'u2f-only' });
    expect(await raw(auth, [Ctap2Command.GET_INFO])).toEqual([CtapStatus.INVALID_COMMAND]);
    expect((await call(auth, Ctap2Command.CLIENT_PIN, retries)).status).toBe(CtapStatus.INVALID_COMMAND);
  });

  it('registerHandler adds a command; a handler bug is answered CTAP1_ERR_OTHER and reported', async () => {
    const errors: unknown[] = [];
    const auth = new VirtualAuthenticator({
      config: presetConfig('ctap21'),
      state: newState(),
      presence: new Presence(),
      clock: Date.now,
      onInternalError: (error) => errors.push(error),
    });
    auth.registerHandler(0x50, async () => new Map([[1, 'vendor']]));
    auth.registerHandler(0x51, async () => {
      throw new TypeError('bug');
    });
    expect((await call(auth, 0x50)).body).toEqual(new Map([[1, 'vendor']]));
    expect(await raw(auth, [0x51])).toEqual([CtapStatus.OTHER]);
    expect(errors).toHaveLength(1);
    expect(() => auth.registerHandler(0x100, async () => undefined)).toThrow(RangeError);
  });
});

describe('reset window (§6.6)', () => {
  it('reset works within the window after power-up and is NOT_ALLOWED after it', async () => {
    const clock = manualClock();
    const auth = makeAuthenticator({ clock: clock.now });
    auth.state.pinHash = new Uint8Array(16);
    clock.advance(9_999);
    expect(auth.powerUpState.resetPermission).toBe(true);
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.OK);
    expect(auth.state.pinHash).toBeNull();

    auth.state.pinHash = new Uint8Array(16);
    clock.advance(2);
    expect(auth.powerUpState.resetPermission).toBe(false);
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.NOT_ALLOWED);
    expect(auth.state.pinHash).not.toBeNull();

    auth.powerUp();
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.OK);
  });

  it('a reset leaves no secret of the old owner behind: the token is zeroed, the key agreement is new', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    const token = (await pinToken(auth, '123456', { permissions: Permission.cm })).token!;
    const held = auth.powerUpState.token!.value;
    const oldSecret = auth.powerUpState.keyAgreement.secretKey;
    const oldCose = auth.powerUpState.keyAgreement.cose;
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.OK);
    expect(auth.powerUpState.token).toBeNull();
    expect(held.every((b) => b === 0)).toBe(true);
    expect(token.some((b) => b !== 0)).toBe(true);
    expect(oldSecret.every((b) => b === 0)).toBe(true);
    expect(auth.powerUpState.keyAgreement.cose).not.toEqual(oldCose);
  });

  it('a 5 s key (YubiKey 5.2–5.4) closes the window after 5 s', async () => {
    const clock = manualClock();
    const auth = makeAuthenticator({ preset: 'ctap21-pre', clock: clock.now });
    clock.advance(5_001);
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.NOT_ALLOWED);
  });
});

describe('reset permission quirks (OpenSK-like preset)', () => {
  it('getInfo and selection keep the permission; any other command drops it', async () => {
    const auth = makeAuthenticator({ preset: 'reset-drops-permission' });
    expect((await call(auth, Ctap2Command.GET_INFO)).status).toBe(CtapStatus.OK);
    expect((await call(auth, Ctap2Command.SELECTION)).status).toBe(CtapStatus.OK);
    expect(auth.powerUpState.resetPermission).toBe(true);
    expect((await call(auth, Ctap2Command.CLIENT_PIN, retries)).status).toBe(CtapStatus.OK);
    expect(auth.powerUpState.resetPermission).toBe(false);
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.NOT_ALLOWED);
    auth.powerUp();
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.OK);
  });

  it('traffic from a second CTAPHID channel drops it', async () => {
    const auth = makeAuthenticator({ preset: 'reset-drops-permission' });
    expect((await call(auth, Ctap2Command.GET_INFO, undefined, usb(7))).status).toBe(CtapStatus.OK);
    expect((await call(auth, Ctap2Command.GET_INFO, undefined, usb(8))).status).toBe(CtapStatus.OK);
    expect((await call(auth, Ctap2Command.RESET, undefined, usb(7))).status).toBe(CtapStatus.NOT_ALLOWED);
  });

  it('a spec-following key keeps the permission through other commands and channels', async () => {
    const auth = makeAuthenticator({ preset: 'ctap21' });
    await call(auth, Ctap2Command.CLIENT_PIN, retries, usb(7));
    await call(auth, Ctap2Command.GET_INFO, undefined, usb(8));
    expect((await call(auth, Ctap2Command.RESET, undefined, usb(7))).status).toBe(CtapStatus.OK);
  });
});

describe('user presence', () => {
  it('declined → OPERATION_DENIED; no touch → the preset timeout status (0x2F, YubiKey 0x3A)', async () => {
    expect((await call(makeAuthenticator({ presence: 'deny' }), Ctap2Command.SELECTION)).status).toBe(CtapStatus.OPERATION_DENIED);
    const spec = makeAuthenticator({ presence: 'never', config: { touchTimeoutMs: 5 } });
    expect((await call(spec, Ctap2Command.SELECTION)).status).toBe(CtapStatus.USER_ACTION_TIMEOUT);
    const yubikey = makeAuthenticator({ preset: 'ctap21-pre', presence: 'never', config: { touchTimeoutMs: 5 } });
    expect((await call(yubikey, Ctap2Command.RESET)).status).toBe(CtapStatus.ACTION_TIMEOUT);
  });

  it('reports UPNEEDED while waiting and answers KEEPALIVE_CANCEL when the host cancels', async () => {
    const auth = makeAuthenticator({ presence: 'manual' });
    const controller = new AbortController();
    const statuses: string[] = [];
    const answer = auth.handle(Uint8Array.of(Ctap2Command.SELECTION), {
      transport: 'usb',
      channel: 1,
      signal: controller.signal,
      keepalive: (status) => {
        statuses.push(status);
        if (status === 'user-presence-needed') controller.abort();
      },
    });
    expect([...(await answer)]).toEqual([CtapStatus.KEEPALIVE_CANCEL]);
    expect(statuses[0]).toBe('user-presence-needed');
    expect(auth.presence.waiting).toBe(false);
  });
});

describe('state changes', () => {
  it('commits go to onStateChange with the live state', async () => {
    const seen: number[] = [];
    const state = newState();
    const auth = new VirtualAuthenticator({
      config: presetConfig('ctap21'),
      state,
      presence: new Presence(),
      clock: Date.now,
      onStateChange: (changed) => seen.push(changed.pinRetries),
    });
    state.pinHash = new Uint8Array(16);
    expect((await call(auth, Ctap2Command.RESET)).status).toBe(CtapStatus.OK);
    expect(seen.length).toBeGreaterThan(0);
    expect(state.pinHash).toBeNull();
  });
});
