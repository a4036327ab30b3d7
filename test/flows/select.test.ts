/**
 * Touch-to-select (ctap/flows/select-device.ts) among simulated keys through the production
 * CTAPHID transport: the touched key wins, the others are cancelled.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { selectAuthenticator } from '../../ctap/ctap2/reset.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { UnsupportedError } from '../../ctap/errors.js';
import type { TouchRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { selectDevice, winkDevice } from '../../ctap/flows/select-device.js';
import { CtapStatus } from '../../ctap/status.js';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function key(preset: string, serial: string, presence: PresenceScript, config: Partial<VirtualKeyConfig> = {}): VirtualKey {
  return VirtualKey.create({ preset, presence, config: { serial, ...config } });
}

async function devicesOf(keys: VirtualKey[]): Promise<DeviceDescriptor[]> {
  const discovery = new VirtualDiscovery(keys);
  cleanups.push(() => discovery.close());
  return discovery.list();
}

async function openSession(device: DeviceDescriptor): Promise<Ctap2Session> {
  return new Ctap2Session(await device.open());
}

function prompts(shown: TouchRequest[] = []): UserPrompts {
  return {
    pin: () => Promise.reject(new Error('selection never asks for a PIN')),
    confirm: () => Promise.reject(new Error('selection never asks for confirmation')),
    touch: (request) => {
      shown.push(request);
      return () => undefined;
    },
    reinsert: () => () => undefined,
    progress: () => undefined,
  };
}

async function selected(result: Awaited<ReturnType<typeof selectDevice>>): Promise<string | null> {
  if (result.outcome !== 'selected') return null;
  cleanups.push(() => result.session.transport.close());
  return result.device.serial;
}

describe('touch to select', () => {
  it('picks the touched CTAP 2.1 key and cancels the other one (authenticatorSelection)', async () => {
    const idle = key('ctap21', 'SIMIDLE0001', 'manual');
    const touched = key('ctap21', 'SIMTOUCH001', { afterMs: 40 });
    const handle = vi.spyOn(idle.authenticator, 'handle');
    const shown: TouchRequest[] = [];

    const result = await selectDevice({ devices: await devicesOf([idle, touched]), openSession, prompts: prompts(shown) });

    expect(await selected(result)).toBe('SIMTOUCH001');
    expect(shown.map((s) => s.reason)).toEqual(['select']);
    // The idle key received authenticatorSelection and answered KEEPALIVE_CANCEL once cancelled.
    const answers = await Promise.all(handle.mock.results.map((r) => r.value as Promise<Uint8Array>));
    const selection = handle.mock.calls.findIndex(([request]) => request[0] === 0x0b);
    expect(selection).toBeGreaterThanOrEqual(0);
    expect(answers[selection]).toEqual(Uint8Array.of(CtapStatus.KEEPALIVE_CANCEL));
    expect(idle.presence.waiting).toBe(false);
  });

  it('falls back to the empty-pinUvAuthParam makeCredential on CTAP 2.0 keys, creating nothing', async () => {
    const withPin = key('ctap20', 'SIMPIN00001', { afterMs: 40 });
    const withoutPin = key('ctap20', 'SIMNOPIN001', 'manual');
    const [pinDevice] = await devicesOf([withPin]);
    const session = await openSession(pinDevice!);
    await new ClientPin(session).setPin('123456');
    await session.transport.close();
    const handle = vi.spyOn(withPin.authenticator, 'handle');

    const result = await selectDevice({ devices: await devicesOf([withPin, withoutPin]), openSession, prompts: prompts() });

    expect(await selected(result)).toBe('SIMPIN00001');
    // The touched PIN key answered PIN_INVALID (§6.1.2 step 1): a touch, not a credential.
    const answers = await Promise.all(handle.mock.results.map((r) => r.value as Promise<Uint8Array>));
    const probe = handle.mock.calls.findIndex(([request]) => request[0] === 0x01);
    expect(answers[probe]).toEqual(Uint8Array.of(CtapStatus.PIN_INVALID));
    expect(withPin.state.credentials).toEqual([]);
    expect(withoutPin.state.credentials).toEqual([]);
  });

  it('reports none-touched when every key times out', async () => {
    const quick = { touchTimeoutMs: 30 };
    const result = await selectDevice({
      devices: await devicesOf([key('ctap21', 'SIMNEVER001', 'never', quick), key('ctap21-pre', 'SIMNEVER002', 'never', quick)]),
      openSession,
      prompts: prompts(),
    });
    expect(result).toEqual({ outcome: 'none-touched' });
  });

  it('returns a lone key without asking for a touch, and nothing when there is no key', async () => {
    const shown: TouchRequest[] = [];
    const result = await selectDevice({ devices: await devicesOf([key('ctap21', 'SIMLONE0001', 'never')]), openSession, prompts: prompts(shown) });
    expect(await selected(result)).toBe('SIMLONE0001');
    expect(shown).toEqual([]);
    await expect(selectDevice({ devices: [], openSession, prompts: prompts() })).resolves.toEqual({ outcome: 'no-devices' });
  });

  it('reports cancelled when the caller aborts while the keys blink', async () => {
    const a = key('ctap21', 'SIMWAIT0001', 'manual');
    const b = key('ctap21', 'SIMWAIT0002', 'manual');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const result = await selectDevice({ devices: await devicesOf([a, b]), openSession, prompts: prompts(), signal: controller.signal });
    expect(result).toEqual({ outcome: 'cancelled' });
    expect(a.presence.waiting || b.presence.waiting).toBe(false);
  });
});

describe('authenticatorSelection client', () => {
  it('refuses to send selection to a key whose getInfo says it is not CTAP 2.1', async () => {
    const [device] = await devicesOf([key('ctap20', 'SIMSEL20001', 'approve')]);
    const session = await openSession(device!);
    cleanups.push(() => session.transport.close());
    await session.getInfo();
    await expect(selectAuthenticator(session)).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('wink', () => {
  it('blinks a key that can, and says so for one that cannot', async () => {
    const [usb, card] = await devicesOf([key('ctap21', 'SIMWINK0001', 'approve'), key('nfc-card', 'SIMCARD0009', 'approve')]);
    const canWink = await openSession(usb!);
    const cannot = await openSession(card!);
    cleanups.push(() => canWink.transport.close(), () => cannot.transport.close());
    await expect(winkDevice({ session: canWink })).resolves.toBeUndefined();
    await expect(winkDevice({ session: cannot })).rejects.toBeInstanceOf(UnsupportedError);
  });
});
