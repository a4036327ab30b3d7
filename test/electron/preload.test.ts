// window.skm is exactly the contract: one function per channel plus `on`, nothing that is or
// leads to ipcRenderer, each function invoking its own channel only; and the bundled preload
// runs where a sandboxed preload runs (it may require 'electron' and nothing else).
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildElectron } from '../../main/cli/build.mjs';
import { CHANNEL_NAMES, CHANNEL_PREFIX, EVENT_NAMES, EVENT_PREFIX, type SkmApi } from '../../main/ipc/contract.js';
import { createFakeElectron, type FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ electron: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron.js');
  fake.electron = createFakeElectron();
  return fake.electron;
});

const { exposeSkmApi } = await import('../../main/electron/preload.js');

function exposedApi(): SkmApi & Record<string, unknown> {
  fake.electron.contextBridge.exposed.clear();
  exposeSkmApi();
  expect([...fake.electron.contextBridge.exposed.keys()]).toEqual(['skm']);
  return fake.electron.contextBridge.exposed.get('skm') as SkmApi & Record<string, unknown>;
}

/** Every value reachable from `root` (own properties, prototypes of plain objects). */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value as object)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) walk(descriptor.value);
    }
  };
  walk(root);
  return [...seen];
}

describe('window.skm', () => {
  it('is one function per contract channel, plus on, and nothing else', () => {
    const api = exposedApi();
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key], key).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('holds nothing named ipcRenderer and no reference to it', () => {
    const api = exposedApi();
    expect(Object.keys(api).filter((key) => /ipc|invoke|send|require|electron/i.test(key))).toEqual([]);
    expect(reachable(api)).not.toContain(fake.electron.ipcRenderer);
  });

  it('each function invokes its own channel with the input, nothing else', async () => {
    const api = exposedApi();
    fake.electron.ipcRenderer.invoked.length = 0;
    await api.listDevices({});
    await api.answerPrompt({ kind: 'confirm', id: 'x', yes: true });
    await api.runDoctor({});
    expect(fake.electron.ipcRenderer.invoked).toEqual([
      { channel: `${CHANNEL_PREFIX}listDevices`, args: [{}] },
      { channel: `${CHANNEL_PREFIX}answerPrompt`, args: [{ kind: 'confirm', id: 'x', yes: true }] },
      { channel: `${CHANNEL_PREFIX}runDoctor`, args: [{}] },
    ]);
  });

  it('on(event) hands the listener the payload only, and its return value unsubscribes', () => {
    const api = exposedApi();
    const heard: unknown[][] = [];
    const stop = api.on('devicesChanged', (...args: unknown[]) => heard.push(args));
    fake.electron.ipcRenderer.emit(`${EVENT_PREFIX}devicesChanged`, { sender: fake.electron.ipcRenderer }, { type: 'added' });
    expect(heard).toEqual([[{ type: 'added' }]]);
    stop();
    fake.electron.ipcRenderer.emit(`${EVENT_PREFIX}devicesChanged`, { sender: fake.electron.ipcRenderer }, { type: 'removed' });
    expect(heard).toHaveLength(1);
    expect(fake.electron.ipcRenderer.listenerCount(`${EVENT_PREFIX}devicesChanged`)).toBe(0);
  });

  it('on() refuses events outside the contract (no way to listen on an arbitrary channel)', () => {
    const api = exposedApi();
    expect(() => api.on('skm:listDevices' as never, () => undefined)).toThrow(TypeError);
    expect(() => api.on('devicesChanged', 'not a function' as never)).toThrow(TypeError);
    expect(EVENT_NAMES.every((event) => !CHANNEL_NAMES.includes(event as never))).toBe(true);
  });
});

describe('the bundled preload', () => {
  let outdir: string;
  afterAll(async () => {
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });

  it('requires only electron, carries no zod, and exposes the same API inside a bare context', async () => {
    outdir = await mkdtemp(join(tmpdir(), 'skm-electron-build-'));
    await buildElectron({ outdir });
    const code = await readFile(join(outdir, 'preload.cjs'), 'utf8');
    expect(code.length).toBeLessThan(8 * 1024);
    const electron = createFakeElectron();
    const required: string[] = [];
    const module = { exports: {} };
    runInNewContext(code, {
      module,
      exports: module.exports,
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
    });
    expect(required).toEqual(['electron']);
    const api = electron.contextBridge.exposed.get('skm') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    const main = await readFile(join(outdir, 'main.cjs'), 'utf8');
    // The main bundle loads Electron and the native modules at run time, never bundled.
    expect(main).toMatch(/require\("electron"\)/);
    expect(main).toMatch(/require\("node-hid"\)/);
  });
});
