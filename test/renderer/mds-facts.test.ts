// Details with a FIDO Metadata Service BLOB given to the service: the model's description,
// certification, latest status and icon in words, a revoked model flagged; nothing without a BLOB.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadMdsBlob } from '../../main/service/provisioning/mds.js';
import { seedKey } from '../cli/tty-session.js';
import { testMds } from '../provisioning/mds-fixture.js';
import { axeViolations, openApp, screenshot, tempDir, useRendererSuite } from './harness.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';

const suite = useRendererSuite();

async function details(statuses: string[] | null): Promise<Page> {
  suite.temp = await tempDir();
  const file = join(suite.temp.dir, 'key.json');
  await seedKey(file, { preset: 'ctap21' });
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file] });
  if (statuses) {
    const mds = await testMds();
    const blob = await mds.blob([{ aaguid: SIMULATED, description: 'Simulated key for practice', statuses, icon: 'data:image/png;base64,iVBORw0KGgo=' }]);
    suite.app.service.useMds(await loadMdsBlob(blob, mds.rootPem));
  }
  const { page } = suite.app;
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByRole('button', { name: 'Copy AAGUID' }).waitFor();
  return page;
}

describe('Details: FIDO Metadata Service facts', () => {
  it('shows the model as the BLOB describes it', { timeout: 60_000 }, async () => {
    const page = await details(['FIDO_CERTIFIED_L1']);
    const section = page.getByRole('region', { name: 'FIDO Metadata Service' });
    await section.getByText('Simulated key for practice').waitFor();
    expect(await section.getByText('FIDO_CERTIFIED_L1').count()).toBe(2);
    expect(await section.getByText('yes', { exact: true }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'details-mds-light');
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('flags a revoked model, and shows nothing without a BLOB', { timeout: 60_000 }, async () => {
    const revoked = await details(['FIDO_CERTIFIED_L1', 'REVOKED']);
    await revoked.getByText('Not fit to issue: the FIDO Metadata Service lists REVOKED for this model.').waitFor();
    await suite.app!.close();
    suite.app = undefined;
    await suite.temp!.remove();
    const plain = await details(null);
    expect(await plain.getByRole('region', { name: 'FIDO Metadata Service' }).count()).toBe(0);
  });
});
