// KeyService, the one entry point of both front ends: Results instead of throws, selection and
// the one-operation-per-key lock, live device events, errors with the device's facts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, TransportError } from '../../ctap/errors.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../../ctap/transport/discovery.js';
import { KeyService, type DeviceEvent } from '../../main/service/key-service.js';
import type { PromptHandler } from '../../main/service/prompt-events.js';
import { PIN, passkey, seedKey } from '../cli/tty-session.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-service-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Answers every PIN with `pin` and every confirmation with `yes`; records the notices. */
function answering(pin = PIN, yes = true): PromptHandler & { notices: string[] } {
  const notices: string[] = [];
  return {
    notices,
    pin: () => Promise.resolve(pin),
    confirm: () => Promise.resolve(yes),
    notify: (prompt) => notices.push(prompt.kind),
  };
}

/** A reader on a fake PC/SC discovery: `tap()` replaces its descriptor as pcsc.ts does. */
function fakeReader(): { discovery: Discovery; tap: () => void } {
  const listeners = new Set<(event: DiscoveryEvent) => void>();
  const descriptor = (status: DeviceDescriptor['status']): DeviceDescriptor => ({
    id: 'nfc:Reader 0',
    transport: 'nfc',
    name: 'Reader 0',
    vid: null,
    pid: null,
    serial: null,
    reader: 'Reader 0',
    status,
    open: () => Promise.reject(new TransportError('disconnected', 'the card left the reader')),
  });
  let current = descriptor('no-card');
  return {
    discovery: {
      list: () => Promise.resolve([current]),
      watch: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => Promise.resolve(),
    },
    tap: () => {
      const previous = current;
      current = descriptor('ready');
      for (const listener of listeners) {
        listener({ type: 'removed', device: previous });
        listener({ type: 'added', device: current });
      }
    },
  };
}

describe('KeyService', () => {
  it('answers with Results: NO_DEVICE when no key is there, never a throw', async () => {
    const service = new KeyService({ hardwareSources: () => [] });
    expect(await service.listDevices()).toEqual({ ok: true, value: [] });
    const result = await service.run('pin.status', {}, { prompts: answering() });
    expect(result).toMatchObject({ ok: false, error: { code: 'NO_DEVICE', facts: {} } });
    await service.close();
  });

  it('names the key asked for: DEVICE_NOT_FOUND carries the id (shortened), errors carry the device', async () => {
    const file = join(dir, 'a.json');
    await seedKey(file, { preset: 'ctap21', pin: null });
    const service = new KeyService({ virtualFiles: [file] });
    const missing = await service.run('pin.status', {}, { prompts: answering(), deviceId: `usb:${'x'.repeat(500)}` });
    expect(missing).toMatchObject({ ok: false, error: { code: 'DEVICE_NOT_FOUND' } });
    expect(!missing.ok && missing.error.facts.deviceId!.length).toBeLessThan(100);
    const unsupported = await service.run('fingerprints.info', {}, { prompts: answering() });
    expect(unsupported).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', facts: { feature: 'bio-enrollment', transport: 'virtual' } } });
    expect(!unsupported.ok && unsupported.error.facts.deviceId).toMatch(/^virtual:/);
    await service.close();
  });

  it('holds one operation per key: a second one at the same time is DEVICE_BUSY, the first finishes', async () => {
    const file = join(dir, 'a.json');
    await seedKey(file, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const service = new KeyService({ virtualFiles: [file] });
    let release!: (pin: string) => void;
    const slow: PromptHandler = { pin: () => new Promise<string>((resolve) => (release = resolve)), confirm: () => Promise.resolve(true), notify: () => undefined };
    const first = service.run('passkeys.list', {}, { prompts: slow });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await service.run('pin.status', {}, { prompts: answering() })).toMatchObject({ ok: false, error: { code: 'DEVICE_BUSY' } });
    release(PIN);
    expect(await first).toMatchObject({ ok: true, value: { stored: 1 } });
    await service.close();
  });

  it('a cancelled operation ends as CANCELLED and the key works afterwards', async () => {
    const file = join(dir, 'a.json');
    await seedKey(file, { preset: 'ctap21' });
    const service = new KeyService({ virtualFiles: [file] });
    const controller = new AbortController();
    const waiting: PromptHandler = {
      pin: (_prompt, signal) => new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(new CancelledError()))),
      confirm: () => Promise.resolve(true),
      notify: () => undefined,
    };
    const run = service.run('passkeys.list', {}, { prompts: waiting, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await run).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await service.run('pin.status', {}, { prompts: answering() })).toMatchObject({ ok: true, value: { pinSet: true } });
    await service.close();
  });

  it('prompt events reach the front end, and the reset ceremony replugs a simulated key itself', async () => {
    const file = join(dir, 'a.json');
    await seedKey(file, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const service = new KeyService({ virtualFiles: [file] });
    const prompts = answering();
    expect(await service.run('reset', {}, { prompts })).toMatchObject({ ok: true, value: { reset: true } });
    expect(prompts.notices).toEqual(expect.arrayContaining(['reinsert', 'progress', 'touch', 'countdown', 'dismiss']));
    expect(await service.run('pin.status', {}, { prompts })).toMatchObject({ ok: true, value: { pinSet: false } });
    await service.close();
  });

  it('live events: a simulated key added, a card tapped on a reader is a change of that reader', async () => {
    const reader = fakeReader();
    const service = new KeyService({ hardwareSources: () => [{ transport: 'nfc', timeoutMs: 1_000, load: () => Promise.resolve(reader.discovery) }] });
    const events: DeviceEvent[] = [];
    const stop = service.watchDevices((event) => events.push(event));
    expect(await service.listDevices()).toMatchObject({ ok: true, value: [{ id: 'nfc:Reader 0', status: 'no-card' }] });
    reader.tap();
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual([{ type: 'changed', device: expect.objectContaining({ id: 'nfc:Reader 0', status: 'ready' }) }]);
    const added = await service.addVirtualKey({ file: join(dir, 'practice.json') });
    expect(added).toMatchObject({ ok: true, value: { transport: 'virtual', model: expect.any(String) } });
    const listed = await service.listDevices();
    expect(listed.ok && listed.value.map((d) => d.transport)).toEqual(['nfc', 'virtual']);
    stop();
    await service.close();
  });
});
