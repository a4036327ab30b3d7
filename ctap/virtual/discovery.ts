/**
 * Discovery over simulated keys (transport 'virtual'): each present VirtualKey is one device,
 * opened through its raw-report USB interface and the production CTAPHID transport, so
 * everything above the HID reports runs exactly as for a real key. remove()/insert() on a key
 * are reported as removed/added, like a USB hotplug.
 * @module
 */
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../transport/discovery.js';
import { CtapHidTransport, type HidTransportOptions } from '../transport/hid/hid-transport.js';
import type { CtapTransport } from '../transport/transport.js';
import type { VirtualKey } from './virtual-key.js';

/** Always visible next to the product name: the app must never pass a simulation off as a key. */
export const SIMULATED_LABEL = 'Simulated key';

export function virtualDeviceId(key: VirtualKey): string {
  return `virtual:${key.config.serial}`;
}

function describe(key: VirtualKey, hid: HidTransportOptions): DeviceDescriptor {
  return {
    id: virtualDeviceId(key),
    transport: 'virtual',
    name: `${key.config.productName} (${SIMULATED_LABEL})`,
    vid: key.config.vid,
    pid: key.config.pid,
    serial: key.config.serial,
    reader: null,
    status: 'ready',
    open: () => openTransport(key, hid),
  };
}

async function openTransport(key: VirtualKey, hid: HidTransportOptions): Promise<CtapTransport> {
  const connection = key.openHid();
  try {
    return await CtapHidTransport.open(connection, hid);
  } catch (error) {
    await connection.close();
    throw error;
  }
}

export class VirtualDiscovery implements Discovery {
  readonly #keys: VirtualKey[];
  readonly #unsubscribe: (() => void)[] = [];
  readonly #listeners = new Set<(event: DiscoveryEvent) => void>();
  readonly #hid: HidTransportOptions;

  /** @param options.hid timeouts and deadlines for the HID transports it opens (tests shorten them). */
  constructor(keys: VirtualKey | VirtualKey[], options: { hid?: HidTransportOptions } = {}) {
    this.#hid = options.hid ?? {};
    this.#keys = Array.isArray(keys) ? [...keys] : [keys];
    const ids = new Set(this.#keys.map(virtualDeviceId));
    if (ids.size !== this.#keys.length) throw new RangeError('Every simulated key needs its own serial number.');
    for (const key of this.#keys) {
      this.#unsubscribe.push(
        key.on('removed', () => this.#emit({ type: 'removed', device: describe(key, this.#hid) })),
        key.on('inserted', () => this.#emit({ type: 'added', device: describe(key, this.#hid) })),
      );
    }
  }

  async list(): Promise<DeviceDescriptor[]> {
    return this.#keys.filter((key) => key.present).map((key) => describe(key, this.#hid));
  }

  watch(listener: (event: DiscoveryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#listeners.clear();
  }

  #emit(event: DiscoveryEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
