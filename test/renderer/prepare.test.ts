// Prepare keys in Chromium over the real service and three simulated keys: a broken profile lists
// each mistake by its path, the minimal profile is valid and its plan is in words, a profile with
// an allow list is loaded through the file picker, the run prepares two keys and rejects the one
// of another model; the queue and the report table say so; the report file on disk is 0600 with
// a PIN column while no PIN is anywhere in the page; an export is written by main; axe finds
// nothing in light and dark.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pinHash } from '../provisioning/fleet.js';
import { seedKey } from '../cli/tty-session.js';
import { axeViolations, openApp, screenshot, tempDir, touchWhenWaiting, useRendererSuite } from './harness.js';

const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';
const YUBIKEY_5_NFC = 'ee882879-721c-4913-9775-3dfcce97072a';
const MINIMAL = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }';
const BROKEN = '{ "reset": "sometimes", "pin": { "mode": "random", "length": 3 }, "forcePinChnage": true }';
const ALLOW_SIMULATED = JSON.stringify({ ...(JSON.parse(MINIMAL) as object), accept: { allow: [SIMULATED] } }, null, 2);

const suite = useRendererSuite();

/** Everything a PIN could hide in: the serialised DOM (text and attributes) and every input's value. */
async function pageHolds(page: Page, secret: string): Promise<boolean> {
  const html = await page.content();
  const values = await page.evaluate(() =>
    [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ value: string }> } }).document.querySelectorAll('input, textarea')].map((i) => i.value),
  );
  return html.includes(secret) || values.some((v) => v.includes(secret));
}

describe('Prepare keys', () => {
  it('three keys: profile mistakes by path, a valid plan, a run with one key rejected, the report with PINs on disk only', { timeout: 120_000 }, async () => {
    suite.temp = await tempDir();
    const files = ['a.json', 'b.json', 'c.json'].map((name) => join(suite.temp!.dir, name));
    await seedKey(files[0]!, { preset: 'ctap21', pin: null });
    await seedKey(files[1]!, { preset: 'ctap21-pre', pin: null });
    await seedKey(files[2]!, { preset: 'ctap21', pin: null });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files });
    const { page } = suite.app;
    await expect.poll(() => page.getByRole('button', { name: /^Manage / }).count()).toBe(3);

    await page.getByRole('button', { name: 'Prepare keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'Prepare keys' }).waitFor();
    const editor = page.getByLabel('Profile (JSON or YAML)');

    // A broken profile: every mistake, each with where it is.
    await editor.fill(BROKEN);
    const mistakes = page.getByRole('list', { name: 'Mistakes in the profile' });
    await mistakes.waitFor();
    await page.getByText('The profile has 3 mistakes. Fix them to continue:').waitFor();
    const items = await mistakes.getByRole('listitem').allTextContents();
    expect(items).toHaveLength(3);
    expect(items[0]).toMatch(/^reset has a value that is not allowed\. Fix: use one of "always", "if-pin-set", "never"\./);
    expect(items[1]).toMatch(/^pin\.length is too small\. Fix: use 4 or more\./);
    expect(items[2]).toMatch(/^forcePinChnage: "forcePinChnage" is not a profile setting/);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'prepare-mistakes-light');

    // The minimal profile: valid, and what it does in words.
    await editor.fill(MINIMAL);
    await page.getByText('The profile is valid.').waitFor();
    const plan = page.getByRole('list', { name: 'Steps for each key' });
    expect(await plan.getByRole('listitem').allTextContents()).toEqual([
      'Do not reset: a key that already has a PIN is left unchanged.',
      'Set a random PIN of 8 characters (digits), written to the report file only.',
      'Require PINs of at least 8 characters.',
      'Make the person change the PIN the first time they use the key.',
      'Read the key back and check every setting.',
      'Name the keys in the report like KEY-1.',
    ]);

    // Open a profile: without a shell dialog, the page's file picker.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open a profile…' }).click();
    await (await chooser).setFiles({ name: 'fleet.json', mimeType: 'application/json', buffer: Buffer.from(ALLOW_SIMULATED) });
    await page.getByText('Loaded fleet.json.').waitFor();
    await page.getByText('Only keys of 1 allowed model are prepared; others are left unchanged.').waitFor();
    expect(await editor.inputValue()).toBe(ALLOW_SIMULATED);

    const report = join(suite.temp.dir, 'keys.csv');
    await page.getByLabel('Report file').fill(report);
    await page.getByText(`The random PINs are written to ${report} and nowhere else`).waitFor();
    await page.getByLabel('Number of keys').fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Finished: 2 prepared, 1 rejected, 0 incomplete, 0 not changed, 0 already done.').waitFor({ timeout: 60_000 });

    // The queue: two done, one rejected with the reason.
    const queue = page.getByRole('list', { name: 'Keys in this run' });
    const rows = queue.getByRole('listitem');
    expect(await rows.count()).toBe(3);
    const texts = await rows.allTextContents();
    expect(texts.filter((text) => /^KEY-\d.*Done$/.test(text))).toHaveLength(2);
    const rejected = texts.filter((text) => text.includes('Rejected, nothing was changed'));
    expect(rejected).toEqual([expect.stringContaining(`its model (AAGUID ${YUBIKEY_5_NFC}) is not on the profile’s allow list.`)]);
    expect(rejected[0]).toMatch(/^KEY-\d/);

    // The report table: every key, no PIN column.
    const table = page.getByRole('table', { name: 'Report so far' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Label', 'Model', 'Steps done', 'Result', 'Problem', 'Time']);
    const results = await table.getByRole('row').evaluateAll((trs) => trs.slice(1).map((tr) => [...(tr as unknown as { cells: Iterable<{ textContent: string }> }).cells].map((c) => c.textContent)));
    expect(results.map((cells) => cells[3]).sort()).toEqual(['Done', 'Done', 'Rejected']);
    for (const cells of results.filter((c) => c[3] === 'Done')) expect(cells[2]).toBe('set the PIN, minimum PIN length and forced change, read back and check');

    // The report on disk: 0600, a PIN column with each prepared key's PIN; none of them in the page.
    expect((await stat(report)).mode & 0o777).toBe(0o600);
    const [header, ...lines] = (await readFile(report, 'utf8')).trim().split('\n');
    expect(header!.split(',').at(-1)).toBe('pin');
    const pins = lines.map((line) => line.split(',').at(-1)!).filter((pin) => pin !== '');
    expect(pins).toHaveLength(2);
    for (const pin of pins) {
      expect(pin).toMatch(/^\d{8}$/);
      expect(await pageHolds(page, pin)).toBe(false);
    }
    expect(suite.app.keys().filter((key) => key.state.pinHash !== null)).toHaveLength(2);

    // Export: without a shell dialog, main writes it beside the report.
    await page.getByRole('button', { name: 'Export as JSON Lines…' }).click();
    const exported = join(suite.temp.dir, 'keys-export.jsonl');
    await page.getByText(`Saved ${exported}.`).waitFor();
    expect((await stat(exported)).mode & 0o777).toBe(0o600);
    const records = (await readFile(exported, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { pin?: string; result: string });
    expect(records.map((r) => r.pin).filter(Boolean).sort()).toEqual([...pins].sort());

    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'prepare-run-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'prepare-run-dark');
    await editor.fill(BROKEN);
    await mistakes.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'prepare-mistakes-dark');
    expect(suite.app.outside).toEqual([]);
    expect(suite.app.pageErrors).toEqual([]);
  });

  it('reset and a shared PIN: the PIN asked in the PIN dialog, each key\'s touch named by its label', { timeout: 90_000 }, async () => {
    suite.temp = await tempDir();
    const files = ['a.json', 'b.json'].map((name) => join(suite.temp!.dir, name));
    for (const file of files) await seedKey(file, { preset: 'ctap21' });
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files });
    const { page } = suite.app;
    await expect.poll(() => page.getByRole('button', { name: /^Manage / }).count()).toBe(2);
    for (const key of suite.app.keys()) key.presence.script = 'manual';
    await page.getByRole('button', { name: 'Prepare keys' }).click();
    await page.getByLabel('Profile (JSON or YAML)').fill('reset: always\npin:\n  mode: shared\nminPinLength: 6\nlabel: DESK-{n}\n');
    await page.getByText('Reset the key: every passkey, fingerprint and the PIN on it are deleted.').waitFor();
    await page.getByText('Set the same PIN on every key: you enter it when the run starts.').waitFor();
    const report = join(suite.temp.dir, 'desks.jsonl');
    await page.getByLabel('Report file').fill(report);
    await page.getByLabel('Number of keys').fill('2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const SHARED = '246813';
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Set up your security key PIN').waitFor();
    await page.keyboard.type(SHARED);
    await page.keyboard.press('Tab');
    await page.keyboard.type(SHARED);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    // One key at a time in its reset: its row asks for the touch and names the key.
    for (const label of ['DESK-1', 'DESK-2']) {
      const row = page.getByRole('listitem', { name: label });
      await row.getByText(new RegExp(`^${label}: Touch`)).waitFor({ timeout: 20_000 });
      await row.getByRole('progressbar').waitFor();
      if (label === 'DESK-1') {
        expect(await page.getByRole('table', { name: 'Report so far' }).getByRole('cell', { name: 'In progress' }).count()).toBeGreaterThan(0);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'prepare-touch-light');
      }
      const waiting = suite.app.keys().find((key) => key.presence.waiting);
      expect(waiting).toBeDefined();
      await touchWhenWaiting(waiting!);
      await row.getByText('Done', { exact: true }).waitFor({ timeout: 20_000 });
    }
    await page.getByText('Finished: 2 prepared, 0 rejected, 0 incomplete, 0 not changed, 0 already done.').waitFor();
    for (const key of suite.app.keys()) expect(Buffer.from(key.state.pinHash!).toString('hex')).toBe(pinHash(SHARED));
    expect(await pageHolds(page, SHARED)).toBe(false);
    expect(await readFile(report, 'utf8')).not.toContain(SHARED);
    // No random PINs: the page does not claim the report holds any.
    expect(await page.getByText('The random PINs are written to').count()).toBe(0);
    await page.getByText(`Report file: ${report}`, { exact: true }).waitFor();
    expect(suite.app.pageErrors).toEqual([]);
  });

  it('works with no key: the run waits for keys until stopped', { timeout: 60_000 }, async () => {
    suite.temp = await tempDir();
    suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [] });
    const { page } = suite.app;
    await page.getByRole('button', { name: 'Prepare keys' }).click();
    await page.getByRole('button', { name: 'Start from an example' }).click();
    await page.getByText('The profile is valid.').waitFor();
    await page.getByLabel('Report file').fill(join(suite.temp.dir, 'keys.jsonl'));
    await page.getByRole('radio', { name: 'Until I stop' }).check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('Waiting for keys… Plug in the next key. (0 done so far)').waitFor();
    await page.getByText('No key yet. Plug in a key to start.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'prepare-waiting-light');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByText('Stopped: 0 prepared, 0 rejected, 0 incomplete, 0 not changed, 0 already done.').waitFor();
    // A report path main will not use is refused in words.
    await page.getByLabel('Report file').fill('keys.csv');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByText('The file name keys.csv cannot be used here.').waitFor();
    await page.getByRole('button', { name: 'Back to security keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'Security keys' }).waitFor();
    expect(suite.app.pageErrors).toEqual([]);
  });
});
