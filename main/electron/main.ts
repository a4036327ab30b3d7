/**
 * The desktop app's main process: one instance, one hardened window, the renderer from app://,
 * the IPC contract bound to a KeyService (DESIGN.md "Electron shell"). The security decisions live
 * in security.ts / window-options.ts / harden.ts / app-protocol.ts; this file only wires them in
 * the order Electron needs (privileged scheme before ready, handlers before the first window).
 *
 * `npm start -- --virtual [FILE]` and Keys › Add a simulated key add practice keys (listed as
 * "Simulated key"); never registered as a protocol client (no app.setAsDefaultProtocolClient).
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, session, shell } from 'electron';
import { Copy } from '../copy/index.js';
import { loadCatalogue, matchLanguage } from '../copy/languages.js';
import { IpcRouter } from '../ipc/router.js';
import type { DiscoverySource } from '../service/device-manager.js';
import { KeyService, type Result } from '../service/key-service.js';
import type { DeviceSummary } from '../service/operations/info.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { dialogWords, shellFileDialogs } from './file-dialogs.js';
import { hardenSession, hardenWebContents } from './harden.js';
import { bindIpc, emitTo } from './ipc.js';
import { parseLaunchOptions, type LaunchOptions } from './launch-options.js';
import { appMenuTemplate } from './menu.js';
import { APP_ENTRY_URL, APP_SCHEME } from './security.js';
import { shellSystemActions } from './system-actions.js';
import { windowOptions } from './window-options.js';

export interface MainOverrides {
  /** The app's own arguments (default: process.argv without the executable and app path). */
  args?: string[];
  /** Replaces USB + NFC discovery (tests). */
  hardwareSources?: () => DiscoverySource[];
}

/** A relaunch as administrator waits this long for the old instance to save and exit. */
const RELAUNCH_LOCK_WAIT_MS = 15_000;
const RELAUNCH_LOCK_POLL_MS = 250;

const openExternal = (url: string): Promise<void> => shell.openExternal(url);

/** The service, remembering which simulated keys this session opened (a relaunch reopens them). */
class SimulatedKeysKeptService extends KeyService {
  readonly virtualFiles: string[] = [];

  override async addVirtualKey(options: { file: string; preset?: string; signal?: AbortSignal }): Promise<Result<DeviceSummary>> {
    const added = await super.addVirtualKey(options);
    if (added.ok) this.virtualFiles.push(options.file);
    return added;
  }
}

/** The single-instance lock; a relaunched copy retries while the old one is still closing. */
async function acquireSingleInstance(launch: LaunchOptions): Promise<boolean> {
  if (app.requestSingleInstanceLock()) return true;
  if (!launch.relaunched) return false;
  const deadline = Date.now() + RELAUNCH_LOCK_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RELAUNCH_LOCK_POLL_MS));
    if (app.requestSingleInstanceLock()) return true;
  }
  return false;
}

export async function main(overrides: MainOverrides = {}): Promise<void> {
  // Before 'ready' (Electron's rule): app:// is a standard, secure origin like https.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
  const launch = parseLaunchOptions(overrides.args ?? process.argv.slice(app.isPackaged ? 1 : 2));
  if (!(await acquireSingleInstance(launch))) {
    app.quit();
    return;
  }
  let window: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));

  await app.whenReady();
  // The shell's words (title, menu) in the OS language, as the renderer starts in it too.
  const language = matchLanguage(app.getPreferredSystemLanguages());
  const copy = new Copy('app', language, await loadCatalogue(language));
  hardenSession(session.defaultSession);
  const appRoot = app.getAppPath();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(appRoot, 'dist', 'renderer')));

  const virtualKeyDir = join(app.getPath('userData'), 'simulated-keys');
  mkdirSync(virtualKeyDir, { recursive: true });
  // The PIN is asked once for a key's passkeys while its pages are open (main/service/unlocked-key.ts).
  const service = new SimulatedKeysKeptService({ keepUnlocked: true, ...(overrides.hardwareSources ? { hardwareSources: overrides.hardwareSources } : {}) });
  const launchFiles = launch.virtualKeys.map((file) => file ?? join(virtualKeyDir, 'simulated-key.json'));

  const win = new BrowserWindow(
    windowOptions({
      preloadPath: join(appRoot, 'dist', 'electron', 'preload.cjs'),
      isPackaged: app.isPackaged,
      title: copy.t('shell.windowTitle'),
      ...(launch.bounds ? { bounds: launch.bounds } : {}),
    }),
  );
  window = win;
  const router = new IpcRouter({
    service,
    emit: emitTo(win.webContents),
    virtualKeyDir,
    system: shellSystemActions({
      app,
      shell,
      window: () => window,
      virtualFiles: () => [...service.virtualFiles],
    }),
    dialogs: shellFileDialogs({ dialog, window: () => window, words: dialogWords((key) => copy.t(key)), documents: () => app.getPath('documents') }),
  });
  const unbind = bindIpc(router, win.webContents);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        words: { keys: copy.t('shell.menu.keys'), addSimulatedKey: copy.t('shell.menu.addSimulatedKey'), quit: copy.t('shell.menu.quit'), view: copy.t('shell.menu.view') },
        isPackaged: app.isPackaged,
        // The same path as the renderer's request; the new key arrives as a devicesChanged event.
        onAddSimulatedKey: () => void router.handle('addVirtualKey', {}),
      }),
    ),
  );
  for (const file of launchFiles) {
    const added = await service.addVirtualKey({ file, ...(launch.virtualPreset !== undefined ? { preset: launch.virtualPreset } : {}) });
    // The app still starts; whoever passed --virtual on a command line reads why there is no key.
    if (!added.ok) process.stderr.write(`${copy.error(added.error).message}\n`);
  }

  win.once('ready-to-show', () => {
    if (launch.maximized) win.maximize();
    win.show();
  });
  win.on('closed', () => {
    window = undefined;
    unbind();
    router.close();
  });
  app.on('window-all-closed', () => app.quit());
  // Every way out (last window closed, Quit, a relaunch as administrator) passes here: exit only
  // once the simulated keys are saved and their files unlocked — a relaunched copy opens them next.
  let serviceClosed = false;
  app.on('will-quit', (event) => {
    if (serviceClosed) return;
    event.preventDefault();
    void service.close().finally(() => {
      serviceClosed = true;
      app.quit();
    });
  });
  await win.loadURL(APP_ENTRY_URL);
}
