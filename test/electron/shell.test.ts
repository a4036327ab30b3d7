// The main process wired up against a stand-in `electron`: what main.ts actually asks Electron
// for — the privileged scheme, the window's options, the session's and every webContents'
// handlers, the IPC handlers and their sender check — and the simulated keys of `--virtual`.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, CHANNEL_PREFIX, EVENT_PREFIX } from '../../main/ipc/contract.js';
import type { DeviceSummary, Result } from '../../main/ipc/contract.js';
import { APP_ENTRY_URL, APP_SCHEME } from '../../main/electron/security.js';
import { windowOptions } from '../../main/electron/window-options.js';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ electron: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron.js');
  fake.electron = createFakeElectron();
  return fake.electron;
});

// The doctor behind runDoctor looks at this machine only through its probes: none here.
vi.mock('../../main/service/doctor-probes.js', () => ({
  systemProbes: () => ({
    platform: 'linux',
    arch: 'x64',
    versions: { node: process.versions.node, electron: '45.4.1' },
    hid: async () => ({ loaded: true, fidoDevices: [] }),
    pcsc: async () => ({ state: 'running', readers: [] }),
    udevRules: async () => [],
    isElevated: async () => null,
    windowsBuild: () => null,
  }),
}));

// Imported after the mock: main.ts and everything under it see the stand-in.
const { main } = await import('../../main/electron/main.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-shell-'));
  const e = fake.electron;
  e.app.removeAllListeners();
  e.app.userData = dir;
  e.app.isPackaged = false;
  e.app.lockAvailable = true;
  e.app.quitCalls = 0;
  e.windows.length = 0;
  e.ipcMain.handlers.clear();
  e.protocol.privileged.length = 0;
  e.protocol.handlers.clear();
  e.shell.opened.length = 0;
  e.session.defaultSession.removeAllListeners();
});
/** Close the window and quit as Electron would: will-quit waits until the simulated keys are saved. */
async function quit(e: FakeElectron): Promise<void> {
  running = undefined;
  const before = e.app.quitCalls;
  e.windows[0]?.emit('closed');
  e.app.emit('window-all-closed');
  expect(e.app.quitCalls).toBe(before + 1);
  let held = false;
  e.app.emit('will-quit', { preventDefault: () => (held = true) });
  expect(held).toBe(true);
  await vi.waitFor(() => expect(e.app.quitCalls).toBe(before + 2));
  // The second time round nothing holds the exit any more.
  held = false;
  e.app.emit('will-quit', { preventDefault: () => (held = true) });
  expect(held).toBe(false);
}

afterEach(async () => {
  if (running) await quit(running);
  await rm(dir, { recursive: true, force: true });
});

/** The app started by the running test, quit after it. */
let running: FakeElectron | undefined;

async function start(args: string[] = []): Promise<FakeElectron> {
  const started = main({ args, hardwareSources: () => [] });
  fake.electron.app.becomeReady();
  await started;
  running = fake.electron;
  return fake.electron;
}

const ourFrame = { url: `${APP_ENTRY_URL}`, parent: null };

/** Call an IPC channel as the renderer of our window would (or as `frame` / `sender`). */
function invoke(e: FakeElectron, channel: string, input: unknown, frame: unknown = ourFrame, sender = e.windows[0]!.webContents): Promise<Result<unknown>> {
  const handler = e.ipcMain.handlers.get(`${CHANNEL_PREFIX}${channel}`);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ sender, senderFrame: frame }, input) as Promise<Result<unknown>>;
}

describe('window and protocol', () => {
  it('registers app:// as a standard secure scheme, loads the entry page from it, one hardened window', async () => {
    const e = await start();
    expect(e.protocol.privileged).toEqual([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
    expect([...e.protocol.handlers.keys()]).toEqual([APP_SCHEME]);
    expect(e.windows).toHaveLength(1);
    const win = e.windows[0]!;
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
    expect(win.options).toEqual(
      windowOptions({ preloadPath: join(e.app.appPath, 'dist', 'electron', 'preload.cjs'), isPackaged: false, title: 'Security Key Manager' }),
    );
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(e.app.defaultProtocolClientCalls).toBe(0);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('packaged: DevTools disabled in the window and absent from the menu', async () => {
    fake.electron.app.isPackaged = true;
    const e = await start();
    expect(e.windows[0]!.options.webPreferences?.devTools).toBe(false);
    expect(JSON.stringify(e.Menu.template)).not.toMatch(/toggleDevTools|reload/);
  });

  it('a second instance quits at once; the first one focuses its window when another starts', async () => {
    const e = await start();
    e.app.emit('second-instance');
    expect(e.windows[0]!.focused).toBe(1);
    e.app.lockAvailable = false;
    const windowsBefore = e.windows.length;
    await main({ args: [], hardwareSources: () => [] });
    expect(e.app.quitCalls).toBe(1);
    expect(e.windows).toHaveLength(windowsBefore);
  });
});

describe('relaunch as administrator', () => {
  it('the relaunched copy waits for the old one to let go of the single-instance lock', async () => {
    const e = fake.electron;
    e.app.lockAvailable = false;
    const started = main({ args: ['--relaunched', '--window-bounds', '5,6,900,700'], hardwareSources: () => [] });
    e.app.becomeReady();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(e.windows).toHaveLength(0);
    expect(e.app.lockRequests).toBeGreaterThan(1);
    e.app.lockAvailable = true;
    await started;
    running = e;
    expect(e.app.quitCalls).toBe(0);
    expect(e.windows[0]!.options).toMatchObject({ x: 5, y: 6, width: 900, height: 700 });
  });
});

describe('every webContents and the session refuse what the page asks for', () => {
  it('navigation, redirects, webviews and new windows are denied; only allow-listed help opens outside', async () => {
    const e = await start();
    const contents = e.windows[0]!.webContents;
    const prevented = (event: string, ...args: unknown[]): boolean => {
      let stopped = false;
      contents.emit(event, { preventDefault: () => (stopped = true), isMainFrame: false }, ...args);
      return stopped;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', `${APP_ENTRY_URL}#elsewhere`)).toBe(true);
    expect(prevented('will-navigate', 'https://support.yubico.com/hc/en-us')).toBe(true);
    expect(prevented('will-frame-navigate')).toBe(true);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://support.microsoft.com/windows' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(e.shell.opened).toEqual(['https://support.yubico.com/hc/en-us', 'https://support.microsoft.com/windows']));
  });

  it('permission requests and checks, device permissions and device choosers are refused', async () => {
    const e = await start();
    const s = e.session.defaultSession;
    const granted: boolean[] = [];
    for (const permission of ['media', 'notifications', 'hid', 'usb', 'serial', 'clipboard-read', 'geolocation', 'openExternal']) {
      s.permissionRequestHandler!({}, permission, (ok: boolean) => granted.push(ok), {});
      granted.push(s.permissionCheckHandler!({}, permission, APP_ENTRY_URL, {}) as boolean);
    }
    granted.push(s.devicePermissionHandler!({ deviceType: 'hid', origin: APP_ENTRY_URL }) as boolean);
    expect(granted.every((g) => g === false)).toBe(true);
    const chosen: unknown[] = [];
    for (const [event, args] of [
      ['select-hid-device', [{ deviceList: [{ deviceId: 'k' }] }, (id?: string) => chosen.push(id)]],
      ['select-usb-device', [{ deviceList: [{ deviceId: 'k' }] }, (id?: string) => chosen.push(id)]],
      ['select-serial-port', [[{ portId: 'p' }], {}, (id: string) => chosen.push(id)]],
    ] as const) {
      let stopped = false;
      s.emit(event, { preventDefault: () => (stopped = true) }, ...args);
      expect(stopped, event).toBe(true);
    }
    expect(chosen).toEqual([undefined, undefined, '']);
    let download = false;
    s.emit('will-download', { preventDefault: () => (download = true) });
    expect(download).toBe(true);
  });
});

describe('IPC', () => {
  it('handles exactly the contract channels', async () => {
    const e = await start();
    expect([...e.ipcMain.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((name) => `${CHANNEL_PREFIX}${name}`).sort());
  });

  it('refuses a foreign frame, a subframe, a gone frame and another webContents with FORBIDDEN, and does nothing', async () => {
    const e = await start();
    const keyDir = join(dir, 'simulated-keys');
    const senders: [unknown, unknown][] = [
      [{ url: 'https://evil.example/', parent: null }, undefined],
      [{ url: 'app://other/index.html', parent: null }, undefined],
      [{ url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } }, undefined],
      [{ url: 'file:///index.html', parent: null }, undefined],
      [null, undefined],
      [ourFrame, { id: -1 }],
    ];
    for (const [frame, sender] of senders) {
      const result = await invoke(e, 'addVirtualKey', {}, frame, (sender ?? e.windows[0]!.webContents) as never);
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', facts: {} } });
    }
    // No simulated key was created, no event was sent.
    expect(await readdir(keyDir)).toEqual([]);
    expect(e.windows[0]!.webContents.sent).toEqual([]);
    // The same request from our page works.
    const added = await invoke(e, 'addVirtualKey', {});
    expect(added.ok).toBe(true);
  });

  it('a router that throws still answers with a Result, without the error text', async () => {
    await start();
    const { guardedHandler } = await import('../../main/electron/ipc.js');
    const handler = guardedHandler({ handle: async () => Promise.reject(new Error('/home/someone/secret path')) }, 'listDevices', { id: 7 });
    const result = await handler({ sender: { id: 7 } as never, senderFrame: ourFrame as never }, {});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', facts: {}, details: 'Error' } });
  });

  it('malformed input from our page is BAD_REQUEST', async () => {
    const e = await start();
    expect(await invoke(e, 'listDevices', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('OS actions: Windows-only actions say so elsewhere; the doctor answers', async () => {
    const e = await start();
    if (process.platform !== 'win32') {
      expect(await invoke(e, 'restartElevated', {})).toEqual({ ok: false, error: { code: 'UNSUPPORTED', facts: { reason: 'os-action-unavailable' } } });
      expect(await invoke(e, 'openWindowsSettings', {})).toEqual({ ok: false, error: { code: 'UNSUPPORTED', facts: { reason: 'os-action-unavailable' } } });
      expect(e.shell.opened).toEqual([]);
    }
    const doctor = await invoke(e, 'runDoctor', {});
    expect(doctor.ok && (doctor.value as { checks: unknown[] }).checks.length).toBeGreaterThan(2);
  });
});

describe('simulated keys', () => {
  it('--virtual FILE adds that simulated key, listed as a simulated key', async () => {
    const file = join(dir, 'practice.json');
    const e = await start(['--virtual', file]);
    const listed = (await invoke(e, 'listDevices', {})) as Result<DeviceSummary[]>;
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    expect(listed.value).toHaveLength(1);
    expect(listed.value[0]).toMatchObject({ transport: 'virtual', model: 'Simulated key' });
    expect(listed.value[0]!.name).toMatch(/simulated/i);
    await quit(e);
    expect(existsSync(file)).toBe(true);
  });

  it('a --virtual file that cannot be used: the app starts without it and says why on stderr', async () => {
    const file = join(dir, 'corrupt.json');
    await writeFile(file, 'not json');
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const e = await start(['--virtual', file]);
    write.mockRestore();
    expect(e.windows[0]!.loadedUrl).toBe(APP_ENTRY_URL);
    expect(written.join('')).toMatch(/damaged/);
  });

  it('a bare --virtual uses the default file in the app data folder', async () => {
    const e = await start(['--virtual']);
    const listed = (await invoke(e, 'listDevices', {})) as Result<DeviceSummary[]>;
    expect(listed.ok && listed.value.length).toBe(1);
  });

  it('the menu item "Add a simulated key" adds one; the renderer hears of it', async () => {
    const e = await start();
    const keys = e.Menu.template!.find((item) => item.label === 'Keys')!;
    const add = (keys.submenu as { id?: string; label?: string; click?: () => void }[]).find((item) => item.id === 'add-simulated-key')!;
    expect(add.label).toBe('Add a simulated key');
    add.click!();
    await vi.waitFor(async () => {
      const listed = (await invoke(e, 'listDevices', {})) as Result<DeviceSummary[]>;
      expect(listed.ok && listed.value.map((d) => d.transport)).toEqual(['virtual']);
    });
    await vi.waitFor(() => expect(e.windows[0]!.webContents.sent.map((s) => s.channel)).toContain(`${EVENT_PREFIX}devicesChanged`));
  });
});
