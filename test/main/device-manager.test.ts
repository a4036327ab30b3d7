import { describe, expect, it } from 'vitest';
import type { Discovery } from '../../ctap/transport/discovery.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { DeviceManager, type DiscoverySource } from '../../main/service/device-manager.js';
import { AppError } from '../../main/service/errors.js';

function key(serial: string): VirtualKey {
  return VirtualKey.create({ config: { serial } });
}

function source(discovery: Discovery, timeoutMs = 1_000): DiscoverySource {
  return { transport: 'virtual', timeoutMs, load: () => Promise.resolve(discovery) };
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('DeviceManager', () => {
  it('lists every source, and a source that hangs or fails counts as empty with a warning', async () => {
    const warnings: string[] = [];
    const hanging: DiscoverySource = { transport: 'nfc', timeoutMs: 50, load: () => new Promise<Discovery>(() => undefined) };
    const failing: DiscoverySource = { transport: 'usb', timeoutMs: 1_000, load: () => Promise.reject(new Error('libudev.so.1: cannot open')) };
    const manager = new DeviceManager({ sources: [failing, hanging, source(new VirtualDiscovery([key('A1'), key('B2')]))], onWarning: (w) => warnings.push(w) });
    const devices = await manager.list();
    expect(devices.map((d) => d.id)).toEqual(['virtual:A1', 'virtual:B2']);
    expect(warnings.some((w) => w.startsWith('usb:') && w.includes('libudev'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('nfc:') && w.includes('50 ms'))).toBe(true);
    await manager.close();
  });

  it('selects the only ready key, refuses none or several, and finds by unique prefix', async () => {
    const one = new DeviceManager({ sources: [source(new VirtualDiscovery(key('A1')))] });
    expect((await one.select(undefined)).id).toBe('virtual:A1');
    const none = new DeviceManager({ sources: [] });
    expect((await appError(none.select(undefined))).code).toBe('NO_DEVICE');
    const two = new DeviceManager({ sources: [source(new VirtualDiscovery([key('A1'), key('B2')]))] });
    const several = await appError(two.select(undefined));
    expect(several.code).toBe('SEVERAL_DEVICES');
    expect(several.facts.devices).toHaveLength(2);
    expect((await two.select('virtual:B')).id).toBe('virtual:B2');
    expect((await appError(two.select('virtual:'))).code).toBe('SEVERAL_DEVICES');
    expect((await appError(two.select('usb:1'))).code).toBe('DEVICE_NOT_FOUND');
  });

  it('finds an id by scanning only the sources whose ids can start with it (no USB scan for nfc:…)', async () => {
    const loaded: string[] = [];
    const tracked = (transport: DiscoverySource['transport'], discovery: Discovery): DiscoverySource => ({
      transport,
      timeoutMs: 1_000,
      load: () => {
        loaded.push(transport);
        return Promise.resolve(discovery);
      },
    });
    const manager = new DeviceManager({ sources: [tracked('usb', new VirtualDiscovery([])), tracked('nfc', new VirtualDiscovery([])), tracked('virtual', new VirtualDiscovery(key('A1')))] });
    expect((await manager.find('virtual:A')).id).toBe('virtual:A1');
    expect(loaded).toEqual(['virtual']);
    expect((await appError(manager.find('nfc:Reader 00'))).code).toBe('DEVICE_NOT_FOUND');
    expect(loaded).toEqual(['virtual', 'nfc']);
    // A query shorter than "usb:" may still start a USB id: that source is scanned.
    expect((await appError(manager.find('us'))).code).toBe('DEVICE_NOT_FOUND');
    expect(loaded).toEqual(['virtual', 'nfc', 'usb']);
    // "v" starts only simulated ids.
    expect((await manager.find('v')).id).toBe('virtual:A1');
    await manager.close();
  });

  it('runs one operation per key: a second concurrent one fails with DEVICE_BUSY, another key is free', async () => {
    const manager = new DeviceManager({ sources: [source(new VirtualDiscovery([key('A1'), key('B2')]))] });
    const [a, b] = await manager.list();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = manager.withSession(a!, async (session) => {
      await held;
      return (await session.getInfo()).versions;
    });
    expect(manager.isBusy(a!.id)).toBe(true);
    expect((await appError(manager.withSession(a!, async () => 'never'))).code).toBe('DEVICE_BUSY');
    expect(await manager.withSession(b!, async (session) => (await session.getInfo()).aaguid.length)).toBe(16);
    release();
    expect(await first).toContain('FIDO_2_1');
    expect(manager.isBusy(a!.id)).toBe(false);
    // Free again after an operation that failed.
    await expect(manager.withSession(a!, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(manager.isBusy(a!.id)).toBe(false);
  });

  it('passes removal events through watch()', async () => {
    const k = key('A1');
    const manager = new DeviceManager({ sources: [source(new VirtualDiscovery(k))] });
    const events: string[] = [];
    const stop = manager.watch((e) => events.push(`${e.type} ${e.device.id}`));
    await manager.list();
    await new Promise((r) => setImmediate(r));
    k.remove();
    k.insert();
    stop();
    k.remove();
    expect(events).toEqual(['removed virtual:A1', 'added virtual:A1']);
    expect(await manager.list()).toEqual([]);
  });

  it('traces every exchange of a session', async () => {
    const commands: number[] = [];
    const manager = new DeviceManager({ sources: [source(new VirtualDiscovery(key('A1')))], onTrace: (e) => commands.push(e.command) });
    const [device] = await manager.list();
    await manager.withSession(device!, (session) => session.getInfo());
    expect(commands).toEqual([0x04, 0x04]);
  });

  it('openSession sends nothing; withDevice holds the key for flows that open it themselves', async () => {
    const commands: number[] = [];
    const manager = new DeviceManager({ sources: [source(new VirtualDiscovery(key('A1')))], onTrace: (e) => commands.push(e.command) });
    const [device] = await manager.list();
    const outcome = await manager.withDevice(device!, async () => {
      expect((await appError(manager.withSession(device!, async () => 'never'))).code).toBe('DEVICE_BUSY');
      const session = await manager.openSession(device!);
      try {
        expect(commands).toEqual([]);
        return (await session.getInfo()).versions.length;
      } finally {
        await session.transport.close();
      }
    });
    expect(outcome).toBeGreaterThan(0);
    expect(commands).toEqual([0x04, 0x04]);
    expect(manager.isBusy(device!.id)).toBe(false);
  });

  it('a reader without a card is listed but never chosen automatically', async () => {
    const reader: Discovery = {
      list: () =>
        Promise.resolve([
          { id: 'nfc:Reader 0', transport: 'nfc', name: 'Reader 0', vid: null, pid: null, serial: null, reader: 'Reader 0', status: 'no-card', open: () => Promise.reject(new Error('no card')) },
        ]),
      watch: () => () => undefined,
      close: () => Promise.resolve(),
    };
    const manager = new DeviceManager({ sources: [{ transport: 'nfc', timeoutMs: 1_000, load: () => Promise.resolve(reader) }, source(new VirtualDiscovery(key('A1')))] });
    expect((await manager.list()).map((d) => d.status)).toEqual(['no-card', 'ready']);
    expect((await manager.select(undefined)).id).toBe('virtual:A1');
    const onlyReader = new DeviceManager({ sources: [{ transport: 'nfc', timeoutMs: 1_000, load: () => Promise.resolve(reader) }] });
    expect((await appError(onlyReader.select(undefined))).code).toBe('NO_DEVICE');
    expect((await onlyReader.select('nfc:Reader')).id).toBe('nfc:Reader 0');
  });

  it('tells the sources which device an exact id names, so they need not wait to settle', async () => {
    const asked: (string[] | undefined)[] = [];
    const devices = ['Reader 0', 'Reader 1'].map((name) => ({ id: `nfc:${name}`, transport: 'nfc' as const, name, vid: null, pid: null, serial: null, reader: name, status: 'ready' as const, open: () => Promise.reject(new Error('unused')) }));
    const readers: Discovery = {
      list: (options) => {
        asked.push(options?.wanted ? devices.filter(options.wanted).map((d) => d.id) : undefined);
        return Promise.resolve(devices);
      },
      watch: () => () => undefined,
      close: () => Promise.resolve(),
    };
    const manager = new DeviceManager({ sources: [{ transport: 'nfc', timeoutMs: 1_000, load: () => Promise.resolve(readers) }] });
    expect((await manager.find('nfc:Reader 1')).id).toBe('nfc:Reader 1');
    await manager.list();
    expect(asked).toEqual([['nfc:Reader 1'], undefined]);
    await manager.close();
  });
});
