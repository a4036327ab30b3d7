/**
 * Touch-to-select with U2F-only keys (Chromium FidoDeviceAuthenticator::GetTouch → U2F register
 * with dummy parameters, polled while the key answers 0x6985): a scripted CTAPHID_MSG key that
 * is touched after a few polls must win; one never touched is cancelled. Failed before the fix
 * (a U2F-only key could never be selected).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CancelledError, TransportError } from '../../ctap/errors.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { selectDevice, u2fRegisterRequest, waitForTouch } from '../../ctap/flows/select-device.js';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import { TransportCommand, type CtapTransport, type TransactOptions } from '../../ctap/transport/transport.js';

/** A U2F-only key (CAPABILITY_NMSG clear, CBOR clear): 0x6985 until `touchAfter` polls, then 0x9000. */
class U2fOnlyKey implements CtapTransport {
  readonly kind = 'hid' as const;
  readonly capabilities = { cbor: false, msg: true, wink: true };
  readonly commands: number[] = [];
  readonly payloads: Uint8Array[] = [];
  closed = false;

  constructor(private readonly touchAfter: number | null) {}

  async transact(command: number, data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    if (options.signal?.aborted) throw new CancelledError();
    this.commands.push(command);
    if (command !== TransportCommand.MSG) throw new Error(`a U2F-only key cannot answer command 0x${command.toString(16)}`);
    this.payloads.push(data.slice());
    if (this.touchAfter !== null && this.payloads.length > this.touchAfter) return Uint8Array.of(0x05, 0x04, 0x90, 0x00);
    return Uint8Array.of(0x69, 0x85);
  }

  async wink(): Promise<void> {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

function device(serial: string, transport: CtapTransport): DeviceDescriptor {
  return { id: `test:${serial}`, transport: 'usb', name: 'U2F key', vid: null, pid: null, serial, reader: null, status: 'ready', open: async () => transport };
}

const prompts: UserPrompts = {
  pin: () => Promise.reject(new Error('no PIN for selection')),
  confirm: () => Promise.reject(new Error('no confirmation for selection')),
  touch: () => () => undefined,
  reinsert: () => () => undefined,
  progress: () => undefined,
};

describe('select by touch: U2F-only keys', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a U2F REGISTER (00 01 03 00, Lc 000040, challenge ‖ application, Le 0000) and polls until 0x9000', async () => {
    const key = new U2fOnlyKey(2);
    expect(await waitForTouch(new Ctap2Session(key), new AbortController().signal)).toBe(true);
    expect(key.commands).toEqual([TransportCommand.MSG, TransportCommand.MSG, TransportCommand.MSG]);
    const expected = `00010300000040${bytesToHex(sha256(new Uint8Array(0)))}${bytesToHex(sha256(utf8ToBytes('.dummy')))}0000`;
    expect(bytesToHex(key.payloads[0]!)).toBe(expected);
    expect(key.payloads[0]).toEqual(u2fRegisterRequest({ challenge: sha256(new Uint8Array(0)), application: sha256(utf8ToBytes('.dummy')) }));
  });

  it('the touched U2F key wins the race; the untouched one stops being polled and is closed', async () => {
    const idle = new U2fOnlyKey(null);
    const touched = new U2fOnlyKey(1);
    const result = await selectDevice({
      devices: [device('IDLE', idle), device('TOUCHED', touched)],
      openSession: async (d) => new Ctap2Session(await d.open()),
      prompts,
    });
    expect(result.outcome).toBe('selected');
    expect(result.outcome === 'selected' ? result.device.serial : null).toBe('TOUCHED');
    expect(idle.closed).toBe(true);
    expect(touched.closed).toBe(false);
    const pollsAtEnd = idle.payloads.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(idle.payloads.length).toBe(pollsAtEnd);
  });

  it('a U2F key that refuses the register (not 0x6985 / 0x9000) is not a touch', async () => {
    const refusing: CtapTransport = {
      kind: 'hid',
      capabilities: { cbor: false, msg: true, wink: false },
      transact: async () => Uint8Array.of(0x6d, 0x00),
      wink: async () => undefined,
      close: async () => undefined,
    };
    expect(await waitForTouch(new Ctap2Session(refusing), new AbortController().signal)).toBe(false);
  });

  it('gives up on a U2F key nobody touches after 30 s, as a CTAP2 key would (simulated clock)', async () => {
    vi.useFakeTimers();
    const idle = new U2fOnlyKey(null);
    let result: boolean | undefined;
    void waitForTouch(new Ctap2Session(idle), new AbortController().signal).then((touched) => {
      result = touched;
    });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_400);
    expect(result).toBe(false);
    const polls = idle.payloads.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(idle.payloads.length).toBe(polls);
  });

  it('a U2F-only NFC card (applet says U2F_V2, CTAP2 refused with SW 6D00) is asked with U2F REGISTER', async () => {
    const commands: number[] = [];
    const card: CtapTransport = {
      kind: 'nfc',
      capabilities: { cbor: true, msg: true, wink: false },
      transact: async (command) => {
        commands.push(command);
        if (command === TransportCommand.CBOR) throw new TransportError('status-word', 'instruction not supported', { sw: 0x6d00 });
        return Uint8Array.of(0x05, 0x90, 0x00);
      },
      wink: async () => undefined,
      close: async () => undefined,
    };
    expect(await waitForTouch(new Ctap2Session(card), new AbortController().signal)).toBe(true);
    expect(commands).toEqual([TransportCommand.CBOR, TransportCommand.MSG]);
  });
});
