// The file names main accepts from the renderer or a dialog before it writes a report (with PINs),
// an export or a policy: full names of ordinary files in folders that exist; never a device, a
// folder, a relative name or a NUL trick. Windows' rules are checked through the platform argument.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFilePath } from '../../main/service/provisioning/file-path.js';
import { tempDir } from '../cli/helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const refused = { code: 'FILE_ACCESS', facts: { reason: 'path-not-allowed' } };

describe('checkFilePath', () => {
  it('accepts a new or existing ordinary file in a folder that exists, normalised', async () => {
    expect(await checkFilePath(join(dir.dir, 'keys.csv'), 'write', 'linux')).toBe(join(dir.dir, 'keys.csv'));
    await mkdir(join(dir.dir, 'sub'));
    expect(await checkFilePath(`${dir.dir}/sub/../keys.csv`, 'write', 'linux')).toBe(join(dir.dir, 'keys.csv'));
    await writeFile(join(dir.dir, 'profile.yaml'), 'reset: never\n');
    expect(await checkFilePath(join(dir.dir, 'profile.yaml'), 'read', 'linux')).toBe(join(dir.dir, 'profile.yaml'));
  });

  it('refuses relative names, devices, kernel files, folders, missing folders, links and NUL', async () => {
    await mkdir(join(dir.dir, 'folder'));
    await symlink('/etc/hostname', join(dir.dir, 'link.csv'));
    const bad = ['keys.csv', './keys.csv', '/dev/null', '/dev/sda', '/proc/self/mem', '/sys/kernel/x', join(dir.dir, 'folder'), join(dir.dir, 'missing', 'keys.csv'), join(dir.dir, 'link.csv'), `${dir.dir}/a\0b.csv`];
    for (const path of bad) await expect(checkFilePath(path, 'write', 'linux'), path).rejects.toMatchObject(refused);
    // Reading needs the file to be there.
    await expect(checkFilePath(join(dir.dir, 'nope.json'), 'read', 'linux')).rejects.toMatchObject(refused);
  });

  it('Windows: device names in any folder and device namespaces are refused; drive paths are full names', async () => {
    const cases: [string, string][] = [
      ['C:\\Users\\it\\NUL', 'reserved device name'],
      ['C:\\Users\\it\\con.csv', 'reserved device name'],
      ['C:\\temp\\COM1.txt', 'reserved device name'],
      ['C:\\temp\\lpt9', 'reserved device name'],
      ['C:\\temp\\aux.jsonl ', 'reserved device name'],
      ['\\\\.\\PhysicalDrive0', 'device namespace'],
      ['\\\\?\\GLOBALROOT\\Device\\x', 'device namespace'],
      ['keys.csv', 'not absolute'],
      ['C:keys.csv', 'not absolute'],
      // An ordinary name gets as far as the folder check (no C:\\temp on this machine).
      ['C:\\temp\\keys.csv', 'the folder does not exist'],
    ];
    for (const [path, details] of cases) {
      await expect(checkFilePath(path, 'write', 'win32'), path).rejects.toMatchObject({ ...refused, details });
    }
  });
});
