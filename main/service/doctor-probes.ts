/**
 * The real system behind the doctor's checks (doctor.ts decides; this only looks). node-hid and
 * nfc-pcsc are reached through their one adapter file each (DESIGN.md "Layers"), loaded lazily so
 * a missing native library is a finding, not a crash. Every probe has a time limit: a doctor that
 * hangs on a stuck USB stack or pcscd would be no help.
 * @module
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import type * as NodeHidAdapter from '../../ctap/transport/hid/node-hid.js';
import type { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import type { DoctorProbes, HidProbe, PcscProbe } from './doctor.js';

const HID_TIMEOUT_MS = 4_000;
const PCSC_TIMEOUT_MS = 3_000;
/** Where udev reads rules from, in its own order of precedence. */
const UDEV_RULE_DIRS = ['/etc/udev/rules.d', '/run/udev/rules.d', '/usr/lib/udev/rules.d', '/lib/udev/rules.d'];
const DEFAULT_PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/** The "High Mandatory Level" integrity SID: present in `whoami /groups` of an elevated process. */
const HIGH_INTEGRITY_SID = 'S-1-16-12288';

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Enumerate FIDO HID devices and open (then close) each one: opening is what the OS may refuse. */
async function probeHid(): Promise<HidProbe> {
  let hid: typeof NodeHidAdapter;
  try {
    hid = await import('../../ctap/transport/hid/node-hid.js');
  } catch (error) {
    return { loaded: false, error: message(error) };
  }
  const devices = (await hid.nodeHidBackend.enumerate()).filter(hid.isFidoDevice);
  const fidoDevices = await Promise.all(
    devices.map(async (device) => {
      try {
        const handle = await hid.nodeHidBackend.open(device.path);
        await handle.close();
        return { path: device.path, openable: true };
      } catch (error) {
        return { path: device.path, openable: false, error: message(error) };
      }
    }),
  );
  return { loaded: true, fidoDevices };
}

/** Linux: is pcscd's socket there and answering? (pcsclite itself would spin forever if not.) */
function pcscdSocket(): Promise<'running' | 'not-running' | 'no-permission'> {
  const path = process.env.PCSCLITE_CSOCK_NAME ?? DEFAULT_PCSCD_SOCKET;
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('running');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code === 'EACCES' ? 'no-permission' : 'not-running');
    });
  });
}

async function probePcsc(): Promise<PcscProbe> {
  if (platform() === 'linux') {
    const state = await pcscdSocket();
    if (state === 'not-running') return { state, error: `nothing listens on ${process.env.PCSCLITE_CSOCK_NAME ?? DEFAULT_PCSCD_SOCKET}` };
    if (state === 'no-permission') return { state, error: 'EACCES on the pcscd socket' };
  }
  let discovery: PcscDiscovery;
  try {
    const { PcscDiscovery } = await import('../../ctap/transport/nfc/pcsc.js');
    discovery = new PcscDiscovery();
  } catch (error) {
    return { state: 'not-loadable', error: message(error) };
  }
  try {
    const devices = await withTimeout(discovery.list(), PCSC_TIMEOUT_MS, 'PC/SC');
    const readers = [...new Set(devices.map((d) => d.reader).filter((r): r is string => typeof r === 'string'))];
    return { state: 'running', readers };
  } catch (error) {
    return { state: 'not-loadable', error: message(error) };
  } finally {
    await discovery.close().catch(() => undefined);
  }
}

async function readUdevRules(): Promise<{ path: string; text: string }[]> {
  const files: { path: string; text: string }[] = [];
  for (const dir of UDEV_RULE_DIRS) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.rules'))) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      files.push({ path: join(dir, name), text });
    }
  }
  return files;
}

function isElevatedOnWindows(): Promise<boolean | null> {
  return new Promise((resolve) => {
    execFile('whoami', ['/groups'], { timeout: 3_000, windowsHide: true }, (error, stdout) => resolve(error ? null : stdout.includes(HIGH_INTEGRITY_SID)));
  });
}

/** "10.0.19045" → 19045. */
export function windowsBuildFrom(osRelease: string): number | null {
  const build = Number(osRelease.split('.')[2]);
  return Number.isInteger(build) ? build : null;
}

/** The probes of this machine and process. */
export function systemProbes(): DoctorProbes {
  return {
    platform: platform(),
    arch: arch(),
    versions: { node: process.versions.node, electron: process.versions.electron },
    hid: () => withTimeout(probeHid(), HID_TIMEOUT_MS, 'USB HID'),
    pcsc: probePcsc,
    udevRules: readUdevRules,
    isElevated: isElevatedOnWindows,
    windowsBuild: () => (platform() === 'win32' ? windowsBuildFrom(release()) : null),
  };
}
