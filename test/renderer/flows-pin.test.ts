// Changing the PIN in Chromium over the real service: a wrong current PIN says how many tries are
// left (the code only behind Details); a new PIN shorter than the key's minimum is refused in the
// dialog and nothing reaches the key; the right PIN then changes it. Every dialog in light and dark.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { loadState, PIN } from '../cli/tty-session.js';
import { checkBothSchemes, enterPin, openKeyPage, recordCommands, useRendererSuite } from './harness.js';

const suite = useRendererSuite();
const CLIENT_PIN = 0x06;

describe('Change PIN', () => {
  it('wrong PIN → tries left; too short → refused before anything is sent; then changed', { timeout: 120_000 }, async () => {
    const NEW_PIN = '97531864';
    const { page, file, app, key } = await openKeyPage(suite, { preset: 'ctap21', change: (state) => void (state.minPinLength = 8) });
    await page.getByText('At least 8 characters. 8 tries left before the key locks.').waitFor();
    const change = page.getByRole('button', { name: 'Change', exact: true });
    const dialog = page.getByRole('dialog');

    // A wrong current PIN: the key says so when the change is sent.
    await change.click();
    await dialog.getByText('Change your security key PIN').waitFor();
    await checkBothSchemes(page, 'dialog-pin-current');
    await enterPin(page, '00000000');
    await dialog.getByLabel('New security key PIN').fill(NEW_PIN);
    await dialog.getByLabel('Confirm security key PIN').fill(NEW_PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('That PIN is wrong. 7 tries left.').waitFor();
    expect(await alert.getByText(/PIN_INVALID/).isVisible()).toBe(false);
    await alert.getByText('Details').click();
    await alert.getByText(/Code: PIN_INVALID/).waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await checkBothSchemes(page, 'error-details');

    // The right current PIN, then a new one that is too short for this key.
    await change.click();
    await dialog.getByText('7 tries left before the key locks.').waitFor();
    await enterPin(page);
    const newPin = dialog.getByLabel('New security key PIN');
    await newPin.waitFor();
    const commands = recordCommands(key);
    await newPin.fill('123456');
    await dialog.getByText('Add 2 more characters.').waitFor();
    expect(await dialog.getByLabel('Confirm security key PIN').isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'OK' }).isDisabled()).toBe(true);
    await newPin.press('Enter');
    await checkBothSchemes(page, 'dialog-pin-new');
    // Still asking, and the key heard nothing of it.
    expect(await newPin.isVisible()).toBe(true);
    expect(commands.filter((command) => command === CLIENT_PIN)).toEqual([]);

    await newPin.fill(NEW_PIN);
    await dialog.getByLabel('Confirm security key PIN').fill(NEW_PIN);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await page.getByText('The PIN was changed.').waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByText('At least 8 characters. 8 tries left before the key locks.').waitFor();
    expect(commands).toContain(CLIENT_PIN);

    await app.service.flush();
    const state = await loadState(file);
    expect(bytesToHex(state.pinHash!)).toBe(bytesToHex(sha256(utf8ToBytes(NEW_PIN)).slice(0, 16)));
    expect(bytesToHex(state.pinHash!)).not.toBe(bytesToHex(sha256(utf8ToBytes(PIN)).slice(0, 16)));
    expect(app.pageErrors).toEqual([]);
  });
});
