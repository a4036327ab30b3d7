/**
 * The one vpcd reader slot the real-stack NFC tests share (port and reader name from
 * SKM_VPCD_PORT / SKM_VPCD_READER, as .ci/pcscd.sh uses them). vitest runs test files in parallel
 * processes, and two cards on one slot would answer each other's APDUs, so every user takes the
 * slot through a first-come-first-served lock made of ticket files.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceDescriptor } from '../../../ctap/transport/discovery.js';
import type { PcscDiscovery } from '../../../ctap/transport/nfc/pcsc.js';
import type { VirtualCard } from '../../../ctap/virtual/card.js';
import { attachToVpcd } from '../../../ctap/virtual/vpcd.js';

export const VPCD_PORT = Number(process.env.SKM_VPCD_PORT ?? 35963);
export const VPCD_READER = process.env.SKM_VPCD_READER ?? 'Virtual PCD 00 00';
const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';

/** Whether pcscd answers on its socket (the vpcd port is not probed: a connection is a "tap"). */
export function pcscdReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(PCSCD_SOCKET);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Real-stack tests run when pcscd is there, and must run (and fail loudly) under CI. */
export async function realStackSkipReason(): Promise<string | null> {
  if (process.env.CI || (await pcscdReachable())) return null;
  return `pcscd is not reachable at ${PCSCD_SOCKET} (run .ci/pcscd.sh)`;
}

const ticketDir = join(tmpdir(), `skm-vpcd-${VPCD_PORT}.tickets`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let sequence = 0;

/** Wait for the slot; returns the release function. Tickets of dead processes are dropped. */
export async function acquireSlot(): Promise<() => void> {
  mkdirSync(ticketDir, { recursive: true });
  // Sortable: time, then pid and a per-process sequence to break ties.
  const ticket = `${String(Date.now()).padStart(15, '0')}-${String(process.pid).padStart(8, '0')}-${String(sequence++).padStart(6, '0')}`;
  writeFileSync(join(ticketDir, ticket), '');
  for (;;) {
    const waiting = readdirSync(ticketDir).sort();
    const ahead = waiting.filter((name) => name < ticket);
    for (const name of ahead) {
      const pid = Number(name.split('-')[1]);
      if (!alive(pid)) rmSync(join(ticketDir, name), { force: true });
    }
    if (ahead.every((name) => !alive(Number(name.split('-')[1])))) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return () => rmSync(join(ticketDir, ticket), { force: true });
}

/** Wait until the slot's reader shows `status` in `discovery`. */
export async function readerStatus(discovery: PcscDiscovery, status: DeviceDescriptor['status'], timeoutMs = 5_000): Promise<DeviceDescriptor> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const device = (await discovery.list()).find((d) => d.reader === VPCD_READER);
    if (device?.status === status) return device;
    if (Date.now() > deadline) throw new Error(`The reader "${VPCD_READER}" did not become ${status} (now ${device?.status ?? 'absent'}).`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Tapped {
  device: DeviceDescriptor;
  /** Lift the card (close the vpcd socket), wait for the empty reader, free the slot. */
  lift(): Promise<void>;
}

/** Take the slot, put `card` on the vpcd reader and wait until PC/SC reports it ready. */
export async function tapCard(discovery: PcscDiscovery, card: VirtualCard): Promise<Tapped> {
  const release = await acquireSlot();
  const controller = new AbortController();
  const attached = attachToVpcd({ card, signal: controller.signal, port: VPCD_PORT });
  let lifted: Promise<void> | undefined;
  const lift = (): Promise<void> =>
    (lifted ??= (async () => {
      controller.abort();
      await attached;
      try {
        await readerStatus(discovery, 'no-card');
      } finally {
        release();
      }
    })());
  try {
    return { device: await readerStatus(discovery, 'ready'), lift };
  } catch (error) {
    await lift().catch(() => undefined);
    throw error;
  }
}
