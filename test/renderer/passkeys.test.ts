// Passkeys, Settings and Details in Chromium over the real service: passkeys grouped by website,
// searched, renamed and deleted after a confirmation naming site and account (and gone from the
// key), the PIN asked once for all of it (main keeps the key unlocked while its pages are open);
// a CTAP 2.0 key says it cannot list passkeys; each settings change is confirmed with its
// side effects and reaches the key; Details shows every getInfo field; axe on every screen.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadState, passkey, PIN, seedKey } from '../cli/tty-session.js';
import { axeViolations, isFocused, openApp, screenshot, tempDir, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

async function openTab(tab: string, options: { preset: string; pin?: string | null; credentials?: ReturnType<typeof passkey>[]; colorScheme?: 'light' | 'dark' }): Promise<{ page: Page; file: string }> {
  suite.temp = await tempDir();
  const file = join(suite.temp.dir, 'key.json');
  await seedKey(file, { preset: options.preset, pin: options.pin, credentials: options.credentials ?? [] });
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file], colorScheme: options.colorScheme ?? 'light' });
  const { page } = suite.app;
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
  await page.getByRole('tab', { name: tab }).click();
  return { page, file };
}

/** Count the PIN questions main sends to the page from now on. */
async function countPinPrompts(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { __pins: number; skm: { on(event: string, listener: (payload: { event: { kind: string } }) => void): void } };
    w.__pins = 0;
    w.skm.on('prompt', ({ event }) => {
      if (event.kind === 'pin') w.__pins += 1;
    });
  });
  return () => page.evaluate(() => (globalThis as unknown as { __pins: number }).__pins);
}

async function enterPin(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Security key PIN').fill(PIN);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

describe('Passkeys', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`grouped by website, searched, renamed, deleted after naming site and account, one PIN entry (${colorScheme})`, { timeout: 90_000 }, async () => {
      const credentials = [
        passkey({ rpId: 'github.com', user: 'octocat', displayName: 'The Octocat' }),
        passkey({ rpId: 'github.com', user: 'hubot' }),
        passkey({ rpId: 'example.com', user: 'alice@example.com', displayName: 'Alice' }),
      ];
      const { page, file } = await openTab('Passkeys', { preset: 'ctap21', credentials, colorScheme });
      const pinPrompts = await countPinPrompts(page);
      await page.getByRole('button', { name: 'Show passkeys' }).click();
      await enterPin(page);
      const github = page.getByRole('list', { name: 'github.com' });
      await github.getByText('octocat', { exact: true }).waitFor();
      expect(await github.getByRole('listitem').count()).toBe(2);
      expect(await page.getByRole('list', { name: 'example.com' }).getByText('Alice', { exact: true }).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `passkeys-${colorScheme}`);

      await page.getByRole('searchbox').fill('alice');
      await expect.poll(() => page.getByRole('list', { name: 'github.com' }).count()).toBe(0);
      await page.getByRole('searchbox').fill('');

      await page.getByRole('button', { name: 'Edit account name of the passkey for github.com (hubot)' }).click();
      await page.getByRole('textbox', { name: 'Account name' }).fill('hubot-renamed');
      await page.getByRole('button', { name: 'Save' }).click();
      // The key is still unlocked from "Show passkeys": no PIN is asked again.
      await page.getByText('The account name was changed.').waitFor();
      await github.getByText('hubot-renamed').waitFor();

      await page.getByRole('button', { name: 'Delete the passkey for github.com (octocat)' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Delete the passkey for github.com (octocat)').waitFor();
      expect(await dialog.getByLabel('Security key PIN').count()).toBe(0);
      await dialog.getByText(/no longer be able to sign in to github.com as octocat/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `dialog-delete-passkey-${colorScheme}`);
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('The passkey for github.com (octocat) was deleted.').waitFor();
      // Polled: the list is hidden from the accessibility tree until the modal has closed.
      await expect.poll(() => github.getByRole('listitem').count()).toBe(1);

      await suite.app!.service.flush();
      const state = await loadState(file);
      expect(state.credentials.map((c) => c.userName).sort()).toEqual(['alice@example.com', 'hubot-renamed']);
      expect(await pinPrompts()).toBe(1);
      expect(suite.app!.pageErrors).toEqual([]);
    });
  }

  it('focus moved into the search box as the listing ends stays there (assistive technology moves it without keys or clicks)', { timeout: 60_000 }, async () => {
    const { page } = await openTab('Passkeys', { preset: 'ctap21', credentials: [passkey({ rpId: 'github.com', user: 'hubot' })] });
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    await enterPin(page);
    await page.getByRole('list', { name: 'github.com' }).getByText('hubot', { exact: true }).waitFor();
    // Within the half second the run's focus restoring may still look: it must leave a text field alone.
    const search = page.getByRole('searchbox');
    await search.focus();
    await page.waitForTimeout(700);
    expect(await isFocused(search)).toBe(true);
    await search.fill('nothing-matches');
    await page.getByText('No passkey matches "nothing-matches".').waitFor();
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('a CTAP 2.0 key says it cannot list passkeys instead of showing an empty list', { timeout: 60_000 }, async () => {
    const { page } = await openTab('Passkeys', { preset: 'ctap20' });
    await page.getByText('This key cannot list passkeys (it supports CTAP 2.0 only).').waitFor();
    expect(await page.getByRole('button', { name: 'Show passkeys' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText(/This key has no settings that can be changed/).waitFor();
  });
});

describe('Settings and Details', () => {
  it('always require verification and a longer minimum PIN, each confirmed with its side effects', { timeout: 90_000 }, async () => {
    const { page, file } = await openTab('Settings', { preset: 'ctap21' });
    const alwaysUv = page.getByRole('switch', { name: 'Always require verification' });
    await alwaysUv.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'settings-light');
    await alwaysUv.click();
    // The side effects come first, before the PIN is asked for.
    const dialog = page.getByRole('dialog');
    await dialog.getByText('A reset turns this off again.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dialog-always-uv-light');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await enterPin(page);
    await page.getByText('The setting was changed.').waitFor();
    await expect.poll(() => alwaysUv.isChecked()).toBe(true);

    await page.getByLabel('Minimum PIN length (characters)').fill('3');
    await page.getByText(/can only go up until the key is reset/).waitFor();
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await page.getByLabel('Minimum PIN length (characters)').fill('8');
    await page.getByLabel(/Websites allowed to read/).fill('login.example.com');
    await page.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByText('PINs on this key will need at least 8 characters.').waitFor();
    await dialog.getByText(/login.example.com/).waitFor();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await enterPin(page);
    await page.getByText('Done: the minimum PIN length is 8.').waitFor();

    await suite.app!.service.flush();
    const state = await loadState(file);
    expect(state.alwaysUv).toBe(true);
    expect(state.minPinLength).toBe(8);
  });

  it('Details: model, firmware, AAGUID, every field in words and raw (light and dark)', { timeout: 60_000 }, async () => {
    const { page } = await openTab('Details', { preset: 'ctap21' });
    await page.getByRole('button', { name: 'Copy AAGUID' }).waitFor();
    await page.getByRole('cell', { name: 'Largest message (bytes)' }).waitFor();
    await page.getByRole('cell', { name: 'Can store passkeys', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'details-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'details-dark');

    await page.getByRole('tab', { name: 'Windows & Entra ID' }).click();
    await page.getByText('This key has everything Microsoft requires of a security key.').waitFor();
    await page.getByRole('heading', { name: 'Offline sign-in (hmac-secret)' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'readiness-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'readiness-light');
  });

  it('Windows & Entra ID readiness names what a CTAP 2.0 key without a PIN lacks', { timeout: 60_000 }, async () => {
    const { page } = await openTab('Windows & Entra ID', { preset: 'ctap20', pin: null });
    await page.getByText(/requirements? (is|are) missing/).waitFor();
    const pinCard = page.getByRole('heading', { name: 'PIN set up' }).locator('xpath=../..');
    expect(await pinCard.getByText('Missing').isVisible()).toBe(true);
  });
});
