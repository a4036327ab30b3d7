// electron-builder `beforeBuild` hook: rebuild only @pokusew/pcsclite (a NAN addon, tied to one
// ABI) for the Electron being packaged. node-hid and cbor-extract load N-API prebuilds that work
// in Electron as they are; electron-builder's own rebuild would compile node-hid from source (it
// needs libusb/libudev headers and gains nothing). Resolving false tells electron-builder that
// node_modules are handled here. Afterwards `npm rebuild @pokusew/pcsclite` restores the build for
// plain Node (tests, the CLI).
import { readFile } from 'node:fs/promises';
import { rebuild } from '@electron/rebuild';

/** The addons that must be compiled for Electron's ABI (everything else loads N-API prebuilds). */
export const REBUILT_FOR_ELECTRON = ['@pokusew/pcsclite'];

export default async function rebuildNativeForElectron(context, run = rebuild) {
  const installed = JSON.parse(await readFile(new URL('../../../node_modules/electron/package.json', import.meta.url), 'utf8'));
  await run({
    buildPath: context.appDir,
    electronVersion: context.electronVersion ?? installed.version,
    arch: context.arch,
    onlyModules: REBUILT_FOR_ELECTRON,
    force: true,
  });
  return false;
}
