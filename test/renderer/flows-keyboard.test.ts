// Keyboard only (Tab, Shift+Tab, Enter, Space, Escape; no mouse): from the Start screen to a first
// PIN and a reset. Every control reached shows its focus; focus goes into each dialog and back to
// the button that opened it; Escape in the reset's touch step cancels and aborts the key's wait,
// and nothing is reset.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadState, passkey, seedKey } from '../cli/tty-session.js';
import { isFocused, openApp, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

interface Focus {
  /** Tag, role and accessible text of the focused element, for messages. */
  label: string;
  insideDialog: boolean;
  /** The browser matches :focus-visible (keyboard focus) and something is drawn for it. */
  shown: boolean;
}

/** What has the focus, and whether a person can see that it has. */
function focus(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    type El = { tagName: string; textContent: string | null; getAttribute(name: string): string | null; matches(selector: string): boolean; closest(selector: string): unknown };
    const w = globalThis as unknown as { document: { activeElement: El | null }; getComputedStyle(element: El, pseudo?: string): Record<string, string> };
    const element = w.document.activeElement;
    if (!element) return { label: 'nothing', insideDialog: false, shown: false };
    const drawn = (style: Record<string, string>): boolean =>
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth ?? '0') > 0) ||
      (style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth ?? '0') > 0 && style.content !== 'none' && style.content !== undefined) ||
      (style.boxShadow !== undefined && style.boxShadow !== 'none');
    // Fluent draws its focus ring on ::after (or an outline / box shadow on the element itself).
    const shown = element.matches(':focus-visible') && (drawn(w.getComputedStyle(element)) || drawn(w.getComputedStyle(element, '::after')) || drawn(w.getComputedStyle(element, '::before')));
    const label = `${element.tagName.toLowerCase()}[${element.getAttribute('role') ?? element.getAttribute('type') ?? ''}] "${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? ''}"`;
    return { label, insideDialog: element.closest('[role="dialog"]') !== null, shown };
  });
}

/** Press Tab (or Shift+Tab) until `target` has the focus; every stop on the way must show it. */
async function tabTo(page: Page, target: RegExp, backwards = false): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focus(page);
    seen.push(now.label);
    expect(now.shown, `focus is not visible on ${now.label}`).toBe(true);
    if (target.test(now.label)) return;
  }
  throw new Error(`Tab never reached ${target}; it went through ${seen.join(' → ')}`);
}

describe('Keyboard only', () => {
  it('Start → Manage → first PIN → reset: Escape at the touch aborts it, then a full reset', { timeout: 150_000 }, async () => {
    suite.temp = await tempDir();
    const file = join(suite.temp.dir, 'key.json');
    const NEW_PIN = '527194';
    await seedKey(file, { preset: 'ctap21', pin: null, credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file] });
    const { page } = suite.app;
    const [key] = suite.app.keys();
    await page.getByRole('button', { name: /^Manage / }).waitFor();

    await tabTo(page, /"Manage Simulated key/);
    await page.keyboard.press('Enter');
    await page.getByText('Add a PIN to protect your security key.').waitFor();

    // First PIN: focus lands in the dialog's first field, and comes back to the button after.
    await tabTo(page, /"Add"/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Set up your security key PIN').waitFor();
    await expect.poll(async () => (await focus(page)).insideDialog).toBe(true);
    expect(await isFocused(dialog.getByLabel('New security key PIN'))).toBe(true);
    await page.keyboard.type(NEW_PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PIN);
    await page.keyboard.press('Enter');
    await page.getByText('The PIN was added.').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    const change = page.getByRole('button', { name: 'Change', exact: true });
    await expect.poll(() => isFocused(change)).toBe(true);

    // Reset, then Escape while the key waits for the touch: the run ends, the key stops waiting.
    key!.presence.script = 'manual';
    await tabTo(page, /"Reset"/);
    const resetButton = page.getByRole('button', { name: 'Reset', exact: true });
    await page.keyboard.press('Enter');
    await dialog.getByText('Reset this security key').waitFor();
    await expect.poll(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await tabTo(page, /checkbox/, true);
    await page.keyboard.press('Space');
    expect(await dialog.getByLabel('I understand').isChecked()).toBe(true);
    await tabTo(page, /"Reset"/);
    await page.keyboard.press('Enter');
    await dialog.getByText(/s left/).first().waitFor();
    await expect.poll(() => key!.presence.waiting).toBe(true);
    expect((await focus(page)).insideDialog).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => key!.presence.waiting).toBe(false);
    await expect.poll(() => isFocused(resetButton)).toBe(true);
    // Cancelled mid-ceremony: the page says plainly that nothing was reset.
    await page.getByRole('alert').getByText('Cancelled. Nothing was reset.').waitFor();
    await suite.app.service.flush();
    expect((await loadState(file)).credentials.map((c) => c.userName)).toEqual(['alice']);

    // The same again, to the end.
    await page.keyboard.press('Enter');
    await dialog.getByText('Reset this security key').waitFor();
    await expect.poll(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await tabTo(page, /checkbox/, true);
    await page.keyboard.press('Space');
    await tabTo(page, /"Reset"/);
    await page.keyboard.press('Enter');
    await touchWhenWaiting(key!);
    await page.getByText('The security key was reset. It has no PIN, passkeys or fingerprints now.').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => isFocused(resetButton)).toBe(true);
    await suite.app.service.flush();
    const state = await loadState(file);
    expect(state.credentials).toEqual([]);
    expect(state.pinHash).toBeNull();
    expect(suite.app.pageErrors).toEqual([]);
  });
});
