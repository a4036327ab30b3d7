// Prepare keys' Open and Save dialogs through the shell against a stand-in `electron`: the
// renderer's request reaches dialog.showOpenDialog / showSaveDialog (modal to our window, with
// the catalogue's titles and file types), main reads the picked profile itself and checks every
// name that comes back (a device, a folder that does not exist) before handing it on.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX, type Result } from '../../main/ipc/contract.js';
import { APP_ENTRY_URL } from '../../main/electron/security.js';
import { testMds } from '../provisioning/mds-fixture.js';
import type { FakeElectron } from './fake-electron.js';

const fake = vi.hoisted(() => ({ electron: undefined as unknown as FakeElectron }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron.js');
  fake.electron = createFakeElectron();
  return fake.electron;
});

const { main } = await import('../../main/electron/main.js');

let dir: string;
let e: FakeElectron;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skm-dialogs-'));
  e = fake.electron;
  e.app.removeAllListeners();
  e.app.userData = dir;
  e.app.documents = dir;
  e.windows.length = 0;
  e.ipcMain.handlers.clear();
  e.protocol.handlers.clear();
  e.dialog.calls.length = 0;
  e.dialog.answers.length = 0;
  const started = main({ args: [], hardwareSources: () => [] });
  e.app.becomeReady();
  await started;
});
afterEach(async () => {
  e.windows[0]?.emit('closed');
  e.app.emit('will-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(e.app.quitCalls).toBeGreaterThan(0));
  e.app.quitCalls = 0;
  await rm(dir, { recursive: true, force: true });
});

function invoke(channel: string, input: unknown): Promise<Result<unknown>> {
  const handler = e.ipcMain.handlers.get(`${CHANNEL_PREFIX}${channel}`);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ sender: e.windows[0]!.webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } }, input) as Promise<Result<unknown>>;
}

describe('Prepare keys through the shell dialogs', () => {
  it('Open: the picked profile is read by main and its text handed over; cancel is null', async () => {
    const profile = join(dir, 'fleet.yaml');
    await writeFile(profile, 'reset: never\n');
    e.dialog.answers.push(profile, null);
    expect(await invoke('openProfileFile', {})).toEqual({ ok: true, value: { name: 'fleet.yaml', text: 'reset: never\n' } });
    expect(await invoke('openProfileFile', {})).toEqual({ ok: true, value: null });
    const [call] = e.dialog.calls;
    expect(call).toMatchObject({ kind: 'open', options: { title: 'Open a profile', properties: ['openFile'] } });
    // Modal to our window, not a free-floating dialog.
    expect(call!.window).toBe(e.windows[0]);
    expect(JSON.stringify(call!.options.filters)).toContain('"yaml"');
  });

  it('Open: a profile that is not an ordinary file, or far too large, is refused', async () => {
    e.dialog.answers.push(dir);
    expect(await invoke('openProfileFile', {})).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'path-not-allowed' } } });
    const big = join(dir, 'big.json');
    await writeFile(big, ' '.repeat(300 * 1024));
    e.dialog.answers.push(big);
    expect(await invoke('openProfileFile', {})).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'profile-too-large' } } });
  });

  it('Save: the dialog starts in Documents with the suggested name and the right file type; the answer is checked', async () => {
    const report = join(dir, 'keys.csv');
    e.dialog.answers.push(report, null, join(dir, 'missing-folder', 'keys.csv'));
    expect(await invoke('chooseSavePath', { purpose: 'report', suggestedName: 'keys.csv' })).toEqual({ ok: true, value: { path: report } });
    expect(e.dialog.calls[0]).toMatchObject({ kind: 'save', options: { title: 'Where to write the report (it holds the PINs)', defaultPath: join(dir, 'keys.csv') } });
    expect(e.dialog.calls[0]!.window).toBe(e.windows[0]);
    expect(await invoke('chooseSavePath', { purpose: 'policy', suggestedName: 'policy.json' })).toEqual({ ok: true, value: { path: null } });
    expect(e.dialog.calls[1]!.options.filters).toEqual([{ name: 'JSON', extensions: ['json'] }]);
    expect(await invoke('chooseSavePath', { purpose: 'export-csv', suggestedName: 'x.csv' })).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'path-not-allowed' } } });
  });

  it('Save: a suggested name cannot steer the dialog into another folder', async () => {
    e.dialog.answers.push(null);
    await invoke('chooseSavePath', { purpose: 'export-jsonl', suggestedName: '../../etc/passwd' });
    expect(e.dialog.calls[0]!.options.defaultPath).toBe(join(dir, 'passwd'));
  });
});

describe('the FIDO Metadata Service BLOB through the shell dialogs', () => {
  it('Open the BLOB, then its root: main reads and verifies them; a cancel at either step loads nothing', async () => {
    const mds = await testMds();
    const blob = join(dir, 'blob.jwt');
    const root = join(dir, 'root.pem');
    await writeFile(blob, await mds.blob([{ aaguid: '61ddbe7a-8d4c-493c-8787-366dafc32987', description: 'Simulated key', statuses: ['FIDO_CERTIFIED'] }]));
    await writeFile(root, mds.rootPem);
    e.dialog.answers.push(null, blob, null);
    expect(await invoke('openMdsFiles', {})).toEqual({ ok: true, value: null });
    expect(await invoke('openMdsFiles', {})).toEqual({ ok: true, value: null });
    expect(await invoke('mdsStatus', {})).toEqual({ ok: true, value: null });
    e.dialog.answers.push(blob, root);
    expect(await invoke('openMdsFiles', {})).toEqual({ ok: true, value: { number: 42, nextUpdate: '2045-01-01', entries: 1, stale: false } });
    const opens = e.dialog.calls.filter((call) => call.kind === 'open');
    expect(opens.map((call) => call.options.title)).toEqual([
      'Open the FIDO Metadata Service BLOB',
      'Open the FIDO Metadata Service BLOB',
      'Open the root certificate the BLOB is signed through',
      'Open the FIDO Metadata Service BLOB',
      'Open the root certificate the BLOB is signed through',
    ]);
    for (const call of opens) expect(call.window).toBe(e.windows[0]);
    expect(JSON.stringify(opens[0]!.options.filters)).toContain('"jwt"');
    expect(JSON.stringify(opens[2]!.options.filters)).toContain('"pem"');
    expect(await invoke('forgetMds', {})).toEqual({ ok: true, value: { forgotten: true } });
  });

  it('a root that is not the BLOB\'s, a folder, or a file far too large is refused in words', async () => {
    const [mds, other] = await Promise.all([testMds(), testMds()]);
    const blob = join(dir, 'blob.jwt');
    const otherRoot = join(dir, 'other.pem');
    await writeFile(blob, await mds.blob([]));
    await writeFile(otherRoot, other.rootPem);
    e.dialog.answers.push(blob, otherRoot);
    expect(await invoke('openMdsFiles', {})).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'mds-untrusted' } } });
    e.dialog.answers.push(dir, otherRoot);
    expect(await invoke('openMdsFiles', {})).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'path-not-allowed' } } });
    const big = join(dir, 'big.pem');
    await writeFile(big, ' '.repeat(300 * 1024));
    e.dialog.answers.push(blob, big);
    expect(await invoke('openMdsFiles', {})).toMatchObject({ ok: false, error: { code: 'FILE_ACCESS', facts: { reason: 'mds-too-large' } } });
    expect(await invoke('mdsStatus', {})).toEqual({ ok: true, value: null });
  });
});
