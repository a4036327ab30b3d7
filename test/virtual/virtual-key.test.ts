// VirtualKey and VirtualDiscovery through the production CTAPHID transport: identity, power
// model (remove / insert / power cycle), and what a host sees when the key goes away.
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CancelledError, TransportError } from '../../ctap/errors.js';
import type { DiscoveryEvent } from '../../ctap/transport/discovery.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import { presets } from '../../ctap/virtual/config.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import type { VirtualKeyState } from '../../ctap/virtual/state.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const transports: CtapTransport[] = [];
afterEach(async () => {
  for (const transport of transports.splice(0)) await transport.close().catch(() => undefined);
});

async function openFirst(discovery: VirtualDiscovery): Promise<Ctap2Session> {
  const [device] = await discovery.list();
  if (!device) throw new Error('no simulated key present');
  const transport = await device.open();
  transports.push(transport);
  return new Ctap2Session(transport);
}

describe('VirtualDiscovery', () => {
  it('describes each present key as a labelled simulated device', async () => {
    const one = VirtualKey.create();
    const two = VirtualKey.create({ preset: 'ctap21-pre' });
    const devices = await new VirtualDiscovery([one, two]).list();
    expect(devices.map((d) => [d.id, d.transport, d.name, d.vid, d.serial])).toEqual([
      ['virtual:SIM21000001', 'virtual', 'Virtual FIDO2 Key (Simulated key)', 0x1209, 'SIM21000001'],
      ['virtual:SIM21P00001', 'virtual', 'YubiKey 5 NFC (Simulated key)', 0x1050, 'SIM21P00001'],
    ]);
  });

  it('reports removal and reinsertion, but not a power cycle', async () => {
    const key = VirtualKey.create();
    const discovery = new VirtualDiscovery(key);
    const events: string[] = [];
    const stop = discovery.watch((event: DiscoveryEvent) => events.push(`${event.type}:${event.device.id}`));
    let cycles = 0;
    key.on('power-cycled', () => cycles++);

    key.remove();
    expect(await discovery.list()).toEqual([]);
    key.remove();
    key.insert();
    key.powerCycle();
    expect(events).toEqual(['removed:virtual:SIM21000001', 'added:virtual:SIM21000001']);
    expect(cycles).toBe(1);
    stop();
    key.remove();
    expect(events).toHaveLength(2);
    await discovery.close();
  });

  it('refuses two keys with one serial (their ids would collide)', () => {
    expect(() => new VirtualDiscovery([VirtualKey.create(), VirtualKey.create()])).toThrow(RangeError);
  });
});

describe('VirtualKey over the production HID transport', () => {
  it('runs clientPIN end to end and reports each state change', async () => {
    const changes: VirtualKeyState[] = [];
    const key = VirtualKey.create({ onStateChange: (state) => changes.push(state) });
    const session = await openFirst(new VirtualDiscovery(key));
    expect((await session.getInfo()).options.clientPin).toBe(false);
    await new ClientPin(session).setPin('246810');
    expect((await session.getInfo({ refresh: true })).options.clientPin).toBe(true);
    expect(key.state.pinLength).toBe(6);
    expect(changes.at(-1)).toBe(key.state);
  });

  it('a power cycle starts a new power-up: PIN block lifted, token gone, reset window reopened', async () => {
    let now = 0;
    const key = VirtualKey.create({ clock: () => now });
    key.authenticator.powerUpState.consecutivePinFailures = 3;
    now = 60_000;
    expect(key.authenticator.powerUpState.resetPermission).toBe(false);
    key.powerCycle();
    expect(key.authenticator.powerUpState).toMatchObject({ consecutivePinFailures: 0, token: null, resetPermission: true, poweredAt: 60_000 });
    expect(key.present).toBe(true);
  });

  it('removal during a touch wait fails the host with TransportError disconnected', async () => {
    const key = VirtualKey.create({ presence: 'manual' });
    const session = await openFirst(new VirtualDiscovery(key));
    const pending = session.send(Ctap2Command.SELECTION, undefined, {
      onKeepalive: (status) => {
        if (status === 'user-presence-needed') key.remove();
      },
    });
    await expect(pending).rejects.toMatchObject({ kind: 'disconnected' });
    await expect(pending).rejects.toBeInstanceOf(TransportError);
    expect(key.presence.waiting).toBe(false);
    expect(() => key.openHid()).toThrow(TransportError);
  });

  it('aborting on the host cancels the touch wait on the key (CTAPHID_CANCEL)', async () => {
    const key = VirtualKey.create({ presence: 'manual' });
    const session = await openFirst(new VirtualDiscovery(key));
    const controller = new AbortController();
    const pending = session.send(Ctap2Command.SELECTION, undefined, {
      signal: controller.signal,
      onKeepalive: (status) => {
        if (status === 'user-presence-needed') controller.abort();
      },
    });
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(key.presence.waiting).toBe(false);
    // The channel is usable again.
    expect((await session.getInfo()).versions).toContain('FIDO_2_1');
  });

  it('config overrides apply to one key only', () => {
    const key = VirtualKey.create({ config: { serial: 'OVERRIDE1', credentialSlots: 3 } });
    expect(key.config).toMatchObject({ serial: 'OVERRIDE1', credentialSlots: 3, preset: 'ctap21' });
    expect(presets.ctap21!.serial).toBe('SIM21000001');
  });
});
