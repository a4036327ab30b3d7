// The reset ceremony step by step in Chromium over the real service: confirm what is lost, remove
// the key, insert it again, touch it within the window → an empty key; and a reset that reaches
// the key after its window → "too late", naming the window's length, with nothing lost. Each
// step's dialog is checked (axe, screenshot) in light and dark.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { loadState, passkey } from '../cli/tty-session.js';
import { checkBothSchemes, openKeyPage, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();
const RESET = 0x07;

/**
 * The simulated key's replug, held: the reset ceremony asks for it (the service removes and
 * inserts a simulated key itself), and the test carries it out when it has looked at the step.
 */
function holdReplug(key: VirtualKey): { asked(phase: 'remove' | 'insert'): Promise<void>; remove(): void; insert(): void } {
  const remove = key.remove.bind(key);
  const insert = key.insert.bind(key);
  const signal = (): { promise: Promise<void>; resolve(): void } => {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve: () => resolve() };
  };
  const waiting = { remove: signal(), insert: signal() };
  key.remove = () => waiting.remove.resolve();
  key.insert = () => waiting.insert.resolve();
  const bounded = (phase: 'remove' | 'insert'): Promise<void> =>
    Promise.race([waiting[phase].promise, new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error(`the reset never asked to ${phase} the key`)), 15_000))]);
  return { asked: bounded, remove, insert };
}

async function confirmReset(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await dialog.getByText(/Every passkey on this key is deleted/).waitFor();
  await dialog.getByLabel('I understand').check();
  await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
}

describe('Reset', () => {
  it('confirm → remove → insert → touch within the window → an empty key (every step in light and dark)', { timeout: 150_000 }, async () => {
    const { page, file, app, key } = await openKeyPage(suite, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    key.presence.script = 'manual';
    const replug = holdReplug(key);
    const dialog = page.getByRole('dialog');
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await dialog.getByText(/Every passkey on this key is deleted/).waitFor();
    await checkBothSchemes(page, 'dialog-reset-confirm');
    await dialog.getByLabel('I understand').check();
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();

    const steps = dialog.getByRole('list', { name: 'Steps' });
    const current = steps.locator('[aria-current="step"]');
    await replug.asked('remove');
    await expect.poll(() => current.textContent()).toBe('Remove the key');
    await checkBothSchemes(page, 'dialog-reset-remove');
    replug.remove();

    await replug.asked('insert');
    await expect.poll(() => current.textContent()).toBe('Insert it again');
    await steps.getByText('Remove the key — Done').waitFor();
    await checkBothSchemes(page, 'dialog-reset-insert');
    replug.insert();

    await expect.poll(() => current.textContent()).toBe('Touch it');
    await steps.getByText('Insert it again — Done').waitFor();
    await dialog.getByText(/s left/).first().waitFor();
    await checkBothSchemes(page, 'dialog-reset-touch');
    await touchWhenWaiting(key);
    await page.getByText('The security key was reset. It has no PIN, passkeys or fingerprints now.').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByText('Add a PIN to protect your security key.').waitFor();
    await checkBothSchemes(page, 'reset-done');

    await app.service.flush();
    const state = await loadState(file);
    expect(state.credentials).toEqual([]);
    expect(state.pinHash).toBeNull();
    expect(app.pageErrors).toEqual([]);
  });

  it('a late reset: "too late" with the window length, and nothing was reset', { timeout: 90_000 }, async () => {
    const { page, file, app, key } = await openKeyPage(suite, { preset: 'ctap21', credentials: [passkey({ rpId: 'example.com', user: 'alice' })] });
    // The spec's window (§6.6), which is also what the app knows of a simulated key's.
    const windowMs = key.config.reset.windowMs;
    expect(windowMs).toBe(10_000);
    // The reset command reaches the key after its window, as behind a slow hub: held past the
    // window, with keepalives so the host keeps waiting, then handed to the key.
    const authenticator = key.authenticator;
    const handle = authenticator.handle.bind(authenticator);
    authenticator.handle = async (request, io) => {
      if (request[0] === RESET) {
        const until = Date.now() + windowMs + 500;
        while (Date.now() < until) {
          io.keepalive('processing');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      return handle(request, io);
    };
    await confirmReset(page);
    const alert = page.getByRole('alert');
    await alert.getByText('Too late: this key accepts a reset only within 10 seconds after it is plugged in. Nothing was reset.').waitFor({ timeout: 30_000 });
    await alert.getByText(/Start the reset again and touch the key as soon as it blinks/).waitFor();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await checkBothSchemes(page, 'reset-too-late');

    await app.service.flush();
    const state = await loadState(file);
    expect(state.credentials.map((c) => c.userName)).toEqual(['alice']);
    expect(state.pinHash).not.toBeNull();
    expect(app.pageErrors).toEqual([]);
  });
});
