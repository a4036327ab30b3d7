/**
 * The app's renderer (dist/renderer, built by `npm run build:renderer`) in Debian's Chromium over
 * the real service, as test/renderer/harness.ts runs it: the gzipped JS against the 300 KB budget,
 * the time from navigation to the first key listed on Start, and the JS heap after 100 passkeys
 * are listed (CDP Runtime.getHeapUsage after a forced garbage collection).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { loadState, passkey, PIN, seedKey } from '../cli/tty-session.js';
import { distDir, enterPin, ensureBuilt, launchBrowser, openApp, tempDir } from '../renderer/harness.js';
import { fmt, median } from './measure.js';

const RUNS = 7;
const BUDGET_KB = 300;

async function gzippedJs(): Promise<{ files: number; raw: number; gzipped: number }> {
  const assets = join(distDir, 'assets');
  let raw = 0;
  let gzipped = 0;
  const names = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  for (const name of names) {
    const code = await readFile(join(assets, name));
    raw += code.length;
    gzipped += gzipSync(code, { level: 9 }).length;
  }
  return { files: names.length, raw, gzipped };
}

/** The page's own clock (ms since navigation started) once `selector` is in the DOM. */
async function pageTimeWhen(page: Page, selector: string): Promise<number> {
  await page.waitForSelector(selector, { timeout: 30_000 });
  return page.evaluate(() => performance.now());
}

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / (1024 * 1024);
}

export async function rendererBenchmarks(print: (line: string) => void): Promise<void> {
  await ensureBuilt();
  print('### App renderer (Chromium, dist/renderer)');
  const bundle = await gzippedJs();
  print(`| measure | value |`);
  print(`|---|---|`);
  print(`| renderer JS (${bundle.files} file${bundle.files === 1 ? '' : 's'}), raw / gzip -9 | ${fmt(bundle.raw / 1024, 1)} KB / ${fmt(bundle.gzipped / 1024, 1)} KB (budget ${BUDGET_KB} KB) |`);

  const browser = await launchBrowser();
  try {
    const loaded: number[] = [];
    const listed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const temp = await tempDir();
      const file = join(temp.dir, 'key.json');
      await seedKey(file, { preset: 'ctap21' });
      const app = await openApp(browser, { dir: temp.dir, files: [file] });
      try {
        listed.push(await pageTimeWhen(app.page, '[aria-label^="Manage "]'));
        // The page's navigation timing (a DOM type the Node side's lib does not declare).
        loaded.push(await app.page.evaluate(() => (globalThis as unknown as { performance: { getEntriesByType(type: string): { loadEventEnd: number }[] } }).performance.getEntriesByType('navigation')[0]!.loadEventEnd));
      } finally {
        await app.close();
        await temp.remove();
      }
    }
    print(`| navigation → load event, median of ${RUNS} | ${fmt(median(loaded), 0)} ms |`);
    print(`| navigation → first key listed on Start, median of ${RUNS} | ${fmt(median(listed), 0)} ms (fastest ${fmt(Math.min(...listed), 0)}, slowest ${fmt(Math.max(...listed), 0)}) |`);

    const temp = await tempDir();
    const file = join(temp.dir, 'key.json');
    const credentials = Array.from({ length: 100 }, (_, i) => passkey({ rpId: `rp${i % 10}.example`, user: `user${i}@example.com`, displayName: `User ${i}` }));
    await seedKey(file, { preset: 'ctap21', credentials });
    const app = await openApp(browser, { dir: temp.dir, files: [file] });
    try {
      const { page } = app;
      await page.getByRole('button', { name: /^Manage / }).click();
      await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
      await page.getByRole('tab', { name: 'Passkeys' }).click();
      const before = await heapUsedMb(page);
      const start = Date.now();
      await page.getByRole('button', { name: 'Show passkeys' }).click();
      await enterPin(page, PIN);
      await page.getByRole('list', { name: 'rp9.example' }).getByText('user99@example.com', { exact: true }).waitFor({ timeout: 60_000 });
      const shownMs = Date.now() - start;
      const items = await page.locator('ul[aria-label$=".example"] > li').count();
      if (items !== 100) throw new Error(`expected 100 passkeys listed, saw ${items}`);
      const after = await heapUsedMb(page);
      print(`| JS heap on Passkeys before listing (after GC) | ${fmt(before, 1)} MB |`);
      print(`| JS heap with 100 passkeys over 10 websites listed (after GC) | ${fmt(after, 1)} MB (+${fmt(after - before, 1)} MB) |`);
      print(`| Show passkeys → 100 listed (PIN typed by the test, simulated key) | ${fmt(shownMs, 0)} ms |`);
      await app.service.flush();
      if ((await loadState(file)).credentials.length !== 100) throw new Error('the key lost passkeys while listing');
    } finally {
      await app.close();
      await temp.remove();
    }
  } finally {
    await browser.close();
  }
  print('');
}
