// Start screen in Chromium over the real service: no key → how to connect one; a key plugged in
// while the app is open appears live with its model and "Simulated"; several keys → touch to
// choose; axe finds nothing on either screen in light and dark.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedKey } from '../cli/tty-session.js';
import { axeViolations, openApp, screenshot, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

describe('Start', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`no key, then one plugged in live, then one added from the app (${colorScheme})`, { timeout: 60_000 }, async () => {
      suite.temp = await tempDir();
      const file = join(suite.temp.dir, 'plugged.json');
      await seedKey(file, { preset: 'ctap21' });
      suite.app = await openApp(suite.browser, { dir: suite.temp.dir, colorScheme, files: [file] });
      const { page } = suite.app;
      const [key] = suite.app.keys();
      key!.remove();
      await page.getByText('Insert your security key into the USB port, or tap it on your NFC reader.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `start-empty-${colorScheme}`);

      key!.insert();
      const list = page.getByRole('list', { name: 'Connected security keys' });
      await list.getByRole('heading', { name: 'Simulated key' }).waitFor();
      await expect.poll(() => page.getByText('Insert your security key into the USB port').count()).toBe(0);
      expect(await list.getByText('Security Key Manager · Simulated').isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `start-one-key-${colorScheme}`);

      await page.getByRole('button', { name: 'Add a simulated key' }).click();
      await expect.poll(() => page.getByRole('button', { name: /^Manage / }).count()).toBe(2);
      await page.getByText('Several security keys are connected').waitFor();
      expect(suite.app.outside).toEqual([]);
      expect(suite.app.pageErrors).toEqual([]);
    });
  }

  it('two keys: touch the one you want, and it opens', { timeout: 60_000 }, async () => {
    suite.temp = await tempDir();
    const files = [join(suite.temp.dir, 'a.json'), join(suite.temp.dir, 'b.json')];
    for (const file of files) await seedKey(file, { preset: 'ctap21' });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files });
    const { page } = suite.app;
    await expect.poll(() => page.getByRole('button', { name: /^Manage / }).count()).toBe(2);
    await page.getByText('Several security keys are connected').waitFor();
    const [, second] = suite.app.keys();
    for (const key of suite.app.keys()) key.presence.script = 'manual';
    await page.getByRole('button', { name: 'Touch the key you want' }).click();
    await page.getByText('Touch the security key you want to use.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'start-touch-to-choose-light');
    await touchWhenWaiting(second!);
    await page.getByRole('tab', { name: 'Manage' }).waitFor();
    await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Simulated key');
    expect(suite.app.pageErrors).toEqual([]);
  });
});
