// A simulated FIDO card on the real PC/SC stack (pcscd + vsmartcard vpcd, .ci/pcscd.sh), managed
// from the app in Chromium: the empty reader waits for a card, the card appears live when tapped,
// its passkeys are listed with the PIN, it is reset (the reader switches it off and on, so the
// window starts again) and it is empty afterwards; lifting it leaves the reader waiting again.
// The test holds the one vpcd slot the NFC tests share, and is skipped without pcscd.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { attachToVpcd } from '../../ctap/virtual/vpcd.js';
import { passkey, PIN } from '../cli/tty-session.js';
import { makeCard } from '../nfc/helpers/virtual-card.js';
import { acquireSlot, realStackSkipReason, VPCD_PORT, VPCD_READER } from '../nfc/helpers/vpcd-slot.js';
import { checkBothSchemes, enterPin, openApp, tempDir, useRendererSuite } from './harness.js';

const skipReason = await realStackSkipReason();
if (skipReason !== null) console.warn(`Skipping the app's card-on-a-reader test: ${skipReason}.`);

const suite = useRendererSuite();

describe.skipIf(skipReason !== null)('A card on a PC/SC reader, from the app', () => {
  it('reader waiting → card tapped appears live → passkeys with the PIN → reset → empty → lifted', { timeout: 180_000 }, async () => {
    const fixture = makeCard({ preset: 'ctap21' });
    fixture.state.pinHash = sha256(utf8ToBytes(PIN)).slice(0, 16);
    fixture.state.pinLength = PIN.length;
    fixture.state.credentials.push(passkey({ rpId: 'card.example', user: 'carol' }));

    const release = await acquireSlot();
    const controller = new AbortController();
    let attached: Promise<void> | undefined;
    try {
      suite.temp = await tempDir();
      suite.app = await openApp(suite.browser, {
        dir: suite.temp.dir,
        // The production PC/SC discovery, limited to the vpcd reader (another reader may hold a card).
        hardwareSources: () => [{ transport: 'nfc', timeoutMs: 5_000, load: () => Promise.resolve(new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER })) }],
      });
      const { page } = suite.app;
      const list = page.getByRole('list', { name: 'Connected security keys' });
      await list.getByRole('heading', { name: VPCD_READER }).waitFor({ timeout: 15_000 });
      await list.getByText('Reader waiting for a card: tap your security key on it.').waitFor();
      await checkBothSchemes(page, 'start-reader-waiting');

      attached = attachToVpcd({ card: fixture.card, signal: controller.signal, port: VPCD_PORT });
      const manage = page.getByRole('button', { name: /^Manage / });
      await manage.waitFor({ timeout: 15_000 });
      await expect.poll(() => list.getByText('Reader waiting for a card').count()).toBe(0);
      await checkBothSchemes(page, 'start-card');
      // A card on a reader has no light to blink.
      expect(await page.getByRole('button', { name: /blink$/ }).count()).toBe(0);

      await manage.click();
      await page.getByText(/Change your security key PIN\./).waitFor();
      await page.getByRole('tab', { name: 'Passkeys' }).click();
      await page.getByRole('button', { name: 'Show passkeys' }).click();
      await enterPin(page);
      await page.getByRole('list', { name: 'card.example' }).getByText('carol').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await checkBothSchemes(page, 'passkeys-card');

      await page.getByRole('tab', { name: 'Manage' }).click();
      await page.getByRole('button', { name: 'Reset', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/Every passkey on this key is deleted/).waitFor();
      await dialog.getByLabel('I understand').check();
      await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
      await page.getByText('The security key was reset. It has no PIN, passkeys or fingerprints now.').waitFor({ timeout: 60_000 });
      await page.getByText('Add a PIN to protect your security key.').waitFor();
      expect(fixture.state.credentials).toEqual([]);
      expect(fixture.state.pinHash).toBeNull();
      expect(fixture.internalErrors).toEqual([]);

      controller.abort();
      await attached;
      await page.getByText('This security key was removed. Insert it again').waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Back to security keys' }).click();
      await list.getByText('Reader waiting for a card: tap your security key on it.').waitFor({ timeout: 15_000 });
      expect(suite.app.pageErrors).toEqual([]);
      expect(suite.app.outside).toEqual([]);
    } finally {
      controller.abort();
      await attached?.catch(() => undefined);
      release();
    }
  });
});
