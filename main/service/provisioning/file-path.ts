/**
 * Checks a file name that came from outside main (the renderer, a dialog) before main writes or
 * reads it: the app writes reports (with PINs), exports and policies only as ordinary files in a
 * folder that exists, named in full. A relative name would land wherever the app happened to
 * start; a device (/dev/…, Windows' NUL or COM1, \\.\ paths) is not a file to keep PINs in.
 * @module
 */
import { lstat, stat } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import { AppError } from '../errors.js';

/** Names Windows keeps for devices in every folder, with or without an extension. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
/** POSIX folders of devices and kernel files, never ordinary files. */
const POSIX_DEVICE_FOLDERS = ['/dev/', '/proc/', '/sys/'];

const refuse = (path: string, details: string): AppError => new AppError('FILE_ACCESS', { reason: 'path-not-allowed', path: path.slice(0, 300), details });

/**
 * The normalised absolute name of a file main may write (`write`) or read.
 * @throws AppError FILE_ACCESS path-not-allowed
 */
export async function checkFilePath(path: string, purpose: 'write' | 'read', platform: NodeJS.Platform = process.platform): Promise<string> {
  const paths = platform === 'win32' ? win32 : posix;
  if (path.includes('\0')) throw refuse(path, 'contains a NUL character');
  if (!paths.isAbsolute(path)) throw refuse(path, 'not absolute');
  const full = paths.resolve(path);
  if (platform === 'win32') {
    // \\.\PhysicalDrive0, \\?\GLOBALROOT\…: device namespaces, not files.
    if (/^[\\/]{2}[.?][\\/]/.test(path)) throw refuse(path, 'device namespace');
    if (WINDOWS_DEVICE_NAME.test(win32.basename(full).replace(/[ .]+$/, ''))) throw refuse(path, 'reserved device name');
  } else if (POSIX_DEVICE_FOLDERS.some((folder) => full === folder.slice(0, -1) || full.startsWith(folder))) {
    throw refuse(path, 'device or kernel folder');
  }
  const folder = paths.dirname(full);
  const folderStat = await stat(folder).catch(() => null);
  if (!folderStat?.isDirectory()) throw refuse(path, 'the folder does not exist');
  const existing = await lstat(full).catch(() => null);
  if (existing && !existing.isFile()) throw refuse(path, 'not an ordinary file');
  if (!existing && purpose === 'read') throw refuse(path, 'does not exist');
  return full;
}
