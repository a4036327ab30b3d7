// node-hid adapter with injected enumerate/open — CTAP 2.1 §11.2.2 (FIDO usage page discovery).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../ctap/errors.js';
import type { DiscoveryEvent } from '../../ctap/transport/discovery.js';
import { BROADCAST_CID } from '../../ctap/transport/hid/framing.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import {
  NodeHidConnection,
  MIN_POLL_INTERVAL_MS,
  NodeHidDiscovery,
  classifyOpenError,
  deviceId,
  isFidoDevice,
  permissionGuidance,
  type HidDeviceHandle,
  type HidDeviceInfo,
} from '../../ctap/transport/hid/node-hid.js';
import { TransportCommand } from '../../ctap/transport/transport.js';
import { FakeHid, initReply } from '../helpers/fake-hid.js';

const yubikey: HidDeviceInfo = {
  path: '/dev/hidraw3',
  vendorId: 0x1050,
  productId: 0x0407,
  serialNumber: '',
  product: 'YubiKey OTP+FIDO+CCID',
  manufacturer: 'Yubico',
  usagePage: 0xf1d0,
  usage: 1,
};
const solo: HidDeviceInfo = {
  path: '/dev/hidraw5',
  vendorId: 0x0483,
  productId: 0xa2ca,
  serialNumber: '2066339E4D4B',
  product: 'Solo 4.1.5',
  usagePage: 0xf1d0,
  usage: 1,
};
const keyboard: HidDeviceInfo = { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc31c, product: 'Keyboard', usagePage: 1, usage: 6 };
const yubikeyOtp: HidDeviceInfo = { ...yubikey, path: '/dev/hidraw2', usagePage: 1, usage: 6 };
const u2fOtherUsage: HidDeviceInfo = { ...solo, path: '/dev/hidraw6', usage: 2 };

/** A node-hid handle in front of a FakeHid: strips the report ID the adapter must add. */
class FakeHandle implements HidDeviceHandle {
  readonly written: Buffer[] = [];
  closed = false;
  constructor(readonly hid: FakeHid) {}
  async write(data: number[] | Buffer): Promise<number> {
    const buffer = Buffer.from(data);
    this.written.push(buffer);
    await this.hid.write(new Uint8Array(buffer.subarray(1)));
    return buffer.length;
  }
  async read(timeoutMs?: number): Promise<Buffer | undefined> {
    const report = await this.hid.read(timeoutMs ?? 0);
    return report ? Buffer.from(report) : Buffer.alloc(0);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function fakeKeyHandle(): FakeHandle {
  return new FakeHandle(
    new FakeHid().onRequest((request, hid) => {
      if (request.cmd === TransportCommand.INIT) hid.send(initReply(request, { cid: 0x01020304 }));
      else hid.send(request);
    }),
  );
}

function nextEvent(discovery: NodeHidDiscovery): Promise<DiscoveryEvent> {
  return new Promise((resolve) => {
    const stop = discovery.watch((event) => {
      stop();
      resolve(event);
    });
  });
}

describe('enumeration', () => {
  it('keeps only CTAPHID interfaces (usage page 0xF1D0, usage 1) with a path', () => {
    expect([yubikey, solo, keyboard, yubikeyOtp, u2fOtherUsage, { ...solo, path: undefined }].filter(isFidoDevice)).toEqual([yubikey, solo]);
  });

  it('ids a key by vid:pid:serial when it has a serial, else by its OS path', () => {
    expect(deviceId(solo as HidDeviceInfo & { path: string })).toBe('usb:0483:a2ca:2066339E4D4B');
    expect(deviceId(yubikey as HidDeviceInfo & { path: string })).toBe('usb:/dev/hidraw3');
  });

  it('lists FIDO keys as ready USB descriptors', async () => {
    const discovery = new NodeHidDiscovery({ backend: { enumerate: async () => [keyboard, yubikeyOtp, yubikey, solo] } });
    const devices = await discovery.list();
    expect(devices.map(({ open: _open, ...rest }) => rest)).toEqual([
      { id: 'usb:/dev/hidraw3', transport: 'usb', name: 'YubiKey OTP+FIDO+CCID', vid: 0x1050, pid: 0x0407, serial: null, reader: null, status: 'ready' },
      { id: 'usb:0483:a2ca:2066339E4D4B', transport: 'usb', name: 'Solo 4.1.5', vid: 0x0483, pid: 0xa2ca, serial: '2066339E4D4B', reader: null, status: 'ready' },
    ]);
  });

  it('falls back to paths when two keys claim the same serial', async () => {
    const twin = { ...solo, path: '/dev/hidraw9' };
    const discovery = new NodeHidDiscovery({ backend: { enumerate: async () => [solo, twin] } });
    expect((await discovery.list()).map((device) => device.id)).toEqual(['usb:/dev/hidraw5', 'usb:/dev/hidraw9']);
  });

  it('returns no keys from the real node-hid on this machine without failing', async () => {
    const discovery = new NodeHidDiscovery();
    const devices = await discovery.list();
    expect(devices.every((device) => device.transport === 'usb')).toBe(true);
    await discovery.close();
  });
});

describe('open', () => {
  it('opens a CTAPHID transport, writing 65-byte reports that start with report ID 0', async () => {
    const handle = fakeKeyHandle();
    const opened: string[] = [];
    const discovery = new NodeHidDiscovery({
      backend: {
        enumerate: async () => [solo],
        open: async (path) => {
          opened.push(path);
          return handle;
        },
      },
    });
    const [device] = await discovery.list();
    const transport = await device!.open();
    expect(transport).toBeInstanceOf(CtapHidTransport);
    expect(opened).toEqual(['/dev/hidraw5']);
    expect((transport as CtapHidTransport).channelId).toBe(0x01020304);
    expect(await transport.transact(TransportCommand.CBOR, Uint8Array.of(4))).toEqual(Uint8Array.of(4));
    expect(handle.written.every((data) => data.length === 65 && data[0] === 0)).toBe(true);
    expect(handle.written[0]!.readUInt32BE(1)).toBe(BROADCAST_CID);
    await transport.close();
    expect(handle.closed).toBe(true);
  });

  it('reports an OS refusal as "permission" with the platform guidance', async () => {
    const discovery = new NodeHidDiscovery({
      backend: {
        platform: 'linux',
        enumerate: async () => [solo],
        open: async (path) => {
          throw new Error(`cannot open device with path ${path}: Failed to open a device with path '${path}': Permission denied`);
        },
      },
    });
    const [device] = await discovery.list();
    const error = await device!.open().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).kind).toBe('permission');
    expect((error as TransportError).details.guidance).toBe(permissionGuidance('linux'));
    expect((error as TransportError).details.guidance).toContain('udev');
  });

  it('reports a key pulled out between listing and opening as "disconnected"', async () => {
    let present = [solo];
    const discovery = new NodeHidDiscovery({
      backend: {
        enumerate: async () => present,
        open: async () => {
          present = [];
          throw new Error('cannot open device with path /dev/hidraw5');
        },
      },
    });
    const [device] = await discovery.list();
    const error = (await device!.open().catch((failure: unknown) => failure)) as TransportError;
    expect(error.kind).toBe('disconnected');
  });

  it('closes the device when CTAPHID_INIT fails', async () => {
    const handle = new FakeHandle(new FakeHid());
    const discovery = new NodeHidDiscovery({
      backend: { enumerate: async () => [solo], open: async () => handle },
      transport: { responseTimeoutMs: 30 },
    });
    const [device] = await discovery.list();
    const error = (await device!.open().catch((failure: unknown) => failure)) as TransportError;
    expect(error.kind).toBe('timeout');
    expect(handle.closed).toBe(true);
  });
});

describe('classifyOpenError', () => {
  it('recognises Windows and Linux refusals, and names the right fix', () => {
    const windows = classifyOpenError(new Error('CreateFile: (0x00000005) Access is denied.'), { platform: 'win32', stillPresent: true });
    expect(windows.kind).toBe('permission');
    expect(windows.details.guidance).toContain('administrator');
    const linux = classifyOpenError(new Error('EACCES'), { platform: 'linux', stillPresent: true });
    expect(linux.details.guidance).toContain('/dev/hidraw');
  });

  it('calls other failures of a present key "io", of an absent key "disconnected"', () => {
    expect(classifyOpenError(new Error('device busy'), { platform: 'linux', stillPresent: true }).kind).toBe('io');
    expect(classifyOpenError(new Error('device busy'), { platform: 'linux', stillPresent: false }).kind).toBe('disconnected');
  });
});

describe('NodeHidConnection', () => {
  it('reads null after the timeout when hidapi returns empty buffers', async () => {
    let reads = 0;
    const connection = new NodeHidConnection({
      write: async () => 65,
      read: async (timeoutMs) => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, timeoutMs));
        return Buffer.alloc(0);
      },
      close: async () => undefined,
    });
    expect(await connection.read(30)).toBeNull();
    expect(reads).toBeGreaterThanOrEqual(1);
  });

  it('maps read and write failures to "disconnected", and refuses reports of the wrong size', async () => {
    const connection = new NodeHidConnection({
      write: async () => {
        throw new Error('Cannot write to hid device');
      },
      read: async () => {
        throw new Error('could not read data from device');
      },
      close: async () => {
        throw new Error('already gone');
      },
    });
    expect(((await connection.write(new Uint8Array(64)).catch((e: unknown) => e)) as TransportError).kind).toBe('disconnected');
    expect(((await connection.read(10).catch((e: unknown) => e)) as TransportError).kind).toBe('disconnected');
    await expect(connection.write(new Uint8Array(63))).rejects.toThrow(RangeError);
    await expect(connection.close()).resolves.toBeUndefined();
    expect(((await connection.read(10).catch((e: unknown) => e)) as TransportError).kind).toBe('disconnected');
  });
});

describe('hotplug', () => {
  // Polling runs on fake timers: each poll is one MIN_POLL_INTERVAL_MS step, not half a second of waiting.
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The next event, after letting the poller run `polls` intervals. */
  async function eventAfterPolls(discovery: NodeHidDiscovery, polls = 1): Promise<DiscoveryEvent> {
    const event = nextEvent(discovery);
    await vi.advanceTimersByTimeAsync(polls * MIN_POLL_INTERVAL_MS);
    return event;
  }

  it('does not poll until watched, reports keys added and removed, and stops on close', async () => {
    vi.useFakeTimers();
    let devices: HidDeviceInfo[] = [yubikey];
    let polls = 0;
    const discovery = new NodeHidDiscovery({
      backend: {
        enumerate: async () => {
          polls += 1;
          return devices;
        },
      },
    });
    await vi.advanceTimersByTimeAsync(5 * MIN_POLL_INTERVAL_MS);
    expect(polls).toBe(0);

    const events: string[] = [];
    discovery.watch((event) => events.push(`${event.type} ${event.device.id}`));
    await discovery.list(); // baseline: no events for keys already there
    devices = [yubikey, solo];
    const added = await eventAfterPolls(discovery);
    expect(added.type).toBe('added');
    expect(added.device.id).toBe('usb:0483:a2ca:2066339E4D4B');
    devices = [solo];
    const removed = await eventAfterPolls(discovery);
    expect(removed).toMatchObject({ type: 'removed', device: { id: 'usb:/dev/hidraw3' } });
    expect(events).toEqual(['added usb:0483:a2ca:2066339E4D4B', 'removed usb:/dev/hidraw3']);

    await discovery.close();
    const after = polls;
    await vi.advanceTimersByTimeAsync(5 * MIN_POLL_INTERVAL_MS);
    expect(polls).toBe(after);
  });

  it('keeps polling after a failed enumeration and reports the failure', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const failures: unknown[] = [];
    const discovery = new NodeHidDiscovery({
      backend: {
        enumerate: async () => {
          calls += 1;
          if (calls === 2) throw new Error('libudev missing');
          return calls < 3 ? [] : [solo];
        },
      },
      onError: (error) => failures.push(error),
    });
    await discovery.list();
    const event = await eventAfterPolls(discovery, 2);
    expect(event).toMatchObject({ type: 'added', device: { id: 'usb:0483:a2ca:2066339E4D4B' } });
    expect(failures).toHaveLength(1);
    await discovery.close();
  });
});
