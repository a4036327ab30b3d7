// The built renderer in Debian's Chromium, with `window.skm` bridged to a real IpcRouter over a
// real KeyService and simulated keys — the Electron preload's place taken by exposeBinding and an
// init script. Pages are served from dist/renderer through page.route (no server, no port) under
// the app's CSP, and every other request is refused, so a test fails if the page reaches out.
// Not a test file itself.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Events, EventName } from '../../main/ipc/contract.js';
import { IpcRouter } from '../../main/ipc/router.js';
import { KeyService } from '../../main/service/key-service.js';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const distDir = join(root, 'dist', 'renderer');
export const screenshotDir = join(root, 'test', 'renderer', '__screenshots__');
const APP = 'http://app.test/';

/** The CSP main/electron applies to the window, so the bundle is tested under the same rules. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'none'";

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Build the renderer when dist/renderer is missing (CI builds it in `npm ci` → prepare). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(distDir, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.mts'), logLevel: 'warn' });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
}

export interface AppSession {
  page: Page;
  context: BrowserContext;
  service: KeyService;
  router: IpcRouter;
  /** Requests the page tried outside the app (must stay empty). */
  outside: string[];
  /** Errors the page logged or threw. */
  pageErrors: string[];
  /** The simulated keys behind the service, for presence and sensor scripts. */
  keys(): VirtualKey[];
  close(): Promise<void>;
}

export interface OpenOptions {
  files?: string[];
  colorScheme?: 'light' | 'dark';
  dir: string;
  /** The OS languages the page sees (navigator.languages); English unless a test says otherwise. */
  locale?: string;
  /** A language forced with `?lang=` (an app language, or the pseudo-locale "qps-ploc"). */
  language?: string;
  viewport?: { width: number; height: number };
}

export async function openApp(browser: Browser, options: OpenOptions): Promise<AppSession> {
  const service = new KeyService({ virtualFiles: options.files ?? [], hardwareSources: () => [] });
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1000, height: 760 },
    reducedMotion: 'reduce',
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const outside: string[] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(APP)) {
      outside.push(url);
      return route.abort();
    }
    const path = normalize(decodeURIComponent(new URL(url).pathname)).replace(/^\/+/, '') || 'index.html';
    const file = join(distDir, path);
    if (!file.startsWith(distDir) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (extname(file) === '.html') headers['content-security-policy'] = CSP;
    return route.fulfill({ status: 200, headers, body: await readFile(file) });
  });

  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    void page.evaluate(([name, data]) => (globalThis as unknown as { __skmEmit(e: string, p: unknown): void }).__skmEmit(name, data), [event, payload] as const).catch(() => undefined);
  };
  const router = new IpcRouter({ service, emit, virtualKeyDir: options.dir });
  await page.exposeBinding('__skmInvoke', (_source, channel: string, input: unknown) => router.handle(channel, input));
  await page.addInitScript(() => {
    type Listener = (payload: unknown) => void;
    const listeners: Record<string, Set<Listener>> = { devicesChanged: new Set(), prompt: new Set() };
    const w = globalThis as unknown as Record<string, unknown> & { __skmInvoke(channel: string, input: unknown): Promise<unknown> };
    w.__skmEmit = (event: string, payload: unknown): void => listeners[event]?.forEach((listener) => listener(payload));
    const call = (channel: string) => (input: unknown) => w.__skmInvoke(channel, input);
    w.skm = {
      listDevices: call('listDevices'),
      runOperation: call('runOperation'),
      cancelOperation: call('cancelOperation'),
      answerPrompt: call('answerPrompt'),
      cancelPrompt: call('cancelPrompt'),
      addVirtualKey: call('addVirtualKey'),
      on(event: string, listener: Listener): () => void {
        listeners[event]?.add(listener);
        return () => listeners[event]?.delete(listener);
      },
    };
  });
  await page.goto(`${APP}index.html${options.language ? `?lang=${encodeURIComponent(options.language)}` : ''}`);

  return {
    page,
    context,
    service,
    router,
    outside,
    pageErrors,
    keys: () => (service as unknown as { virtualKeys: { keys: VirtualKey[] }[] }).virtualKeys.flatMap((files) => files.keys),
    close: async () => {
      router.close();
      await context.close();
      await service.close();
    },
  };
}

const axeSource = (async () => readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'))();

/** axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function axeViolations(page: Page): Promise<{ id: string; help: string; nodes: string[] }[]> {
  // page.evaluate is not subject to the page's CSP, which forbids inline scripts. Once per page.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    // Tabster's focus sentinels (aria-hidden <i tabindex=0>, Fluent's focus management) hand focus
    // on at once and are never read; axe cannot know that, so they are left out.
    const result = await axe.run({ include: [(globalThis as unknown as { document: unknown }).document], exclude: [['[data-tabster-dummy]']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Save a screenshot under test/renderer/__screenshots__/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Touch a simulated key whose presence script is 'manual', as soon as it waits for a touch. */
export async function touchWhenWaiting(key: VirtualKey, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!key.presence.waiting) {
    if (Date.now() > until) throw new Error('the key never waited for a touch');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  key.presence.touch();
}

export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'skm-renderer-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
