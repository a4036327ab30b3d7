/**
 * A stand-in `electron` module for tests (Electron cannot run on these machines): just enough of
 * app, BrowserWindow, protocol, session, shell, dialog, ipcMain, Menu, contextBridge and ipcRenderer to
 * run main/electron/* and record what it asked for. Use with
 *   const fake = vi.hoisted(() => ({ electron: undefined as unknown as FakeElectron }));
 *   vi.mock('electron', async () => (fake.electron = (await import('./fake-electron.js')).createFakeElectron()));
 */
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  openDevTools(): void {
    throw new Error('DevTools must not be opened programmatically');
  }
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler: Listener | undefined;
  permissionCheckHandler: Listener | undefined;
  devicePermissionHandler: Listener | undefined;
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener): void {
    this.devicePermissionHandler = handler;
  }
}

export interface FakeElectron {
  app: FakeApp;
  BrowserWindow: typeof FakeBrowserWindow;
  windows: FakeBrowserWindow[];
  protocol: { privileged: unknown[]; handlers: Map<string, (request: Request) => Promise<Response>>; registerSchemesAsPrivileged(schemes: unknown[]): void; handle(scheme: string, handler: (request: Request) => Promise<Response>): void };
  session: { defaultSession: FakeSession };
  shell: { opened: string[]; openExternal(url: string): Promise<void> };
  dialog: FakeDialog;
  ipcMain: { handlers: Map<string, Listener>; handle(channel: string, handler: Listener): void; removeHandler(channel: string): void };
  Menu: { template: MenuItemConstructorOptions[] | undefined; buildFromTemplate(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[]; setApplicationMenu(menu: unknown): void };
  contextBridge: { exposed: Map<string, unknown>; exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: FakeIpcRenderer;
}

/** Open / Save dialogs answering what the test queued (null: the person cancelled). */
export class FakeDialog {
  readonly calls: { kind: 'open' | 'save'; window: unknown; options: Record<string, unknown> }[] = [];
  readonly answers: (string | null)[] = [];
  async showOpenDialog(window: unknown, options?: Record<string, unknown>): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.calls.push({ kind: 'open', window: options ? window : undefined, options: options ?? (window as Record<string, unknown>) });
    const answer = this.answers.shift() ?? null;
    return answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answer] };
  }
  async showSaveDialog(window: unknown, options?: Record<string, unknown>): Promise<{ canceled: boolean; filePath: string }> {
    this.calls.push({ kind: 'save', window: options ? window : undefined, options: options ?? (window as Record<string, unknown>) });
    const answer = this.answers.shift() ?? null;
    return answer === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: answer };
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  lockAvailable = true;
  lockRequests = 0;
  quitCalls = 0;
  defaultProtocolClientCalls = 0;
  userData = join(tmpdir(), 'skm-electron-test');
  documents = tmpdir();
  appPath = process.cwd();
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  requestSingleInstanceLock(): boolean {
    this.lockRequests += 1;
    return this.lockAvailable;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  preferredSystemLanguages = ['en-US'];
  getPreferredSystemLanguages(): string[] {
    return this.preferredSystemLanguages;
  }
  /** The test's "Electron is ready". */
  becomeReady(): void {
    this.readyResolve();
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    if (name === 'documents') return this.documents;
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
  quit(): void {
    this.quitCalls += 1;
  }
  setAsDefaultProtocolClient(): boolean {
    this.defaultProtocolClientCalls += 1;
    return true;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  shown = false;
  focused = 0;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused += 1;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 20, width: 1000, height: 720 };
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return { ok: true, value: channel };
  }
}

export function createFakeElectron(): FakeElectron {
  const app = new FakeApp();
  const defaultSession = new FakeSession();
  // Electron emits web-contents-created for every webContents, the window's included.
  class BrowserWindow extends FakeBrowserWindow {
    constructor(options: BrowserWindowConstructorOptions) {
      super(options);
      app.emit('web-contents-created', {}, this.webContents);
    }
  }
  const fake: FakeElectron = {
    app,
    BrowserWindow,
    windows: FakeBrowserWindow.created,
    protocol: {
      privileged: [],
      handlers: new Map(),
      registerSchemesAsPrivileged(schemes) {
        fake.protocol.privileged.push(...schemes);
      },
      handle(scheme, handler) {
        fake.protocol.handlers.set(scheme, handler);
      },
    },
    session: { defaultSession },
    shell: {
      opened: [],
      async openExternal(url) {
        fake.shell.opened.push(url);
      },
    },
    dialog: new FakeDialog(),
    ipcMain: {
      handlers: new Map(),
      handle(channel, handler) {
        if (fake.ipcMain.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        fake.ipcMain.handlers.set(channel, handler);
      },
      removeHandler(channel) {
        fake.ipcMain.handlers.delete(channel);
      },
    },
    Menu: {
      template: undefined,
      buildFromTemplate(template) {
        fake.Menu.template = template;
        return template;
      },
      setApplicationMenu() {},
    },
    contextBridge: {
      exposed: new Map(),
      exposeInMainWorld(key, api) {
        fake.contextBridge.exposed.set(key, api);
      },
    },
    ipcRenderer: new FakeIpcRenderer(),
  };
  return fake;
}
