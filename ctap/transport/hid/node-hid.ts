/**
 * USB FIDO keys through node-hid (hidapi) — CTAP 2.1 §11.2.2 "Discovery": a FIDO authenticator
 * exposes a HID interface with usage page 0xF1D0 (FIDO Alliance) and usage 0x01 (CTAPHID).
 * The only file that imports node-hid (DESIGN.md "Layers"); everything testable here takes the
 * enumerate/open functions as injectable options, defaulting to the real module.
 * @module
 */
import HID from 'node-hid';
import { TransportError } from '../../errors.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../discovery.js';
import { HID_REPORT_SIZE, type HidConnection } from './hid-connection.js';
import { CtapHidTransport, type HidTransportOptions } from './hid-transport.js';

/** FIDO Alliance HID usage page and the CTAPHID usage (§11.2.2). */
export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE_CTAPHID = 0x01;
/** Hotplug polling never runs more often than this: enumeration walks the whole USB tree. */
export const MIN_POLL_INTERVAL_MS = 500;
/**
 * Longest single native read. hidapi blocks a libuv worker thread while it waits, so a long
 * wait is split up: close() and process exit are then never held up for long.
 */
const READ_SLICE_MS = 250;

/** The fields of node-hid's Device that we use. */
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  serialNumber?: string | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** The part of node-hid's HIDAsync that a connection needs. */
export interface HidDeviceHandle {
  write(data: number[] | Buffer): Promise<number>;
  read(timeoutMs?: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export interface NodeHidBackend {
  enumerate(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDeviceHandle>;
  /** Decides which permission guidance to give. */
  platform: NodeJS.Platform;
}

export const nodeHidBackend: NodeHidBackend = {
  enumerate: () => HID.devicesAsync(),
  open: (path) => HID.HIDAsync.open(path),
  platform: process.platform,
};

/** What to tell a user whose OS refused access to a FIDO key. */
export function permissionGuidance(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return 'Your user cannot open /dev/hidraw*: install the udev rule for FIDO keys (e.g. Debian/Ubuntu package libfido2-1 or 70-u2f.rules) and replug the key';
    case 'win32':
      // Unelevated processes may also see a wrong usage page and so not list the key at all.
      return 'Since Windows 10 1903, only administrators can talk to FIDO keys directly: run Security Key Manager as administrator, or use Windows Settings › Accounts › Sign-in options › Security Key. Without administrator rights Windows may not show the key here at all';
    case 'darwin':
      return 'macOS refused access to the security key: quit other apps that may hold it open (browsers, password managers) and replug the key';
    default:
      return 'The operating system refused access to the security key: check the permissions of its USB HID device node and replug the key';
  }
}

/** True for the CTAPHID interface of a FIDO key (§11.2.2). */
export function isFidoDevice(device: HidDeviceInfo): device is HidDeviceInfo & { path: string } {
  return device.usagePage === FIDO_USAGE_PAGE && device.usage === FIDO_USAGE_CTAPHID && typeof device.path === 'string' && device.path !== '';
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/**
 * Stable id: vid:pid:serial survives replugging and a new USB port; keys without a serial
 * string only have their OS path, which is stable while the key stays in its port.
 */
export function deviceId(device: HidDeviceInfo & { path: string }): string {
  const serial = device.serialNumber?.trim();
  return serial ? `usb:${hex4(device.vendorId)}:${hex4(device.productId)}:${serial}` : `usb:${device.path}`;
}

const PERMISSION_PATTERN = /permission denied|access is denied|access denied|eacces|eperm|not permitted|0x0+5\b|kIOReturnNotPermitted|privilege/i;

/**
 * Turn a failed open into a typed error. hidapi reports an OS refusal only in its message
 * ("…: Permission denied" on Linux, "Access is denied" on Windows); a key that is no longer
 * enumerated was simply pulled out.
 */
export function classifyOpenError(error: unknown, context: { platform: NodeJS.Platform; stillPresent: boolean }): TransportError {
  const text = error instanceof Error ? error.message : String(error);
  if (PERMISSION_PATTERN.test(text)) {
    return new TransportError('permission', 'The operating system refused access to the security key.', {
      guidance: permissionGuidance(context.platform),
    }, { cause: error });
  }
  if (!context.stillPresent) {
    return new TransportError('disconnected', 'The security key was disconnected.', {}, { cause: error });
  }
  return new TransportError('io', 'The security key could not be opened.', {}, { cause: error });
}

/** A HidConnection over one node-hid device: 64-byte reports, report ID 0 added on write. */
export class NodeHidConnection implements HidConnection {
  #closed = false;

  constructor(private readonly handle: HidDeviceHandle) {}

  async write(report: Uint8Array): Promise<void> {
    if (report.length !== HID_REPORT_SIZE) {
      throw new RangeError(`CTAPHID reports are ${HID_REPORT_SIZE} bytes, got ${report.length}`);
    }
    this.#checkOpen();
    // hidapi wants the report ID first; FIDO devices use unnumbered reports, i.e. ID 0.
    const data = Buffer.alloc(1 + HID_REPORT_SIZE);
    data.set(report, 1);
    let written: number;
    try {
      written = await this.handle.write(data);
    } catch (error) {
      throw this.#gone(error);
    }
    if (written < HID_REPORT_SIZE) {
      throw new TransportError('io', `Only ${written} of ${data.length} bytes reached the security key.`);
    }
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      this.#checkOpen();
      const slice = Math.max(0, Math.min(READ_SLICE_MS, Math.ceil(deadline - Date.now())));
      let data: Buffer | undefined;
      try {
        data = await this.handle.read(slice);
      } catch (error) {
        throw this.#gone(error);
      }
      // hidapi returns an empty buffer when the wait elapsed without a report.
      if (data !== undefined && data.length > 0) return new Uint8Array(data);
      if (Date.now() >= deadline) return null;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.handle.close();
    } catch {
      // Closing a device that was pulled out fails in hidapi; it is closed either way.
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new TransportError('disconnected', 'The connection to the security key is closed.');
  }

  #gone(error: unknown): TransportError {
    return new TransportError('disconnected', 'The security key was disconnected.', {}, { cause: error });
  }
}

export interface NodeHidDiscoveryOptions {
  backend?: Partial<NodeHidBackend>;
  /** Hotplug polling interval; values below MIN_POLL_INTERVAL_MS are raised to it. */
  pollIntervalMs?: number;
  /** Passed to CtapHidTransport.open for every device opened. */
  transport?: Omit<HidTransportOptions, 'signal'>;
  /** A failed poll (e.g. libudev missing); polling goes on. */
  onError?: (error: unknown) => void;
}

/** Lists FIDO keys on USB and reports them coming and going by polling hidapi's enumeration. */
export class NodeHidDiscovery implements Discovery {
  readonly #backend: NodeHidBackend;
  readonly #pollIntervalMs: number;
  readonly #options: NodeHidDiscoveryOptions;
  readonly #listeners = new Set<(event: DiscoveryEvent) => void>();
  /** Devices as last seen; undefined until the first enumeration (the baseline, no events). */
  #known: Map<string, DeviceDescriptor> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Bumped when polling stops, so a poll still running then does not start a second loop. */
  #pollGeneration = 0;
  #refreshing: Promise<DeviceDescriptor[]> | undefined;
  #closed = false;

  constructor(options: NodeHidDiscoveryOptions = {}) {
    this.#backend = { ...nodeHidBackend, ...options.backend };
    this.#pollIntervalMs = Math.max(MIN_POLL_INTERVAL_MS, options.pollIntervalMs ?? MIN_POLL_INTERVAL_MS);
    this.#options = options;
  }

  async list(): Promise<DeviceDescriptor[]> {
    if (this.#closed) return [];
    return this.#refresh();
  }

  watch(listener: (event: DiscoveryEvent) => void): () => void {
    if (this.#closed) return () => undefined;
    this.#listeners.add(listener);
    if (this.#timer === undefined) this.#schedule(0);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopPolling();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#stopPolling();
    await this.#refreshing?.catch(() => undefined);
  }

  #stopPolling(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pollGeneration += 1;
  }

  #schedule(delayMs: number): void {
    const generation = this.#pollGeneration;
    // setTimeout after each poll (not setInterval): polls never overlap, however slow hidapi is.
    this.#timer = setTimeout(() => {
      this.#refresh()
        .catch((error: unknown) => this.#options.onError?.(error))
        .finally(() => {
          if (generation === this.#pollGeneration && !this.#closed) this.#schedule(this.#pollIntervalMs);
        });
    }, delayMs);
    // Watching for keys alone must not keep a CLI process alive.
    this.#timer.unref();
  }

  /** Enumerate once (sharing a running enumeration), diff against the last view, emit changes. */
  #refresh(): Promise<DeviceDescriptor[]> {
    this.#refreshing ??= this.#enumerate().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #enumerate(): Promise<DeviceDescriptor[]> {
    const devices = this.#describeAll(await this.#backend.enumerate());
    const current = new Map(devices.map((device) => [device.id, device]));
    const previous = this.#known;
    this.#known = current;
    if (previous !== undefined && !this.#closed) {
      for (const [id, device] of previous) if (!current.has(id)) this.#emit({ type: 'removed', device });
      for (const [id, device] of current) if (!previous.has(id)) this.#emit({ type: 'added', device });
    }
    return devices;
  }

  #emit(event: DiscoveryEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #describeAll(infos: HidDeviceInfo[]): DeviceDescriptor[] {
    const fido = infos.filter(isFidoDevice);
    const ids = fido.map(deviceId);
    return fido.map((info, index) => {
      // Two keys claiming one serial (cheap clones do) must not share an id: fall back to paths.
      const id = ids.indexOf(ids[index]!) === ids.lastIndexOf(ids[index]!) ? ids[index]! : `usb:${info.path}`;
      return this.#describe(info, id);
    });
  }

  #describe(info: HidDeviceInfo & { path: string }, id: string): DeviceDescriptor {
    const serial = info.serialNumber?.trim();
    return {
      id,
      transport: 'usb',
      name: info.product?.trim() || 'USB security key',
      vid: info.vendorId,
      pid: info.productId,
      serial: serial ? serial : null,
      reader: null,
      status: 'ready',
      open: () => this.#open(info.path),
    };
  }

  async #open(path: string): Promise<CtapHidTransport> {
    let handle: HidDeviceHandle;
    try {
      handle = await this.#backend.open(path);
    } catch (error) {
      const stillPresent = await this.#backend.enumerate().then(
        (devices) => devices.some((device) => device.path === path),
        () => false,
      );
      throw classifyOpenError(error, { platform: this.#backend.platform, stillPresent });
    }
    const connection = new NodeHidConnection(handle);
    try {
      return await CtapHidTransport.open(connection, this.#options.transport);
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
}
