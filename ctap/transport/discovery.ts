/**
 * Device discovery: each transport lists the keys it can reach and reports them coming and going.
 * A descriptor is cheap and opens nothing; `open()` gives a transport.
 * @module
 */
import type { CtapTransport } from './transport.js';

export type DeviceTransportName = 'usb' | 'nfc' | 'virtual';

export interface DeviceDescriptor {
  /** Stable for as long as the key stays attached (and, where the OS allows, across replugs). */
  readonly id: string;
  readonly transport: DeviceTransportName;
  /** Product string (USB), card/reader name (NFC) or "Simulated key". */
  readonly name: string;
  readonly vid: number | null;
  readonly pid: number | null;
  readonly serial: string | null;
  /** PC/SC reader name for NFC and contact cards. */
  readonly reader: string | null;
  /** `no-card`: an NFC/contact reader with nothing on it ("tap your key"). */
  readonly status: 'ready' | 'no-card';
  open(): Promise<CtapTransport>;
}

export type DiscoveryEvent = { type: 'added' | 'removed'; device: DeviceDescriptor };

export interface ListOptions {
  /**
   * The device the caller is after (`--device nfc:READER`): a discovery that otherwise waits for
   * its devices to settle may answer as soon as this one is ready.
   */
  wanted?: (device: DeviceDescriptor) => boolean;
}

export interface Discovery {
  /** The keys present now. */
  list(options?: ListOptions): Promise<DeviceDescriptor[]>;
  /** Start reporting changes; returns a function that stops this listener. */
  watch(listener: (event: DiscoveryEvent) => void): () => void;
  /** Release OS resources (pollers, PC/SC context). */
  close(): Promise<void>;
}
