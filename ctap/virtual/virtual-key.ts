/**
 * A simulated security key as a whole: configuration, persistent state, the authenticator, and
 * its USB presence (plugged in or not, powered or not). Hosts reach it only through bytes —
 * `openHid()` gives a raw-report HidConnection for the production CtapHidTransport, card.ts
 * wraps `authenticator` for the NFC path — so the app under test cannot tell it from a real key.
 *
 * Power model (CTAP 2.1 §6.5.2, §6.6): `insert()` is a power-up — new key agreement, no token,
 * per-boot PIN counter cleared, reset window starting now. `remove()` aborts the running
 * request and disconnects every HID handle. `powerCycle()` is power lost and restored while the
 * key stays attached (a USB port power toggle, a PC/SC card reset): the same as remove+insert
 * for the key, but it emits only 'power-cycled', not 'removed'/'inserted', so discovery stays
 * quiet; open HID handles still break, as they do on real hardware.
 * @module
 */
import { TransportError } from '../errors.js';
import type { HidConnection } from '../transport/hid/hid-connection.js';
import { VirtualAuthenticator } from './authenticator.js';
import { DEFAULT_PRESET, presetConfig, type VirtualKeyConfig } from './config.js';
import { VirtualHidDevice } from './hid-device.js';
import { Presence, type PresenceScript } from './presence.js';
import { newState, type VirtualKeyState } from './state.js';

export interface VirtualKeyOptions {
  /** Preset name (config.ts); default ctap21. */
  preset?: string;
  /** Overrides on top of the preset (serial, latency, quirks …). */
  config?: Partial<VirtualKeyConfig>;
  /** Stored state to start from (a loaded state file); default a factory-fresh key. */
  state?: VirtualKeyState;
  presence?: PresenceScript;
  /** Milliseconds clock for the reset window and LOCK; inject one to test time without waiting. */
  clock?: () => number;
  /** Called after every change that must survive a replug. */
  onStateChange?: (state: VirtualKeyState) => void;
  /** A handler failed unexpectedly (a simulator bug; the key answers CTAP1_ERR_OTHER). */
  onInternalError?: (error: unknown) => void;
}

export type VirtualKeyEvent = 'removed' | 'inserted' | 'power-cycled' | 'winked';

export class VirtualKey {
  readonly config: VirtualKeyConfig;
  readonly state: VirtualKeyState;
  readonly authenticator: VirtualAuthenticator;
  readonly #clock: () => number;
  readonly #listeners = new Map<VirtualKeyEvent, Set<() => void>>();
  #hid: VirtualHidDevice | null;

  private constructor(config: VirtualKeyConfig, options: VirtualKeyOptions) {
    this.config = config;
    this.state = options.state ?? newState();
    this.#clock = options.clock ?? Date.now;
    this.authenticator = new VirtualAuthenticator({
      config,
      state: this.state,
      presence: new Presence(options.presence ?? 'approve'),
      clock: this.#clock,
      onStateChange: options.onStateChange,
      onInternalError: options.onInternalError,
    });
    this.#hid = this.#newHidDevice();
  }

  /** @throws UnknownPresetError for a preset name config.ts does not define. */
  static create(options: VirtualKeyOptions = {}): VirtualKey {
    const base = presetConfig(options.preset ?? DEFAULT_PRESET);
    const config: VirtualKeyConfig = { ...base, ...structuredClone(options.config ?? {}) };
    return new VirtualKey(config, options);
  }

  /** How the simulated person answers touch requests; replaceable between requests. */
  get presence(): Presence {
    return this.authenticator.presence;
  }

  set presence(presence: Presence) {
    this.authenticator.presence = presence;
  }

  get present(): boolean {
    return this.#hid !== null;
  }

  /**
   * A new raw-report handle onto the key's USB interface, for CtapHidTransport.open.
   * Every preset has one, the NFC-only card too, so the in-process 'virtual' discovery can
   * reach it; real PC/SC clients reach a card through card.ts + vpcd.ts instead.
   * @throws TransportError('disconnected') while the key is removed.
   */
  openHid(): HidConnection {
    if (!this.#hid) throw new TransportError('disconnected', 'The simulated key is not plugged in.');
    return this.#hid.open();
  }

  /** Unplug: abort the running request, disconnect every handle. No-op when already removed. */
  remove(): void {
    if (!this.#powerOff()) return;
    this.#emit('removed');
  }

  /** Plug in: a power-up (§6.5.2) with a fresh USB interface. No-op when already present. */
  insert(): void {
    if (this.#hid) return;
    this.#powerOn();
    this.#emit('inserted');
  }

  /** Lose and regain power without leaving the bus or reader (see the module comment). */
  powerCycle(): void {
    this.#powerOff();
    this.#powerOn();
    this.#emit('power-cycled');
  }

  /** Listen for an event; returns a function that removes the listener. */
  on(event: VirtualKeyEvent, listener: () => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  #powerOff(): boolean {
    const hid = this.#hid;
    if (!hid) return false;
    this.#hid = null;
    hid.disconnect();
    return true;
  }

  #powerOn(): void {
    this.authenticator.powerUp();
    this.#hid = this.#newHidDevice();
  }

  #newHidDevice(): VirtualHidDevice {
    return new VirtualHidDevice({ authenticator: this.authenticator, config: this.config, clock: this.#clock, onWink: () => this.#emit('winked') });
  }

  #emit(event: VirtualKeyEvent): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener();
  }
}
