/**
 * The reset ceremony (ctap/flows/reset-device.ts) against simulated keys through the production
 * CTAPHID transport: VirtualDiscovery reports the replug, scripted prompts play the person.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { makeCredential } from '../../ctap/ctap2/make-credential.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { ConfirmRequest, ReinsertRequest, TouchRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { resetDevice, type ResetDeviceOptions } from '../../ctap/flows/reset-device.js';
import { CtapStatus } from '../../ctap/status.js';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { StatusError } from '../../ctap/virtual/handlers/context.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const PIN = '271828';

interface Harness {
  key: VirtualKey;
  discovery: VirtualDiscovery;
  device: DeviceDescriptor;
  clock: { now: number };
  shown: { confirm: ConfirmRequest[]; reinsert: ReinsertRequest[]; touch: TouchRequest[] };
  run(overrides?: Partial<ResetDeviceOptions> & { onInsert?: () => void; onRemove?: () => void; confirm?: boolean }): ReturnType<typeof resetDevice>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

async function openSession(device: DeviceDescriptor): Promise<Ctap2Session> {
  return new Ctap2Session(await device.open());
}

function harness(options: { preset: string; config?: Partial<VirtualKeyConfig>; presence?: PresenceScript; others?: VirtualKey[] }): Promise<Harness> {
  const clock = { now: 1_000_000 };
  const key = VirtualKey.create({ preset: options.preset, config: options.config, presence: options.presence, clock: () => clock.now });
  const discovery = new VirtualDiscovery([key, ...(options.others ?? [])]);
  open.push(() => discovery.close());
  const shown: Harness['shown'] = { confirm: [], reinsert: [], touch: [] };
  return discovery.list().then((devices) => {
    const device = devices.find((d) => d.serial === key.config.serial)!;
    return {
      key,
      discovery,
      device,
      clock,
      shown,
      run(overrides = {}) {
        const prompts: UserPrompts = {
          pin: () => Promise.reject(new Error('the reset ceremony never asks for a PIN')),
          confirm: async (request) => {
            shown.confirm.push(request);
            return overrides.confirm ?? true;
          },
          touch: (request) => {
            shown.touch.push(request);
            return () => undefined;
          },
          reinsert: (request) => {
            shown.reinsert.push(request);
            if (request.phase === 'remove') (overrides.onRemove ?? (() => key.remove()))();
            else (overrides.onInsert ?? (() => key.insert()))();
            return () => undefined;
          },
          progress: () => undefined,
        };
        return resetDevice({ discovery, device, openSession, prompts, clock: () => clock.now, ...overrides });
      },
    };
  });
}

/** Give the key a PIN and a discoverable credential through the production client code. */
async function provision(key: VirtualKey, device: DeviceDescriptor): Promise<void> {
  const session = await openSession(device);
  try {
    const pin = new ClientPin(session);
    await pin.setPin(PIN);
    const token = await pin.getToken(PIN, { permissions: Permission.mc, rpId: 'example.com' });
    await makeCredential(session, {
      clientDataHash: sha256(new Uint8Array([1])),
      rp: { id: 'example.com' },
      user: { id: new Uint8Array([7]), name: 'alice' },
      residentKey: true,
      token,
    });
    token.dispose();
  } finally {
    await session.transport.close();
  }
  expect(key.state.credentials).toHaveLength(1);
  expect(key.state.pinHash).not.toBeNull();
}

describe('reset ceremony', () => {
  it('resets a CTAP 2.1 key replugged within the window: no passkeys, no PIN, factory settings', async () => {
    const h = await harness({ preset: 'ctap21' });
    await provision(h.key, h.device);
    h.key.state.alwaysUv = true;
    h.key.state.minPinLength = 8;
    h.key.state.enterpriseAttestation = true;
    h.key.state.pinRetries = 5;

    const result = await h.run({ onInsert: () => (h.key.insert(), (h.clock.now += 2_000)) });

    expect(result.outcome).toBe('reset');
    expect(h.key.state.credentials).toEqual([]);
    expect(h.key.state.pinHash).toBeNull();
    expect(h.key.state.pinRetries).toBe(8);
    expect(h.key.state.minPinLength).toBe(4);
    expect(h.key.state.alwaysUv).toBe(false);
    expect(h.key.state.enterpriseAttestation).toBe(false);
    // What the person saw: what is lost, remove then insert, and a touch prompt with the deadline.
    // No fingerprint sensor on this key: fingerprints are not among what is lost.
    expect(h.shown.confirm[0]!.consequences.map((c) => c.code)).toEqual(['passkeys-deleted', 'pin-removed', 'settings-to-defaults']);
    expect(h.shown.reinsert.map((r) => r.phase)).toEqual(['remove', 'insert']);
    expect(h.shown.touch).toHaveLength(1);
    expect(h.shown.touch[0]!.reason).toBe('reset');
    expect(h.shown.touch[0]!.deadline).toBe(1_000_000 + 10_000);
  });

  it('reports too-late (0x30) when the reset arrives after the window, and the key keeps its data', async () => {
    const h = await harness({ preset: 'ctap21' });
    await provision(h.key, h.device);
    const result = await h.run({ onInsert: () => (h.key.insert(), (h.clock.now += 10_001)) });
    expect(result).toEqual({ outcome: 'too-late', windowMs: 10_000 });
    expect(h.key.state.credentials).toHaveLength(1);
    expect(h.key.state.pinHash).not.toBeNull();
  });

  it('maps a YubiKey’s PIN_AUTH_BLOCKED answer to a late reset to too-late, as ykman does', async () => {
    const h = await harness({ preset: 'ctap21-pre' });
    h.key.authenticator.registerHandler(0x07, async () => {
      throw new StatusError(CtapStatus.PIN_AUTH_BLOCKED);
    });
    await expect(h.run()).resolves.toEqual({ outcome: 'too-late', windowMs: 5_000 });
  });

  it('reports not-touched with the key’s status when nobody touches it (0x2F, YubiKey 0x3A)', async () => {
    const spec = await harness({ preset: 'ctap21', presence: 'never', config: { touchTimeoutMs: 30 } });
    await expect(spec.run()).resolves.toEqual({ outcome: 'not-touched', status: CtapStatus.USER_ACTION_TIMEOUT });
    const yubi = await harness({ preset: 'ctap21-pre', presence: 'never', config: { touchTimeoutMs: 30 } });
    await expect(yubi.run()).resolves.toEqual({ outcome: 'not-touched', status: CtapStatus.ACTION_TIMEOUT });
  });

  it('reports declined when the touch is refused (0x27)', async () => {
    const h = await harness({ preset: 'ctap21', presence: 'deny' });
    h.key.state.minPinLength = 6;
    await expect(h.run()).resolves.toEqual({ outcome: 'declined' });
    expect(h.key.state.minPinLength).toBe(6);
  });

  it('sends nothing to a different key inserted in its place', async () => {
    const other = VirtualKey.create({ preset: 'ctap21', config: { serial: 'SIMOTHER001' } });
    const h = await harness({ preset: 'ctap21', others: [other] });
    await provision(other, (await h.discovery.list()).find((d) => d.serial === 'SIMOTHER001')!);
    other.remove();
    const handle = vi.spyOn(other.authenticator, 'handle');

    const result = await h.run({ onInsert: () => other.insert() });

    expect(result).toEqual({ outcome: 'different-key', stage: 'before-reset' });
    expect(handle).not.toHaveBeenCalled();
    expect(other.state.credentials).toHaveLength(1);
    expect(other.state.pinHash).not.toBeNull();
  });

  it('succeeds on a key that drops the reset permission after any other command (OpenSK)', async () => {
    const h = await harness({ preset: 'reset-drops-permission' });
    h.key.state.minPinLength = 10;
    await expect(h.run()).resolves.toMatchObject({ outcome: 'reset' });
    expect(h.key.state.minPinLength).toBe(4);
  });

  it('honours a 5 s window (old YubiKey) and a 10 s window', async () => {
    const early = await harness({ preset: 'ctap21-pre' });
    early.key.state.minPinLength = 6;
    await expect(early.run({ onInsert: () => (early.key.insert(), (early.clock.now += 4_500)) })).resolves.toMatchObject({ outcome: 'reset' });
    expect(early.key.state.minPinLength).toBe(4);
    expect(early.shown.touch[0]!.deadline).toBe(1_000_000 + 5_000);
    expect(early.shown.touch[0]).toMatchObject({ instruction: 'yubico-usb-touch-contact', noun: 'yubikey' });

    const late = await harness({ preset: 'ctap21-pre' });
    await expect(late.run({ onInsert: () => (late.key.insert(), (late.clock.now += 5_500)) })).resolves.toEqual({ outcome: 'too-late', windowMs: 5_000 });

    const ten = await harness({ preset: 'reset-10s' });
    await expect(ten.run({ onInsert: () => (ten.key.insert(), (ten.clock.now += 9_500)) })).resolves.toMatchObject({ outcome: 'reset' });
  });

  it('refuses early, before any prompt, when transportsForReset excludes the transport', async () => {
    const h = await harness({ preset: 'ctap21', config: { reset: { windowMs: 10_000, longTouchForReset: false, transportsForReset: ['nfc'], dropsPermissionAfterOtherCommands: false, dropsPermissionOnOtherChannel: false } } });
    h.key.state.minPinLength = 6;
    await expect(h.run()).resolves.toEqual({ outcome: 'not-allowed-on-transport', transport: 'usb', allowed: ['nfc'] });
    expect(h.shown.confirm).toEqual([]);
    expect(h.key.state.minPinLength).toBe(6);
  });

  it('stops when the person does not confirm, or does not remove or reinsert the key', async () => {
    const declined = await harness({ preset: 'ctap21' });
    declined.key.state.minPinLength = 6;
    await expect(declined.run({ confirm: false })).resolves.toEqual({ outcome: 'cancelled' });
    expect(declined.shown.reinsert).toEqual([]);
    expect(declined.key.state.minPinLength).toBe(6);

    const stays = await harness({ preset: 'ctap21' });
    await expect(stays.run({ onRemove: () => undefined, removalTimeoutMs: 30 })).resolves.toEqual({ outcome: 'not-removed', timeoutMs: 30 });
    const gone = await harness({ preset: 'ctap21' });
    await expect(gone.run({ onInsert: () => undefined, reinsertTimeoutMs: 30 })).resolves.toEqual({ outcome: 'not-reinserted', timeoutMs: 30 });
  });

  it('power-cycles a key in place when the caller can (card reader reset): no removal prompts', async () => {
    const h = await harness({ preset: 'nfc-card' });
    h.key.state.alwaysUv = true;
    h.clock.now += 60_000; // long after the first power-up: only the power cycle reopens the window
    const result = await h.run({ powerCycle: async () => h.key.powerCycle() });
    expect(result).toMatchObject({ outcome: 'reset' });
    expect(h.shown.reinsert).toEqual([]);
    expect(h.shown.touch[0]!.deadline).toBe(h.clock.now + 10_000);
    expect(h.key.state.alwaysUv).toBe(false);
  });

  it('reports cancelled when the signal fires while the key waits for a touch', async () => {
    const h = await harness({ preset: 'ctap21', presence: 'manual' });
    h.key.state.minPinLength = 6;
    const controller = new AbortController();
    const result = h.run({ signal: controller.signal, onInsert: () => (h.key.insert(), setTimeout(() => controller.abort(), 20)) });
    await expect(result).resolves.toEqual({ outcome: 'cancelled' });
    expect(h.key.state.minPinLength).toBe(6);
  });
});

describe('virtual key reset handler over NFC', () => {
  const io = (transport: 'usb' | 'nfc') => ({ transport, channel: 0, signal: new AbortController().signal, keepalive: () => undefined });
  const config = { reset: { windowMs: 10_000, longTouchForReset: false, transportsForReset: ['usb'], dropsPermissionAfterOtherCommands: false, dropsPermissionOnOtherChannel: false } };

  it('answers OPERATION_DENIED over NFC when transportsForReset is usb only, and resets over USB', async () => {
    const key = VirtualKey.create({ preset: 'ctap21', config });
    key.state.minPinLength = 6;
    expect(await key.authenticator.handle(Uint8Array.of(0x07), io('nfc'))).toEqual(Uint8Array.of(CtapStatus.OPERATION_DENIED));
    expect(key.state.minPinLength).toBe(6);
    expect(await key.authenticator.handle(Uint8Array.of(0x07), io('usb'))).toEqual(Uint8Array.of(CtapStatus.OK));
    expect(key.state.minPinLength).toBe(4);
  });
});
