// Every main screen and dialog of the app in the pseudo-locale (40 % longer, bracketed), German
// and French, checked for clipped or overflowing text (see overflow.ts): the start page with no
// key and with several, Diagnostics (a Windows and a Linux report), Prepare keys (a profile's
// mistakes, then a valid plan), a key's Manage, Passkeys (with the data stored with a passkey,
// and deleting it), Settings, Details (getInfo's CBOR and the large-blob storage) and Windows
// pages, the PIN, fingerprint, confirmation and reset dialogs, and the error bar with its
// details. Also: the OS language is the default, the language picker switches and remembers,
// and <html lang> follows.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { Copy } from '../../main/copy/index.js';
import { loadCatalogue, PSEUDO_LOCALE, type DisplayLanguage } from '../../main/copy/languages.js';
import { runDoctor, type DoctorProbes, type DoctorReport } from '../../main/service/doctor.js';
import { passkey, PIN, seedKey } from '../cli/tty-session.js';
import { openApp, screenshot, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';
import { findOverflows, type Overflow } from './overflow.js';

const suite = useRendererSuite();

/** The doctor's report of a Windows PC that is not elevated, then of a Linux PC without udev rule or pcscd. */
function doctorReports(): () => Promise<DoctorReport> {
  let calls = 0;
  const base: DoctorProbes = {
    platform: 'linux',
    arch: 'x64',
    versions: { node: '20.20.2', electron: '45.4.1' },
    hid: async () => ({ loaded: true, fidoDevices: [{ path: '/dev/hidraw0', openable: false, error: 'EACCES' }] }),
    pcsc: async () => ({ state: 'not-running', error: 'no service' }),
    udevRules: async () => [],
    isElevated: async () => false,
    windowsBuild: () => null,
  };
  const windows: Partial<DoctorProbes> = {
    platform: 'win32',
    windowsBuild: () => 22631,
    hid: async () => ({ loaded: true, fidoDevices: [{ path: '\\\\?\\hid#vid_1050', openable: false, error: 'could not open device' }] }),
    pcsc: async () => ({ state: 'running', readers: ['ACS ACR122U'] }),
  };
  return () => runDoctor({ ...base, ...(calls++ === 0 ? windows : {}) });
}

/** A broken profile (three mistakes) and a valid one with an allow list. */
const BROKEN_PROFILE = '{ "reset": "sometimes", "pin": { "mode": "random", "length": 3 }, "forcePinChnage": true }';
const VALID_PROFILE = '{ "reset": "if-pin-set", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "alwaysUv": true, "label": "KEY-{n}", "accept": { "allow": ["61ddbe7a-8d4c-493c-8787-366dafc32987"] } }';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The texts of one language, as the suite.app words them, and a matcher for a text whatever its facts. */
async function wordsOf(language: DisplayLanguage): Promise<{ t(key: string, facts?: Record<string, unknown>): string; matching(key: string): RegExp }> {
  const copy = new Copy('app', language, await loadCatalogue(language));
  const t = (key: string, facts: Record<string, unknown> = {}): string => copy.t(`app.${key}`, facts);
  const any = '\u0000';
  return { t, matching: (key) => new RegExp(`^${t(key, { name: any, rpId: any, account: any }).split(any).map(escape).join('.*')}$`) };
}

/** Overflows on the page now, filed under the screen's name (only screens that have some). */
async function check(page: Page, found: Record<string, Overflow[]>, screen: string, language: string): Promise<void> {
  // Fluent's dialogs and message bars animate in; measure what stays, not a frame of the motion.
  await page.waitForTimeout(300);
  const overflows = await findOverflows(page);
  if (overflows.length) found[screen] = overflows;
  await screenshot(page, `lang-${language}-${screen.replace(/\W+/g, '-')}`);
}

async function everyScreen(language: DisplayLanguage, viewport?: { width: number; height: number }): Promise<Record<string, Overflow[]>> {
  const found: Record<string, Overflow[]> = {};
  const w = await wordsOf(language);
  const size = viewport ? `-${viewport.width}` : '';
  suite.temp = await tempDir();

  // The start page: no key, then several simulated keys.
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, language, system: { runDoctor: doctorReports() }, ...(viewport ? { viewport } : {}) });
  let page = suite.app.page;
  await page.getByText(w.t('start.insert')).waitFor();
  await check(page, found, `start-empty${size}`, language);

  // Diagnostics from Start: a Windows report with its buttons, then a Linux one with a command.
  await page.getByRole('button', { name: w.t('start.diagnosticsLink') }).click();
  const checks = page.getByRole('list', { name: w.t('diagnostics.checksLabel') });
  await checks.waitFor();
  await checks.getByText(w.t('diagnostics.details')).first().click();
  await check(page, found, `diagnostics-windows${size}`, language);
  await page.getByRole('button', { name: w.t('diagnostics.rerun') }).click();
  await checks.getByRole('button', { name: w.t('diagnostics.copyCommand') }).first().waitFor();
  await check(page, found, `diagnostics-linux${size}`, language);
  await page.getByRole('button', { name: w.t('nav.back') }).click();
  const add = page.getByRole('button', { name: w.t('start.addSimulated') });
  await add.click();
  await page.getByRole('button', { name: w.matching('start.manageLabel') }).first().waitFor();
  await add.click();
  await page.getByText(w.t('start.several')).waitFor();
  await check(page, found, `start-several${size}`, language);

  // Prepare keys: a profile's mistakes listed, then a valid profile's plan and where PINs go.
  await page.getByRole('button', { name: w.t('prepare.nav') }).click();
  const profile = page.getByLabel(w.t('prepare.profile.label'));
  await profile.fill(BROKEN_PROFILE);
  await page.getByRole('list', { name: w.t('prepare.profile.mistakesLabel') }).waitFor();
  await check(page, found, `prepare-mistakes${size}`, language);
  await profile.fill(VALID_PROFILE);
  await page.getByText(w.t('prepare.profile.valid')).waitFor();
  await page.getByLabel(w.t('prepare.run.report')).fill(join(suite.temp.dir, 'a-rather-long-folder-name', 'security-keys-report.csv'));
  await page.getByRole('list', { name: w.t('prepare.plan.listLabel') }).waitFor();
  await check(page, found, `prepare-plan${size}`, language);
  await suite.app.close();
  suite.app = undefined;

  // One key with a PIN, passkeys (one with text stored with it, one with binary data, and data of
  // a deleted passkey) and a fingerprint sensor: every page and dialog of a key.
  const file = join(suite.temp.dir, 'key.json');
  const octocat = passkey({ rpId: 'github.com', user: 'octocat', displayName: 'The Octocat', largeBlobKey: true });
  const alexandra = passkey({ rpId: 'login.microsoftonline.com', user: 'alexandra.longname@contoso.onmicrosoft.com', largeBlobKey: true });
  const blobs = serializeLargeBlobArray([
    sealLargeBlob(octocat.largeBlobKey!, new TextEncoder().encode('ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t')),
    sealLargeBlob(alexandra.largeBlobKey!, Uint8Array.from({ length: 96 }, (_, i) => (i * 37) & 0xff)),
    sealLargeBlob(new Uint8Array(32).fill(3), new TextEncoder().encode('orphaned')),
  ]);
  await seedKey(file, { preset: 'bio', credentials: [octocat, alexandra], change: (state) => void (state.largeBlobArray = blobs) });
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file], language, ...(viewport ? { viewport } : {}) });
  page = suite.app.page;
  const [key] = suite.app.keys();
  key!.presence.script = 'manual';
  await page.getByRole('button', { name: w.matching('start.manageLabel') }).click();
  await page.getByRole('heading', { name: w.t('manage.pinTitle') }).waitFor();
  await check(page, found, `manage${size}`, language);

  const dialog = page.getByRole('dialog');
  const ok = dialog.getByRole('button', { name: w.t('pinDialog.ok') });
  await page.getByRole('button', { name: w.t('manage.change'), exact: true }).click();
  await dialog.getByLabel(w.t('pinDialog.current')).waitFor();
  await check(page, found, `pin-dialog-current${size}`, language);
  await dialog.getByLabel(w.t('pinDialog.current')).fill('000000');
  await ok.click();
  await dialog.getByLabel(w.t('pinDialog.newPin')).fill('2468');
  await check(page, found, `pin-dialog-new${size}`, language);
  await dialog.getByLabel(w.t('pinDialog.newPin')).fill('24681357');
  await dialog.getByLabel(w.t('pinDialog.confirmPin')).fill('24681357');
  await ok.click();
  const alert = page.getByRole('alert');
  await alert.getByText(w.t('errorBar.details')).click();
  await alert.getByText(/PIN_INVALID/).first().waitFor();
  await check(page, found, `error-bar-details${size}`, language);

  // Fingerprint enrolment: the touch prompt and the samples' progress.
  key!.config.bio.sampleScript = [0x07];
  await page.getByRole('button', { name: w.t('manage.setUp') }).click();
  await dialog.getByLabel(w.t('pinDialog.current')).fill(PIN);
  await ok.click();
  await touchWhenWaiting(key!);
  await dialog.getByText(w.t('enrollDialog.samples', { done: 0, total: 4 })).waitFor();
  await check(page, found, `enroll-dialog${size}`, language);
  for (let sample = 0; sample < 4; sample++) await touchWhenWaiting(key!);
  await page.getByText(w.t('manage.fingerprintAdded')).first().waitFor();

  await page.getByRole('tab', { name: w.t('nav.passkeys') }).click();
  await page.getByRole('button', { name: w.t('passkeys.show') }).click();
  await dialog.getByLabel(w.t('pinDialog.current')).fill(PIN);
  await ok.click();
  await page.getByRole('list', { name: 'github.com' }).waitFor();
  await check(page, found, `passkeys${size}`, language);
  await page.getByRole('button', { name: w.matching('passkeys.deleteLabel') }).first().click();
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).waitFor();
  await check(page, found, `confirm-delete-passkey${size}`, language);
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).click();
  await expect.poll(() => dialog.count()).toBe(0);

  // The data stored with a passkey (as hexadecimal), deleting it, and removing orphaned data.
  await page.getByRole('button', { name: w.matching('passkeys.viewBlobLabel') }).last().click();
  const data = page.getByRole('region', { name: w.matching('passkeys.blobRegion') }).last();
  await data.getByText(w.t('passkeys.blobAsHex')).waitFor();
  await check(page, found, `passkey-data${size}`, language);
  await data.getByRole('button', { name: w.matching('passkeys.deleteBlobLabel') }).click();
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).waitFor();
  await check(page, found, `confirm-delete-blob${size}`, language);
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).click();
  await expect.poll(() => dialog.count()).toBe(0);
  await page.getByRole('button', { name: w.t('passkeys.prune') }).click();
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).waitFor();
  await check(page, found, `confirm-prune-blobs${size}`, language);
  await dialog.getByRole('button', { name: w.t('confirmDialog.cancel') }).click();
  await expect.poll(() => dialog.count()).toBe(0);

  for (const [tab, ready] of [['nav.settings', 'settings.minPinTitle'], ['nav.details', 'details.allFields'], ['nav.readiness', 'readiness.heading']] as const) {
    await page.getByRole('tab', { name: w.t(tab) }).click();
    await page.getByText(w.t(ready)).first().waitFor();
    // Amounts in the language's own digit grouping (the bio key's largest message: 1200 bytes).
    if (tab === 'nav.details' && language === 'de') await page.getByRole('cell', { name: '1.200', exact: true }).waitFor();
    // Details: getInfo in CBOR and the large-blob storage line.
    if (tab === 'nav.details') {
      await page.getByRole('region', { name: w.t('details.cborLabel') }).waitFor();
      await page.getByText(w.t('details.largeBlobStorage'), { exact: true }).waitFor();
      // The storage figures in the language's digit grouping too (1024 bytes in all).
      if (language === 'de') await page.getByText(/ von 1\.024 Byte belegt$/).waitFor();
    }
    await check(page, found, `${tab.split('.')[1]}${size}`, language);
  }

  // Reset: what is lost, then remove → insert → touch with the countdown.
  await page.getByRole('tab', { name: w.t('nav.manage') }).click();
  await page.getByRole('button', { name: w.t('manage.reset'), exact: true }).click();
  await dialog.getByLabel(w.t('confirmDialog.understood')).waitFor();
  await check(page, found, `confirm-reset${size}`, language);
  await dialog.getByLabel(w.t('confirmDialog.understood')).check();
  await dialog.getByRole('button', { name: w.t('confirmDialog.confirmDestructive.reset'), exact: true }).click();
  await dialog.getByRole('progressbar').waitFor();
  await check(page, found, `reset-steps${size}`, language);
  await touchWhenWaiting(key!);
  await page.getByText(w.t('manage.resetDone')).waitFor();
  await check(page, found, `manage-after-reset${size}`, language);
  expect(suite.app.pageErrors).toEqual([]);
  return found;
}

describe('languages in Chromium', () => {
  for (const language of [PSEUDO_LOCALE, 'de', 'fr'] as const) {
    it(`${language}: no text is clipped or overflows on any screen or dialog`, { timeout: 180_000 }, async () => {
      expect(await everyScreen(language)).toEqual({});
    });
  }

  it('qps-ploc at the smallest window (640 × 520): nothing clipped either', { timeout: 180_000 }, async () => {
    expect(await everyScreen(PSEUDO_LOCALE, { width: 640, height: 520 })).toEqual({});
  });

  it('the OS language by default; the picker switches, remembers, and sets <html lang>', { timeout: 60_000 }, async () => {
    suite.temp = await tempDir();
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, locale: 'fr-CA' });
    const { page } = suite.app;
    const fr = await wordsOf('fr');
    const de = await wordsOf('de');
    await page.getByRole('heading', { name: fr.t('start.heading') }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('fr');
    expect(await page.title()).toBe(fr.t('title'));
    // Keyboard only: the picker is named and reachable with Tab.
    const picker = page.getByRole('combobox', { name: fr.t('language.label') });
    let steps = 0;
    while (!(await picker.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)) && steps++ < 20) await page.keyboard.press('Tab');
    expect(steps).toBeLessThan(20);
    await picker.selectOption('de');
    await page.getByRole('heading', { name: de.t('start.heading') }).waitFor();
    await page.getByText(de.t('start.insert')).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('de');
    // Remembered across a restart of the page, over the OS language.
    await page.reload();
    await page.getByText(de.t('start.insert')).waitFor();
    await page.getByRole('combobox', { name: de.t('language.label') }).selectOption('system');
    await page.getByText(fr.t('start.insert')).waitFor();
    await page.reload();
    await page.getByText(fr.t('start.insert')).waitFor();
    // The pseudo-locale is not offered to people.
    expect(await page.getByRole('option', { name: PSEUDO_LOCALE }).count()).toBe(0);
    expect(suite.app.pageErrors).toEqual([]);
  });
});
