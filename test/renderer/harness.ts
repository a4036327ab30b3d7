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
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES, type Events, type EventName } from '../../main/ipc/contract.js';
import { IpcRouter, type SystemActions } from '../../main/ipc/router.js';
import { KeyService, type KeyServiceOptions } from '../../main/service/key-service.js';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import type { StoredCredential, VirtualKeyState } from '../../ctap/virtual/state.js';
import { PIN, seedKey } from '../cli/tty-session.js';

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
  system?: Partial<SystemActions>;
  hardwareSources?: KeyServiceOptions['hardwareSources'];
}

export async function openApp(browser: Browser, options: OpenOptions): Promise<AppSession> {
  // As main/electron/main.ts: the PIN is asked once for a key's passkeys while its pages are open.
  // No hardware unless a test brings its own (the PC/SC reader of the card test).
  const service = new KeyService({ virtualFiles: options.files ?? [], hardwareSources: options.hardwareSources ?? (() => []), keepUnlocked: true });
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
  const router = new IpcRouter({ service, emit, virtualKeyDir: options.dir, ...(options.system ? { system: options.system } : {}) });
  // Under tsx (the benchmarks) esbuild keeps function names by wrapping them in __name(); the
  // functions this file hands to the page carry those calls, so the page gets a do-nothing helper.
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await page.exposeBinding('__skmInvoke', (_source, channel: string, input: unknown) => router.handle(channel, input));
  // Every channel and event of the contract, as the preload exposes them.
  await page.addInitScript(
    ({ channels, events }) => {
      type Listener = (payload: unknown) => void;
      const listeners: Record<string, Set<Listener>> = Object.fromEntries(events.map((event) => [event, new Set<Listener>()]));
      const w = globalThis as unknown as Record<string, unknown> & { __skmInvoke(channel: string, input: unknown): Promise<unknown> };
      w.__skmEmit = (event: string, payload: unknown): void => listeners[event]?.forEach((listener) => listener(payload));
      const api: Record<string, unknown> = Object.fromEntries(channels.map((channel) => [channel, (input: unknown) => w.__skmInvoke(channel, input)]));
      api.on = (event: string, listener: Listener): (() => void) => {
        listeners[event]?.add(listener);
        return () => listeners[event]?.delete(listener);
      };
      w.skm = api;
    },
    { channels: [...CHANNEL_NAMES], events: [...EVENT_NAMES] },
  );
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
  await pageSettled(page);
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

/** Switch the page's colour scheme as the OS would, and wait until the app has painted the new theme. */
export async function setColorScheme(page: Page, colorScheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme });
  // App follows matchMedia's change event; two frames later the new theme is painted.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const w = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
        w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve(undefined)));
      }),
  );
  // Fluent's controls fade their colours into the new theme (CSS transitions, not skipped for
  // reduced motion); axe must see the settled colours, not a frame halfway between two themes.
  await pageSettled(page);
}

/**
 * Wait (at most 2 s) until the page is still: no CSS transition or Web Animation running (a
 * dialog's backdrop fading out, or colours fading into a theme, would be measured halfway), and
 * once the last dialog is gone, the page no longer hidden from assistive technology (Fluent's focus
 * manager lifts the `aria-hidden` it put on the page a few hundred ms after the dialog unmounts).
 */
async function pageSettled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    type Running = { finished: Promise<unknown>; effect: { getTiming(): { iterations?: number } } | null };
    const d = (globalThis as unknown as { document: { getAnimations(): Running[]; querySelector(selector: string): unknown } }).document;
    // A spinner turns forever; only animations that end can be waited for.
    const ending = () => d.getAnimations().filter((animation) => animation.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY);
    const until = Date.now() + 2000;
    // An animation that ends may start another (enter then settle), so look again until none runs.
    for (let running = ending(); running.length > 0 && Date.now() < until; running = ending()) {
      const settled = Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())))]);
    }
    const hiddenWithoutDialog = () => d.querySelector('[role="dialog"], [role="alertdialog"]') === null && d.querySelector('#root[aria-hidden="true"]') !== null;
    while (hiddenWithoutDialog() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  });
}

/**
 * The screen or dialog as it is now, in both themes: axe finds nothing in either, and a
 * screenshot of each is written as `NAME-light.png` / `NAME-dark.png`. Leaves the page in light.
 */
export async function checkBothSchemes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await setColorScheme(page, colorScheme);
    expect(await axeViolations(page), `${name} (${colorScheme})`).toEqual([]);
    await screenshot(page, `${name}-${colorScheme}`);
  }
  await setColorScheme(page, 'light');
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

export type TempDir = Awaited<ReturnType<typeof tempDir>>;

/** One browser per test file, and what the running test opened, cleaned up after it. */
export interface RendererSuite {
  /** Launched before the file's first test, closed after its last. */
  readonly browser: Browser;
  /** The app the test opened last: closed after the test (only this one, as a test may replace it). */
  app: AppSession | undefined;
  /** The test's temporary folder: removed after the test. */
  temp: TempDir | undefined;
}

/**
 * The set-up every renderer test file shares: build the renderer if needed and launch Chromium
 * once, then after each test close its app and remove its folder. Call at the top of the file.
 */
export function useRendererSuite(): RendererSuite {
  let browser: Browser | undefined;
  const suite: RendererSuite = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
    app: undefined,
    temp: undefined,
  };
  beforeAll(async () => {
    await ensureBuilt();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await suite.app?.close();
    suite.app = undefined;
    await suite.temp?.remove();
  });
  return suite;
}

export interface KeyPageOptions {
  preset: string;
  /** The key's PIN (default tty-session's PIN); null for none. */
  pin?: string | null;
  credentials?: StoredCredential[];
  colorScheme?: 'light' | 'dark';
  /** Any other change to the seeded state (retries, settings). */
  change?: (state: VirtualKeyState) => void;
}

/** Seed one simulated key in a fresh folder, open the app on it (as the suite's app) and open its Manage page. */
export async function openKeyPage(suite: RendererSuite, options: KeyPageOptions): Promise<{ page: Page; file: string; app: AppSession; key: VirtualKey }> {
  suite.temp = await tempDir();
  const file = join(suite.temp.dir, 'key.json');
  await seedKey(file, { preset: options.preset, pin: options.pin, credentials: options.credentials ?? [], ...(options.change ? { change: options.change } : {}) });
  const app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file], colorScheme: options.colorScheme ?? 'light' });
  suite.app = app;
  const { page } = app;
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
  const [key] = app.keys();
  if (!key) throw new Error('the app has no simulated key');
  return { page, file, app, key };
}

/** Answer the operation dialog's "Security key PIN" question. */
export async function enterPin(page: Page, pin = PIN): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Security key PIN').fill(pin);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

/** The CTAP command bytes the simulated key receives from now on, in order. */
export function recordCommands(key: VirtualKey): number[] {
  const commands: number[] = [];
  const authenticator = key.authenticator;
  const handle = authenticator.handle.bind(authenticator);
  authenticator.handle = (request, io) => {
    commands.push(request[0]!);
    return handle(request, io);
  };
  return commands;
}

/** Whether `locator`'s element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === (element.ownerDocument as { activeElement: unknown }).activeElement);
}
