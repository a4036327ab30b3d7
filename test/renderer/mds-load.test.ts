// Loading a FIDO Metadata Service BLOB in the app, in Chromium over the real service: without a
// shell there are no Open dialogs, so Diagnostics' card shows its own two file fields; a BLOB
// with a root it is not signed through is refused in words; with its own root it loads (number,
// next update, models listed), Details then shows the model's facts, and Forget drops them.
// Prepare keys with attestation required is refused in words without a BLOB and runs with one
// (even one past its next update, which the card warns of).
// axe in light and dark.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seedKey } from '../cli/tty-session.js';
import { testMds } from '../provisioning/mds-fixture.js';
import { axeViolations, checkBothSchemes, openApp, tempDir, useRendererSuite } from './harness.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const REQUIRED = '{ "accept": { "attestation": "required" }, "reset": "never", "pin": { "mode": "random", "length": 8 } }';

const suite = useRendererSuite();

const file = (name: string, text: string): { name: string; mimeType: string; buffer: Buffer } => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(text) });

async function details(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back to security keys' }).click();
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('button', { name: 'Copy AAGUID' }).waitFor();
}

describe('Diagnostics: FIDO Metadata Service', () => {
  it('loads a BLOB through the page\'s own file fields; Details shows its facts until it is forgotten', { timeout: 90_000 }, async () => {
    suite.temp = await tempDir();
    const key = join(suite.temp.dir, 'key.json');
    await seedKey(key, { preset: 'ctap21' });
    const [mds, other] = await Promise.all([testMds(), testMds()]);
    const blob = await mds.blob([{ aaguid: SIMULATED, description: 'Simulated key for practice', statuses: ['FIDO_CERTIFIED_L1'] }]);
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [key] });
    const { page } = suite.app;
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    const card = page.getByRole('region', { name: 'FIDO Metadata Service' });
    await card.getByText('No BLOB is loaded.').waitFor();

    // No shell: Load shows the card's own fields, and both files are needed.
    await card.getByRole('button', { name: 'Load BLOB…' }).click();
    await card.getByRole('button', { name: 'Use these files' }).click();
    await card.getByText('Choose the BLOB and the root certificate it is signed through.').waitFor();
    await card.getByLabel('BLOB file (blob.jwt)').setInputFiles(file('blob.jwt', blob));
    await card.getByLabel('Root certificate (PEM)').setInputFiles(file('other.pem', other.rootPem));
    await card.getByRole('button', { name: 'Use these files' }).click();
    await card.getByRole('alert').getByText(/it is not signed through the given root certificate/).waitFor();
    expect(await card.getByText('No BLOB is loaded.').isVisible()).toBe(true);
    await checkBothSchemes(page, 'diagnostics-mds-refused');

    await card.getByLabel('Root certificate (PEM)').setInputFiles(file('root.pem', mds.rootPem));
    await card.getByRole('button', { name: 'Use these files' }).click();
    await card.getByText('A BLOB is loaded.').waitFor();
    const facts = card.getByRole('definition');
    expect(await facts.allInnerTexts()).toEqual(['42', '2045-01-01', '1']);
    expect(await card.getByRole('alert').count()).toBe(0);
    await checkBothSchemes(page, 'diagnostics-mds-loaded');

    await details(page);
    const section = page.getByRole('region', { name: 'FIDO Metadata Service' });
    await section.getByText('Simulated key for practice').waitFor();
    expect(await section.getByText('FIDO_CERTIFIED_L1').count()).toBe(2);
    await checkBothSchemes(page, 'details-mds-loaded');

    // Forget: Details shows no metadata any more.
    await page.getByRole('button', { name: 'Back to security keys' }).click();
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    await card.getByText('A BLOB is loaded.').waitFor();
    await card.getByRole('button', { name: 'Forget BLOB' }).click();
    await card.getByText('No BLOB is loaded.').waitFor();
    await card.getByText(/The BLOB was forgotten\./).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await details(page);
    expect(await page.getByRole('region', { name: 'FIDO Metadata Service' }).count()).toBe(0);
    expect(suite.app.pageErrors).toEqual([]);
  });

  it('Prepare keys with attestation required: refused in words without a BLOB, runs with one (a stale one warned of)', { timeout: 90_000 }, async () => {
    suite.temp = await tempDir();
    const mds = await testMds();
    // Past its next update: still used, with a warning that a newer one exists.
    const blob = await mds.sign({ no: 7, nextUpdate: '2024-01-01', entries: [] });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [] });
    const { page } = suite.app;
    const start = async (): Promise<void> => {
      await page.getByRole('button', { name: 'Prepare keys' }).click();
      await page.getByLabel('Profile (JSON or YAML)').fill(REQUIRED);
      await page.getByText('The profile is valid.').waitFor();
      await page.getByLabel('Report file').fill(join(suite.temp!.dir, 'keys.csv'));
      await page.getByRole('radio', { name: 'Until I stop' }).check();
      await page.getByRole('button', { name: 'Start', exact: true }).click();
    };
    await start();
    await page.getByText(/that needs the FIDO Metadata Service BLOB/).waitFor();
    await page.getByText('Load the BLOB and its root certificate under Diagnostics, FIDO Metadata Service.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back to security keys' }).click();
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    const card = page.getByRole('region', { name: 'FIDO Metadata Service' });
    await card.getByRole('button', { name: 'Load BLOB…' }).click();
    await card.getByLabel('BLOB file (blob.jwt)').setInputFiles(file('blob.jwt', blob));
    await card.getByLabel('Root certificate (PEM)').setInputFiles(file('root.pem', mds.rootPem));
    await card.getByRole('button', { name: 'Use these files' }).click();
    await card.getByText('A BLOB is loaded.').waitFor();
    await card.getByText(/next update \(2024-01-01\) has passed, so a newer one exists/).waitFor();
    await checkBothSchemes(page, 'diagnostics-mds-stale');

    await page.getByRole('button', { name: 'Back to security keys' }).click();
    await start();
    await page.getByText('Waiting for keys… Plug in the next key. (0 done so far)').waitFor();
    expect(await page.getByText(/that needs the FIDO Metadata Service BLOB/).count()).toBe(0);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText(/^Stopped: 0 prepared/).waitFor();
    expect(suite.app.pageErrors).toEqual([]);
  });
});
