// The Manage page in Chromium over the real service and simulated keys: set the first PIN with
// the keyboard only (the PIN is nowhere in the page afterwards), a wrong PIN shows the tries left
// with the raw code hidden until "Details" is opened, reset through confirm → remove → reinsert →
// touch with the countdown, and fingerprint enrolment with guidance for poor samples.
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadState, passkey, PIN, seedKey } from '../cli/tty-session.js';
import { axeViolations, openApp, screenshot, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

async function openKey(options: { preset: string; pin?: string | null; credentials?: ReturnType<typeof passkey>[]; colorScheme?: 'light' | 'dark'; pinRetries?: number }): Promise<{ page: Page; file: string }> {
  suite.temp = await tempDir();
  const file = join(suite.temp.dir, 'key.json');
  const { pinRetries } = options;
  await seedKey(file, {
    preset: options.preset,
    pin: options.pin,
    credentials: options.credentials ?? [],
    ...(pinRetries !== undefined ? { change: (state) => void (state.pinRetries = pinRetries) } : {}),
  });
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file], colorScheme: options.colorScheme ?? 'light' });
  const { page } = suite.app;
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
  return { page, file };
}

/** Everything a PIN could hide in: the serialised DOM (text and attributes) and every input's value. */
async function pageHolds(page: Page, secret: string): Promise<boolean> {
  const html = await page.content();
  const values = await page.evaluate(() =>
    [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ value: string }> } }).document.querySelectorAll('input, textarea')].map((i) => i.value),
  );
  return html.includes(secret) || values.some((v) => v.includes(secret));
}

describe('Manage', () => {
  it('first PIN, keyboard only: too short is refused before the second entry; the PIN is gone from the page after', { timeout: 60_000 }, async () => {
    const { page, file } = await openKey({ preset: 'ctap21', pin: null });
    const NEW_PIN = '482916';
    await page.getByText('Add a PIN to protect your security key.').waitFor();
    await page.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Set up your security key PIN').waitFor();
    await page.keyboard.type('48');
    await dialog.getByText('Add 2 more characters.').waitFor();
    expect(await dialog.getByLabel('Confirm security key PIN').isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-pin-new-light');
    await page.keyboard.type('2916');
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PIN);
    await page.keyboard.press('Enter');
    await page.getByText('The PIN was added.').waitFor();
    // The dialog leaves a moment after the run ends (its exit transition).
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await pageHolds(page, NEW_PIN)).toBe(false);
    await page.getByText('Change your security key PIN.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'manage-light');

    await suite.app!.service.flush();
    const state = await loadState(file);
    expect(bytesToHex(state.pinHash!)).toBe(bytesToHex(sha256(utf8ToBytes(NEW_PIN)).slice(0, 16)));
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('change PIN with a wrong PIN: tries left in plain words, the code only behind Details', { timeout: 60_000 }, async () => {
    const { page } = await openKey({ preset: 'ctap21', colorScheme: 'dark' });
    await page.getByText('8 tries left before the key locks.').waitFor();
    await screenshot(page, 'manage-dark');
    const change = page.getByRole('button', { name: 'Change', exact: true });
    const dialog = page.getByRole('dialog');
    // Escape cancels the prompt (and the key operation): no error, focus back on the button.
    await change.click();
    await dialog.getByText('Change your security key PIN').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => change.evaluate((button) => button === (button.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);

    await change.click();
    await dialog.getByText('Change your security key PIN').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-pin-current-dark');
    await dialog.getByLabel('Security key PIN').fill('000000');
    await dialog.getByRole('button', { name: 'OK' }).click();
    // The key checks the current PIN only when the change is sent, after the new PIN is chosen.
    await dialog.getByLabel('New security key PIN').fill('24681357');
    await dialog.getByLabel('Confirm security key PIN').fill('24681357');
    await dialog.getByRole('button', { name: 'OK' }).click();

    const alert = page.getByRole('alert');
    await alert.getByText('That PIN is wrong. 7 tries left.').waitFor();
    expect(await alert.getByText(/PIN_INVALID/).isVisible()).toBe(false);
    expect(await page.getByText(/CTAP2_ERR/).isVisible()).toBe(false);
    await page.getByText('7 tries left before the key locks.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await alert.getByText('Details').click();
    await alert.getByText(/Code: PIN_INVALID/).waitFor();
    expect(await alert.getByText(/CTAP2_ERR_PIN_INVALID/).isVisible()).toBe(true);
    await screenshot(page, 'error-details-dark');
    expect(await pageHolds(page, '000000')).toBe(false);
    expect(await pageHolds(page, '24681357')).toBe(false);
  });

  it('reset, keyboard only: what is lost → I understand → remove → insert → touch with the countdown → empty key', { timeout: 60_000 }, async () => {
    const { page, file } = await openKey({ preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const [key] = suite.app!.keys();
    key!.presence.script = 'manual';
    await page.getByRole('button', { name: 'Reset', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Reset this security key').waitFor();
    await dialog.getByText(/Every passkey on this key is deleted/).waitFor();
    const confirm = dialog.getByRole('button', { name: 'Reset', exact: true });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-reset-confirm-light');
    // Cancel has the focus; the reset button opens only once "I understand" is ticked.
    await expect.poll(() => dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === (b.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    expect(await dialog.getByLabel('I understand').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await dialog.getByText(/s left/).first().waitFor();
    await dialog.getByText('Remove the key — Done').waitFor();
    await dialog.getByText('Insert it again — Done').waitFor();
    expect(await dialog.getByRole('progressbar').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-reset-touch-light');
    await touchWhenWaiting(key!);
    await page.getByText('The security key was reset. It has no PIN, passkeys or fingerprints now.').waitFor();
    await page.getByText('Add a PIN to protect your security key.').waitFor();

    await suite.app!.service.flush();
    const state = await loadState(file);
    expect(state.credentials).toEqual([]);
    expect(state.pinHash).toBeNull();
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('fingerprint on a bio key: guidance for each poor sample, then it is listed and can be removed', { timeout: 60_000 }, async () => {
    const { page, file } = await openKey({ preset: 'bio' });
    const [key] = suite.app!.keys();
    key!.presence.script = 'manual';
    // The simulated finger: too fast, then a poor sample, then good ones.
    key!.config.bio.sampleScript = [0x05, 0x07];
    await page.getByRole('button', { name: 'Set up' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Security key PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await touchWhenWaiting(key!);
    await dialog.getByText(/That was too fast/).waitFor();
    await touchWhenWaiting(key!);
    await dialog.getByText(/The sample was not clear/).waitFor();
    await dialog.getByText('0 of 4 samples').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-enroll-light');
    for (let sample = 0; sample < 4; sample++) await touchWhenWaiting(key!);
    await page.getByText('Fingerprint added.').waitFor();

    await page.getByRole('button', { name: 'Show fingerprints' }).click();
    await dialog.getByLabel('Security key PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('list', { name: 'Fingerprints on this key' }).getByText('Unnamed fingerprint').waitFor();
    await page.getByRole('button', { name: 'Remove Unnamed fingerprint' }).click();
    await dialog.getByLabel('Security key PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.getByText(/Remove the fingerprint/).waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Fingerprint removed.').waitFor();
    await suite.app!.service.flush();
    expect((await loadState(file)).templates).toEqual([]);
  });

  it('a key pulled mid-operation: a clear message, and the page carries on once it is back', { timeout: 60_000 }, async () => {
    const { page } = await openKey({ preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    const [key] = suite.app!.keys();
    await page.getByRole('tab', { name: 'Passkeys' }).click();
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Security key PIN').waitFor();
    key!.remove();
    await dialog.getByLabel('Security key PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('alert').getByText('The security key was removed.').waitFor();
    await page.getByText('This security key was removed. Insert it again').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'key-removed-light');

    key!.insert();
    await expect.poll(() => page.getByText('This security key was removed. Insert it again').count()).toBe(0);
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    await dialog.getByLabel('Security key PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('list', { name: 'example.com' }).getByText('alice').waitFor();
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('a locked PIN says so and offers the reset right there', { timeout: 60_000 }, async () => {
    const { page } = await openKey({ preset: 'ctap21', pinRetries: 0 });
    await page.getByText('0 tries left before the key locks.').waitFor();
    await page.getByRole('button', { name: 'Change', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('The PIN is locked: too many wrong PINs.').waitFor();
    await alert.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('dialog').getByText('Reset this security key').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });
});
