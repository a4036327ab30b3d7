// A fingerprint on the bio preset, in Chromium over the real service: enrolment with poor samples
// between good ones (each poor one says what to do and does not count), then the fingerprint is
// listed, renamed and removed after a confirmation naming it — and the key agrees each time.
import { describe, expect, it } from 'vitest';
import { loadState } from '../cli/tty-session.js';
import { checkBothSchemes, enterPin, openKeyPage, touchWhenWaiting, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

/** lastEnrollSampleStatus codes (CTAP 2.1 §6.7.1): good, poor quality, too fast. */
const GOOD = 0x00;
const POOR_QUALITY = 0x07;
const TOO_FAST = 0x05;

describe('Fingerprints', () => {
  it('enrol with poor samples in between, then rename and remove it', { timeout: 120_000 }, async () => {
    const { page, file, app, key } = await openKeyPage(suite, { preset: 'bio' });
    key.presence.script = 'manual';
    key.config.bio.sampleScript = [GOOD, POOR_QUALITY, GOOD, TOO_FAST];
    await page.getByText('Set up a fingerprint to sign in with your security key.').waitFor();
    await page.getByRole('button', { name: 'Set up' }).click();
    const dialog = page.getByRole('dialog');
    await enterPin(page);

    await touchWhenWaiting(key);
    await dialog.getByText('1 of 4 samples').waitFor();
    await touchWhenWaiting(key);
    await dialog.getByText(/The sample was not clear/).waitFor();
    // The poor sample does not count.
    expect(await dialog.getByText('1 of 4 samples').isVisible()).toBe(true);
    await checkBothSchemes(page, 'dialog-enroll');
    await touchWhenWaiting(key);
    await dialog.getByText('2 of 4 samples').waitFor();
    await touchWhenWaiting(key);
    await dialog.getByText(/That was too fast/).waitFor();
    expect(await dialog.getByText('2 of 4 samples').isVisible()).toBe(true);
    await touchWhenWaiting(key);
    await dialog.getByText('3 of 4 samples').waitFor();
    await touchWhenWaiting(key);
    await page.getByText('Fingerprint added.').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByText('Add another fingerprint, or rename or remove the ones you have.').waitFor();

    await page.getByRole('button', { name: 'Show fingerprints' }).click();
    await enterPin(page);
    const list = page.getByRole('list', { name: 'Fingerprints on this key' });
    await list.getByText('Unnamed fingerprint').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await checkBothSchemes(page, 'fingerprints');

    await page.getByRole('button', { name: 'Rename Unnamed fingerprint' }).click();
    await page.getByRole('textbox', { name: 'New name' }).fill('Right index');
    await page.getByRole('button', { name: 'Save' }).click();
    await enterPin(page);
    await page.getByText('Fingerprint renamed.').waitFor();
    await list.getByText('Right index').waitFor();
    await app.service.flush();
    expect((await loadState(file)).templates.map((template) => template.friendlyName)).toEqual(['Right index']);

    await page.getByRole('button', { name: 'Remove Right index' }).click();
    await enterPin(page);
    await dialog.getByText(/Remove the fingerprint/).waitFor();
    await dialog.getByText(/Right index/).first().waitFor();
    await checkBothSchemes(page, 'dialog-remove-fingerprint');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Fingerprint removed.').waitFor();
    await expect.poll(() => list.count()).toBe(0);
    await app.service.flush();
    expect((await loadState(file)).templates).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
