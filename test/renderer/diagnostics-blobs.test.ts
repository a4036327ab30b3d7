// Diagnostics, Details' getInfo block and storage figures, and large blobs on the Passkeys page,
// in Chromium over the real service: the doctor's report (from fake probes of a Windows and a
// Linux machine) reached from Start with no key, each check in words with its fix and buttons;
// getInfo in CBOR diagnostic notation with the large-blob storage used of total; blob badges, the
// data as text or hex, deleting one blob and the orphans after a confirmation naming what goes,
// and deleting a passkey that has a blob deletes its blob too. axe on every screen and dialog.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { parseLargeBlobArray, serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import { runDoctor, type DoctorProbes, type DoctorReport } from '../../main/service/doctor.js';
import { loadState, passkey, PIN, seedKey } from '../cli/tty-session.js';
import { axeViolations, openApp, screenshot, tempDir, useRendererSuite } from './harness.js';

const suite = useRendererSuite();

function probes(overrides: Partial<DoctorProbes>): DoctorProbes {
  return {
    platform: 'linux',
    arch: 'x64',
    versions: { node: '20.20.2', electron: '45.4.1' },
    hid: async () => ({ loaded: true, fidoDevices: [] }),
    pcsc: async () => ({ state: 'running', readers: [] }),
    udevRules: async () => [],
    isElevated: async () => false,
    windowsBuild: () => null,
    ...overrides,
  };
}

/** Windows 11, not elevated, one key that cannot be opened: the 1903 rule. */
const windowsReport = (): Promise<DoctorReport> =>
  runDoctor(
    probes({
      platform: 'win32',
      windowsBuild: () => 22631,
      hid: async () => ({ loaded: true, fidoDevices: [{ path: '\\\\?\\hid#vid_1050', openable: false, error: 'could not open device' }] }),
      pcsc: async () => ({ state: 'running', readers: ['ACS ACR122U'] }),
    }),
  );

/** Linux without a udev rule and without pcscd. */
const linuxReport = (): Promise<DoctorReport> =>
  runDoctor(probes({ hid: async () => ({ loaded: true, fidoDevices: [{ path: '/dev/hidraw0', openable: false, error: 'EACCES' }] }), pcsc: async () => ({ state: 'not-running', error: 'no service' }) }));

async function axeBoth(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeViolations(page), `${name} (${scheme})`).toEqual([]);
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Diagnostics', () => {
  it('reached from Start with no key: each check in words, its fix and buttons; Run again reads the report anew', { timeout: 90_000 }, async () => {
    suite.temp = await tempDir();
    const calls = { doctor: 0, restart: 0, settings: 0 };
    suite.app = await openApp(suite.browser, {
      dir: suite.temp.dir,
      system: {
        runDoctor: () => {
          calls.doctor += 1;
          return calls.doctor === 1 ? windowsReport() : linuxReport();
        },
        restartElevated: async () => {
          calls.restart += 1;
          return { ok: true, value: { restarting: true } };
        },
        openWindowsSettings: async () => {
          calls.settings += 1;
          return { ok: true, value: { opened: true } };
        },
      },
    });
    const { page } = suite.app;
    await page.getByText('Insert your security key').waitFor();
    await page.getByRole('button', { name: 'Key not showing up? Run diagnostics' }).click();
    await page.getByRole('heading', { name: 'Diagnostics', level: 2 }).waitFor();
    await page.getByText('2 problems found.').waitFor();
    const checks = page.getByRole('list', { name: 'Checks' });
    const card = (title: string) => checks.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
    const elevation = card('Administrator rights (Windows)');
    await elevation.getByText(/Windows lets only administrators talk to security keys directly/).waitFor();
    expect(await elevation.getByText('Problem', { exact: true }).isVisible()).toBe(true);
    expect(await elevation.getByText('Choose Restart as administrator.').isVisible()).toBe(true);
    expect(await card('Versions').getByText('OK', { exact: true }).isVisible()).toBe(true);
    expect(await card('Card readers').getByText('1 reader: ACS ACR122U.').isVisible()).toBe(true);
    // The raw error stays in a closed disclosure.
    const usb = card('USB security keys');
    expect(await usb.getByText('could not open device').isVisible()).toBe(false);
    await usb.getByText('Technical details').click();
    expect(await usb.getByText('could not open device').isVisible()).toBe(true);
    await axeBoth(page, 'diagnostics-windows');

    await elevation.getByRole('button', { name: 'Restart as administrator' }).click();
    await elevation.getByRole('button', { name: 'Open Windows Settings' }).click();
    await expect.poll(() => calls).toEqual({ doctor: 1, restart: 1, settings: 1 });

    await page.getByRole('button', { name: 'Run again' }).click();
    await page.getByText('3 problems found.').waitFor();
    expect(calls.doctor).toBe(2);
    const udev = card('Linux device permission (udev rule)');
    await udev.getByText(/Install the udev rule below and replug the key/).waitFor();
    expect(await udev.locator('pre').first().textContent()).toContain('sudo udevadm control --reload-rules');
    await udev.getByRole('button', { name: 'Copy command' }).waitFor();
    expect(await checks.getByRole('button', { name: 'Restart as administrator' }).count()).toBe(0);
    await card('Smart card service (for NFC and card readers)').getByText(/sudo systemctl start pcscd/).waitFor();
    await axeBoth(page, 'diagnostics-linux');

    // The header leads back to the keys, and from there (with a key or without) to Diagnostics.
    await page.getByRole('button', { name: 'Back to security keys' }).click();
    await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
    await page.getByText(/problems found\./).waitFor();
    expect(calls.doctor).toBe(3);
    expect(suite.app.pageErrors).toEqual([]);
  });
});

async function openKey(tab: string, credentials: StoredCredential[], largeBlobArray?: Uint8Array): Promise<{ page: Page; file: string }> {
  suite.temp = await tempDir();
  const file = join(suite.temp.dir, 'key.json');
  await seedKey(file, {
    preset: 'ctap21',
    credentials,
    ...(largeBlobArray ? { change: (state) => void (state.largeBlobArray = largeBlobArray) } : {}),
  });
  suite.app = await openApp(suite.browser, { dir: suite.temp.dir, files: [file] });
  const { page } = suite.app;
  await page.getByRole('button', { name: /^Manage / }).click();
  await page.getByRole('heading', { name: 'Security Key PIN' }).waitFor();
  await page.getByRole('tab', { name: tab }).click();
  return { page, file };
}

const note = 'ssh-ed25519-cert-v01@openssh.com AAAA';
const binary = Uint8Array.of(0, 1, 2, 0xff);

/** alice: a text blob; bob: binary; carol: a largeBlobKey and nothing stored; one orphan. */
function blobKey(): { credentials: StoredCredential[]; array: Uint8Array } {
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((user) => passkey({ rpId: 'example.com', user, largeBlobKey: true })) as [StoredCredential, StoredCredential, StoredCredential];
  const orphan = sealLargeBlob(new Uint8Array(32).fill(3), new TextEncoder().encode('orphaned'));
  const array = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, new TextEncoder().encode(note)), orphan, sealLargeBlob(bob.largeBlobKey!, binary)]);
  return { credentials: [alice, bob, carol], array };
}

describe('Details: getInfo and storage', () => {
  it('getInfo in CBOR diagnostic notation in a copyable, scrollable block; large-blob storage used of total', { timeout: 60_000 }, async () => {
    const { credentials, array } = blobKey();
    const { page } = await openKey('Details', credentials, array);
    const block = page.getByRole('region', { name: 'getInfo in CBOR diagnostic notation' });
    await block.waitFor();
    const text = (await block.textContent()) ?? '';
    expect(text).toMatch(/^\{\n {2}1: \[/);
    expect(text).toMatch(/3: h'[0-9a-f]{32}'/);
    const style = await block.evaluate((el) => {
      const computed = (globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string; overflowY: string } }).getComputedStyle(el);
      return { font: computed.fontFamily, overflowY: computed.overflowY, tabIndex: (el as unknown as { tabIndex: number }).tabIndex };
    });
    expect(style.font).toMatch(/mono|Consolas|Courier/i);
    expect([style.overflowY, style.tabIndex]).toEqual(['auto', 0]);
    expect(await page.getByText(`${array.length} of 1,024 bytes used`).isVisible()).toBe(true);
    // http://suite.app.test is no secure context, so Chromium gives it no clipboard (app:// in Electron
    // is one): a stand-in records what the button copies.
    await page.evaluate(() => {
      const w = globalThis as unknown as { navigator: object; __copied: string[] };
      w.__copied = [];
      Object.defineProperty(w.navigator, 'clipboard', { value: { writeText: async (value: string) => void w.__copied.push(value) } });
    });
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __copied: string[] }).__copied)).toEqual([text]);
    await axeBoth(page, 'details-cbor');
  });

  it('a corrupt large-blob array is shown as unreadable, with its size', { timeout: 60_000 }, async () => {
    const bad = serializeLargeBlobArray([new Uint8Array(40)]);
    bad[bad.length - 1]! ^= 0xff;
    const { page } = await openKey('Details', [], bad);
    await page.getByText(`Unreadable: ${bad.length} of 1,024 bytes hold data that fails its integrity check`).waitFor();
  });
});

async function enterPin(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Security key PIN').fill(PIN);
  await dialog.getByRole('button', { name: 'OK' }).click();
}

describe('Passkeys: large blobs', () => {
  it('badges, the data as text or hex, delete one blob and the orphans after naming what goes', { timeout: 120_000 }, async () => {
    const { credentials, array } = blobKey();
    const { page, file } = await openKey('Passkeys', credentials, array);
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    await enterPin(page);
    const list = page.getByRole('list', { name: 'example.com' });
    const item = (user: string) => list.getByRole('listitem').filter({ hasText: user });
    await item('alice').getByText(`Data: ${note.length} bytes`).waitFor();
    await item('bob').getByText('Data: 4 bytes').waitFor();
    expect(await item('carol').getByText(/^Data:/).count()).toBe(0);
    await page.getByText(`Large-blob storage: ${array.length} of 1,024 bytes used.`, { exact: false }).waitFor();
    await page.getByText(/1 piece of data \(\d+ bytes\) belongs to no passkey/).waitFor();

    const showAlice = page.getByRole('button', { name: 'Show data of the passkey for example.com (alice)' });
    await showAlice.click();
    const aliceData = page.getByRole('region', { name: 'Data stored with the passkey for example.com (alice)' });
    await aliceData.getByText('As text:').waitFor();
    expect(await aliceData.locator('pre').textContent()).toBe(note);
    await page.getByRole('button', { name: 'Show data of the passkey for example.com (bob)' }).click();
    const bobData = page.getByRole('region', { name: 'Data stored with the passkey for example.com (bob)' });
    await bobData.getByText('Not text, so shown as hexadecimal:').waitFor();
    expect(await bobData.locator('pre').textContent()).toBe('000102ff');
    await axeBoth(page, 'passkeys-blobs');

    await bobData.getByRole('button', { name: 'Delete data of the passkey for example.com (bob)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete the data stored with the passkey for example.com (bob)').waitFor();
    await dialog.getByText('The 4 bytes stored with the passkey for example.com (bob) are deleted; the passkey itself stays.').waitFor();
    // The key is unlocked from "Show passkeys": the confirmation comes without a PIN.
    expect(await dialog.getByLabel('Security key PIN').count()).toBe(0);
    await axeBoth(page, 'dialog-delete-blob');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The data stored with the passkey for example.com (bob) was deleted (4 bytes).').waitFor();
    await expect.poll(() => item('bob').getByText(/^Data:/).count()).toBe(0);

    await page.getByRole('button', { name: 'Remove orphaned data' }).click();
    await dialog.getByText('Delete data that belongs to no passkey').waitFor();
    await dialog.getByText(/^1 stored item \(\d+ bytes\) that belong to no passkey on this key are deleted\.$/).waitFor();
    await axeBoth(page, 'dialog-prune-blobs');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByText(/Orphaned data removed: \d+ bytes freed\./).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Remove orphaned data' }).count()).toBe(0);

    await suite.app!.service.flush();
    const stored = parseLargeBlobArray((await loadState(file)).largeBlobArray);
    if (stored.kind !== 'valid') throw new Error(stored.kind);
    expect(stored.entries).toHaveLength(1);
    expect(suite.app!.pageErrors).toEqual([]);
  });

  it('unreadable storage says so with its size, and can be emptied after a confirmation', { timeout: 90_000 }, async () => {
    const alice = passkey({ rpId: 'example.com', user: 'alice', largeBlobKey: true });
    const bad = serializeLargeBlobArray([sealLargeBlob(alice.largeBlobKey!, new TextEncoder().encode(note))]);
    bad[bad.length - 1]! ^= 0xff;
    const { page, file } = await openKey('Passkeys', [alice], bad);
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    await enterPin(page);
    // The passkeys are listed all the same; the storage problem is its own message.
    await page.getByRole('list', { name: 'example.com' }).getByText('alice').waitFor();
    await page.getByText(`The key’s large-blob storage cannot be read (${bad.length} bytes fail its integrity check)`, { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Empty the storage' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Empty the large-blob storage of this security key').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Empty' }).click();
    await page.getByText('The unreadable large-blob storage was emptied.').waitFor();
    await suite.app!.service.flush();
    expect((await loadState(file)).largeBlobArray).toEqual(serializeLargeBlobArray([]));
  });

  it('deleting a passkey that has data offers to delete the data too (the CLI does the same)', { timeout: 90_000 }, async () => {
    const { credentials, array } = blobKey();
    const { page, file } = await openKey('Passkeys', credentials, array);
    await page.getByRole('button', { name: 'Show passkeys' }).click();
    await enterPin(page);
    await page.getByRole('list', { name: 'example.com' }).getByText(`Data: ${note.length} bytes`).waitFor();
    await page.getByRole('button', { name: 'Delete the passkey for example.com (alice)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete the passkey for example.com (alice)').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByText(new RegExp(`The ${note.length} bytes stored with the deleted passkey for example.com \\(alice\\) are deleted too`)).waitFor();
    await axeBoth(page, 'dialog-delete-passkey-blob');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('The passkey for example.com (alice) and the data stored with it were deleted.').waitFor();

    await suite.app!.service.flush();
    const state = await loadState(file);
    expect(state.credentials.map((c) => c.userName)).toEqual(['bob', 'carol']);
    const stored = parseLargeBlobArray(state.largeBlobArray);
    if (stored.kind !== 'valid') throw new Error(stored.kind);
    // bob's blob and the orphan stay; alice's is gone.
    expect(stored.entries).toHaveLength(2);
  });
});
