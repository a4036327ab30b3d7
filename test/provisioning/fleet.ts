// A USB hub of simulated keys for provisioning tests (not a test file itself). The keys look like
// USB keys ("usb:<serial>") to KeyService, so nothing answers the reset ceremony's "remove and
// reinsert" for them: the test's person does, on the prompt the run passes on, as at a real desk.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../../ctap/transport/discovery.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import type { DiscoverySource } from '../../main/service/device-manager.js';
import { KeyService } from '../../main/service/key-service.js';
import type { ProvisionEvent } from '../../main/service/provisioning/key-worker.js';

export interface FleetKeyOptions {
  serial: string;
  preset?: string;
  aaguid?: string;
  presence?: PresenceScript;
  config?: Partial<VirtualKeyConfig>;
  /** Like a USB key without a serial number: a new id (its USB path) after every replug. */
  newIdOnReplug?: boolean;
}

function uuidBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replaceAll('-', ''), 'hex'));
}

export class Fleet {
  /** Every id a key has had → the key. */
  readonly keys = new Map<string, VirtualKey>();
  private readonly currentId = new Map<VirtualKey, string>();
  private readonly listeners = new Set<(event: DiscoveryEvent) => void>();

  /** Create a key (not plugged in yet). */
  add(options: FleetKeyOptions): VirtualKey {
    const key = VirtualKey.create({
      preset: options.preset ?? 'ctap21',
      config: {
        serial: options.serial,
        touchTimeoutMs: 300,
        ...(options.aaguid ? { aaguid: uuidBytes(options.aaguid) } : {}),
        ...options.config,
      },
      presence: options.presence ?? 'approve',
    });
    key.remove();
    let plugs = 0;
    const first = `usb:${options.serial}`;
    this.currentId.set(key, first);
    this.keys.set(first, key);
    key.on('removed', () => this.emit('removed', key));
    key.on('inserted', () => {
      plugs += 1;
      if (options.newIdOnReplug && plugs > 1) {
        const id = `usb:path-${options.serial}-${plugs}`;
        this.currentId.set(key, id);
        this.keys.set(id, key);
      }
      this.emit('added', key);
    });
    return key;
  }

  plug(serial: string): void {
    this.key(serial).insert();
  }

  pull(serial: string): void {
    this.key(serial).remove();
  }

  key(serialOrId: string): VirtualKey {
    const key = this.keys.get(serialOrId.startsWith('usb:') ? serialOrId : `usb:${serialOrId}`);
    if (!key) throw new Error(`no key ${serialOrId}`);
    return key;
  }

  service(): KeyService {
    return new KeyService({ hardwareSources: () => [this.source()] });
  }

  /** The hub as a USB discovery source (for `skm` run in-process over these keys). */
  source(): DiscoverySource {
    return { transport: 'usb', timeoutMs: 5_000, load: () => Promise.resolve(this.discovery()) };
  }

  /** The person at the desk: replugs a key when its reset ceremony asks. */
  person(event: ProvisionEvent | { type: string }): void {
    if (event.type !== 'prompt') return;
    const { prompt, deviceId } = event as Extract<ProvisionEvent, { type: 'prompt' }>;
    if (prompt.kind !== 'reinsert') return;
    const key = this.key(deviceId);
    // After the listener returns: the flow watches for the event it has just asked for.
    setTimeout(() => (prompt.phase === 'remove' ? key.remove() : key.insert()), 5);
  }

  private discovery(): Discovery {
    return {
      list: () => Promise.resolve([...this.currentId].filter(([k]) => k.present).map(([k, id]) => describe(id, k))),
      watch: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      close: () => Promise.resolve(),
    };
  }

  private emit(type: 'added' | 'removed', key: VirtualKey): void {
    const id = this.currentId.get(key)!;
    for (const listener of [...this.listeners]) listener({ type, device: describe(id, key) });
  }
}

function describe(id: string, key: VirtualKey): DeviceDescriptor {
  return {
    id,
    transport: 'usb',
    name: key.config.productName,
    vid: key.config.vid,
    pid: key.config.pid,
    serial: key.config.serial,
    reader: null,
    status: 'ready',
    open: async () => {
      const connection = key.openHid();
      try {
        return await CtapHidTransport.open(connection);
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
  };
}

/** §6.5.5.5: what the key stores for a PIN: LEFT(SHA-256(pin), 16), hex. */
export function pinHash(pin: string): string {
  return bytesToHex(sha256(utf8ToBytes(pin)).slice(0, 16));
}

/** A seeded draw (mulberry32), so the PINs of a test are the same on every run. */
export function seededDraw(seed: number): (max: number) => number {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (max) => Math.floor(next() * max);
}
