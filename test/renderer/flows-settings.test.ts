// Every setting of a CTAP 2.1 key from the Settings page, in Chromium over the real service: always
// require verification, enterprise attestation, and a longer minimum PIN shared with websites that
// forces a new PIN. Each is confirmed with its side effects first, then reaches the key; every
// dialog and the page itself are checked in light and dark.
import { describe, expect, it } from 'vitest';
import { loadState } from '../cli/tty-session.js';
import { checkBothSchemes, enterPin, openKeyPage, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

describe('Settings', () => {
  it('always verify, enterprise attestation, minimum PIN length with websites and a forced PIN change', { timeout: 150_000 }, async () => {
    const { page, file, app } = await openKeyPage(suite, { preset: 'ctap21' });
    await page.getByRole('tab', { name: 'Settings' }).click();
    const alwaysUv = page.getByRole('switch', { name: 'Always require verification' });
    await alwaysUv.waitFor();
    await checkBothSchemes(page, 'settings');
    const dialog = page.getByRole('dialog');

    await alwaysUv.click();
    await dialog.getByText('Always require the PIN or a fingerprint').waitFor();
    await dialog.getByText(/Older sign-in methods that cannot ask for a PIN \(U2F\) stop working/).waitFor();
    await checkBothSchemes(page, 'dialog-always-uv');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await enterPin(page);
    await page.getByText('The setting was changed.').waitFor();
    await expect.poll(() => alwaysUv.isChecked()).toBe(true);

    // Enterprise attestation before the forced PIN change (which blocks PIN use until a new PIN).
    await page.getByRole('button', { name: 'Turn on' }).click();
    await dialog.getByText('Turn on enterprise attestation').waitFor();
    await dialog.getByText(/can identify this exact security key/).waitFor();
    await dialog.getByText('A reset disables enterprise attestation again.').waitFor();
    await checkBothSchemes(page, 'dialog-enterprise-attestation');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await enterPin(page);
    await page.getByText('Enterprise attestation is on.').waitFor();
    expect(await page.getByRole('button', { name: 'Turn on' }).count()).toBe(0);

    await page.getByLabel('Minimum PIN length (characters)').fill('7');
    await page.getByLabel(/Websites allowed to read/).fill('login.example.com\nsso.example.org');
    await page.getByLabel('Require a new PIN before the key is used again').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByText('Change the PIN rules of this security key').waitFor();
    await dialog.getByText('PINs on this key will need at least 7 characters.').waitFor();
    await dialog.getByText(/login.example.com, sso.example.org/).waitFor();
    await dialog.getByText('The PIN must be changed before the key can be used again.').waitFor();
    await checkBothSchemes(page, 'dialog-min-pin-length');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await enterPin(page);
    await page.getByText('Done: the minimum PIN length is 7.').waitFor();

    await app.service.flush();
    const state = await loadState(file);
    expect(state.alwaysUv).toBe(true);
    expect(state.enterpriseAttestation).toBe(true);
    expect(state.minPinLength).toBe(7);
    expect(state.minPinLengthRpIds.sort()).toEqual(['login.example.com', 'sso.example.org']);
    expect(state.forcePinChange).toBe(true);

    // Manage says what the forced change means before anything else is tried.
    await page.getByRole('tab', { name: 'Manage' }).click();
    await page.getByText(/At least 7 characters\..*This key requires a new PIN before it can be used\./).waitFor();
    expect(app.pageErrors).toEqual([]);
  });
});
