// Several keys in Chromium over the real service, in light and dark: "touch the key you want"
// opens the touched one; that key pulled out leaves its page in place with a plain notice, and it
// carries on when the key is plugged in again, without a reload.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedKey } from '../cli/tty-session.js';
import { checkBothSchemes, openApp, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

describe('Two keys', () => {
  it('touch to choose (light and dark), then the chosen key pulled out and plugged in again', { timeout: 120_000 }, async () => {
    suite.temp = await tempDir();
    const files = [join(suite.temp.dir, 'a.json'), join(suite.temp.dir, 'b.json')];
    await seedKey(files[0]!, { preset: 'ctap21' });
    await seedKey(files[1]!, { preset: 'bio' });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files, colorScheme: 'dark' });
    const { page } = suite.app;
    await expect.poll(() => page.getByRole('button', { name: /^Manage / }).count()).toBe(2);
    const [first, second] = suite.app.keys();
    for (const key of suite.app.keys()) key.presence.script = 'manual';
    await page.getByRole('button', { name: 'Touch the key you want' }).click();
    await page.getByText('Touch the security key you want to use.').waitFor();
    await expect.poll(() => first!.presence.waiting && second!.presence.waiting).toBe(true);
    await checkBothSchemes(page, 'start-touch-to-choose');
    await touchWhenWaiting(second!);
    // The bio key opened: its page has the fingerprint card; the other key stopped waiting.
    await page.getByRole('heading', { name: 'Security Key Fingerprint' }).waitFor();
    await expect.poll(() => first!.presence.waiting).toBe(false);

    second!.remove();
    await page.getByText('This security key was removed. Insert it again (or tap it on the reader) to carry on.').waitFor();
    await checkBothSchemes(page, 'key-removed');
    second!.insert();
    await expect.poll(() => page.getByText('This security key was removed.').count()).toBe(0);
    await page.getByRole('heading', { name: 'Security Key Fingerprint' }).waitFor();
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.getByRole('button', { name: 'Copy AAGUID' }).waitFor();
    expect(suite.app.pageErrors).toEqual([]);
    expect(suite.app.outside).toEqual([]);
  });
});
