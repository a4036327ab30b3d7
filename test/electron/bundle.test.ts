// The built main-process bundle (dist/electron/main.cjs, CommonJS) starts: run in a plain Node
// child process with a stand-in `electron` (Electron itself cannot run here), it registers the
// privileged scheme, the app:// handler and every IPC channel, opens a simulated key from
// --virtual, and loads the entry page — so the bundling (CommonJS, import.meta, native modules
// left external) is proven, not only the sources.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../main/cli/build.mjs';
import { CHANNEL_NAMES, CHANNEL_PREFIX } from '../../main/ipc/contract.js';
import { APP_ENTRY_URL } from '../../main/electron/security.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A CommonJS stand-in for `electron`, installed with `node -r`; prints what main asked for. */
const STUB = `
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const calls = [];
const app = Object.assign(new EventEmitter(), {
  isPackaged: true,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  // A German OS: the shell loads the German catalogue from inside the bundle.
  getPreferredSystemLanguages: () => ['de-DE'],
  getAppPath: () => process.env.SKM_APP_ROOT,
  getPath: () => process.env.SKM_USER_DATA,
  quit: () => calls.push(['quit']),
});
class WebContents extends EventEmitter { constructor() { super(); this.id = 1; } setWindowOpenHandler() {} send() {} isDestroyed() { return false; } }
class BrowserWindow extends EventEmitter {
  constructor(options) { super(); this.webContents = new WebContents(); app.emit('web-contents-created', {}, this.webContents); calls.push(['window', options.webPreferences]); }
  async loadURL(url) { calls.push(['loadURL', url]); process.stdout.write(JSON.stringify(calls)); process.exit(0); }
}
const session = { defaultSession: Object.assign(new EventEmitter(), { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {} }) };
const electron = {
  app, BrowserWindow, session,
  protocol: { registerSchemesAsPrivileged: (schemes) => calls.push(['privileged', schemes]), handle: (scheme) => calls.push(['handle', scheme]) },
  shell: { openExternal: async () => {} },
  ipcMain: { handle: (channel) => calls.push(['ipc', channel]), removeHandler() {} },
  Menu: { buildFromTemplate: (template) => template, setApplicationMenu() {} },
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'electron' ? electron : load.call(this, request, ...rest); };
`;

describe('dist/electron/main.cjs', () => {
  let dir: string;
  let main: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skm-main-bundle-'));
    main = (await buildElectron({ outdir: join(dir, 'electron') }))[0]!;
    await writeFile(join(dir, 'stub-electron.cjs'), STUB);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with a stand-in electron: scheme, handler, every channel, a simulated key, the entry page', async () => {
    const keyFile = join(dir, 'practice.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', join(dir, 'stub-electron.cjs'), main, '--virtual', keyFile], {
      cwd: root,
      // The bundle sits in a temporary folder: its external (native) modules come from ours.
      env: { ...process.env, NODE_PATH: join(root, 'node_modules'), SKM_APP_ROOT: root, SKM_USER_DATA: join(dir, 'user-data') },
      timeout: 30_000,
    });
    const calls = JSON.parse(stdout) as [string, unknown][];
    expect(calls[0]).toEqual(['privileged', [{ scheme: 'app', privileges: { standard: true, secure: true } }]]);
    expect(calls).toContainEqual(['handle', 'app']);
    expect(calls.filter(([kind]) => kind === 'ipc').map(([, channel]) => channel)).toEqual(CHANNEL_NAMES.map((name) => `${CHANNEL_PREFIX}${name}`));
    expect(calls.find(([kind]) => kind === 'window')![1]).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
    expect(calls.at(-1)).toEqual(['loadURL', APP_ENTRY_URL]);
    // The simulated key from --virtual was opened (its state file created) before the page loaded.
    expect(existsSync(keyFile)).toBe(true);
  });
});
