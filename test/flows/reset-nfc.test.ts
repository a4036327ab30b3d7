/**
 * The reset ceremony over NFC: the production CtapNfcTransport in-process over the virtual FIDO
 * card, behind a one-reader discovery that reports lifts and taps the way PcscDiscovery does
 * (the reader's descriptor goes 'ready' ⇄ 'no-card'). The real pcscd + vpcd path has one slot,
 * owned by test/nfc/pcsc-stack.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { ReinsertRequest, TouchRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { resetDevice, type ResetDeviceOptions } from '../../ctap/flows/reset-device.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../../ctap/transport/discovery.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import { presetConfig, type VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { Presence } from '../../ctap/virtual/presence.js';
import { newState } from '../../ctap/virtual/state.js';

const READER = 'In-process NFC reader';

/** One reader with one card that can be lifted and tapped again. */
class OneReader implements Discovery {
  readonly #listeners = new Set<(event: DiscoveryEvent) => void>();
  #present = true;

  constructor(readonly card: VirtualCard) {}

  descriptor(): DeviceDescriptor {
    const status = this.#present ? 'ready' : 'no-card';
    return {
      id: `nfc:${READER}`,
      transport: 'nfc',
      name: READER,
      vid: null,
      pid: null,
      serial: null,
      reader: READER,
      status,
      open: () => CtapNfcTransport.open(this.card.connect(READER)),
    };
  }

  lift(): void {
    const before = this.descriptor();
    this.card.powerOff();
    this.#present = false;
    this.#emit({ type: 'removed', device: before });
    this.#emit({ type: 'added', device: this.descriptor() });
  }

  tap(): void {
    const before = this.descriptor();
    this.card.powerOn();
    this.#present = true;
    this.#emit({ type: 'removed', device: before });
    this.#emit({ type: 'added', device: this.descriptor() });
  }

  async list(): Promise<DeviceDescriptor[]> {
    return [this.descriptor()];
  }

  watch(listener: (event: DiscoveryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  #emit(event: DiscoveryEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}

function setup(preset: string, config: Partial<VirtualKeyConfig> = {}) {
  const clock = { now: 5_000_000 };
  const fullConfig: VirtualKeyConfig = { ...presetConfig(preset), ...config };
  const state = newState();
  const authenticator = new VirtualAuthenticator({ config: fullConfig, state, presence: new Presence('approve'), clock: () => clock.now });
  const card = new VirtualCard({ authenticator, config: fullConfig });
  card.powerOn();
  const reader = new OneReader(card);
  const shown = { reinsert: [] as ReinsertRequest[], touch: [] as TouchRequest[] };
  const prompts: UserPrompts = {
    pin: () => Promise.reject(new Error('no PIN in a reset')),
    confirm: async () => true,
    touch: (request) => {
      shown.touch.push(request);
      return () => undefined;
    },
    reinsert: (request) => {
      shown.reinsert.push(request);
      if (request.phase === 'remove') reader.lift();
      else reader.tap();
      return () => undefined;
    },
    progress: () => undefined,
  };
  const run = (overrides: Partial<ResetDeviceOptions> = {}) =>
    resetDevice({
      discovery: reader,
      device: reader.descriptor(),
      openSession: async (device) => new Ctap2Session(await device.open()),
      prompts,
      clock: () => clock.now,
      ...overrides,
    });
  return { state, reader, shown, clock, run };
}

describe('reset ceremony over NFC', () => {
  it('asks to lift and tap the card again, then resets it', async () => {
    const t = setup('nfc-card');
    t.state.minPinLength = 9;
    t.state.pinHash = new Uint8Array(16).fill(3);
    await expect(t.run()).resolves.toMatchObject({ outcome: 'reset' });
    expect(t.shown.reinsert.map((r) => [r.phase, r.instruction])).toEqual([
      ['remove', 'nfc-lift'],
      ['insert', 'nfc-tap-again'],
    ]);
    expect(t.state.minPinLength).toBe(4);
    expect(t.state.pinHash).toBeNull();
  });

  it('gives a YubiKey’s NFC instruction and its 5 s window on a 2.1-PRE YubiKey', async () => {
    const t = setup('ctap21-pre');
    await expect(t.run()).resolves.toMatchObject({ outcome: 'reset' });
    expect(t.shown.touch[0]).toMatchObject({ instruction: 'yubico-nfc-hold', noun: 'yubikey' });
    expect(t.shown.touch[0]!.deadline).toBe(t.clock.now + 5_000);
  });

  it('refuses before any prompt when the key resets over USB only', async () => {
    const t = setup('ctap21', { reset: { ...presetConfig('ctap21').reset, transportsForReset: ['usb'] } });
    t.state.minPinLength = 7;
    await expect(t.run()).resolves.toEqual({ outcome: 'not-allowed-on-transport', transport: 'nfc', allowed: ['usb'] });
    expect(t.shown.reinsert).toEqual([]);
    expect(t.state.minPinLength).toBe(7);
  });

  it('resets a card power-cycled by the reader, after its first window has long passed', async () => {
    const t = setup('nfc-card');
    t.state.alwaysUv = true;
    t.clock.now += 120_000;
    const direct = await t.run({ powerCycle: async () => t.reader.card.powerOn() });
    expect(direct).toMatchObject({ outcome: 'reset' });
    expect(t.shown.reinsert).toEqual([]);
    expect(t.state.alwaysUv).toBe(false);
  });
});
