/**
 * Benchmark plumbing: counters around the byte seams (HID reports, CTAP2 transactions, APDUs)
 * and a CPU/wall clock. Benchmarks report numbers; they assert nothing and never run in CI.
 */
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { HidConnection } from '../../ctap/transport/hid/hid-connection.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { VirtualKey, type VirtualKeyOptions } from '../../ctap/virtual/virtual-key.js';

export interface Counters {
  transactions: number;
  reportsOut: number;
  reportsIn: number;
}

export function countingConnection(inner: HidConnection, counters: Counters): HidConnection {
  return {
    async write(report) {
      counters.reportsOut++;
      return inner.write(report);
    },
    async read(timeoutMs) {
      const report = await inner.read(timeoutMs);
      if (report) counters.reportsIn++;
      return report;
    },
    close: () => inner.close(),
  };
}

export interface HidBench {
  key: VirtualKey;
  transport: CtapTransport;
  session: Ctap2Session;
  counters: Counters;
  reset(): void;
  close(): Promise<void>;
}

/** The virtual key behind the production CTAPHID transport, with every byte counted. */
export async function openHidBench(options: VirtualKeyOptions & { pin?: string } = {}): Promise<HidBench> {
  const { pin, ...keyOptions } = options;
  const key = VirtualKey.create(keyOptions);
  const counters: Counters = { transactions: 0, reportsOut: 0, reportsIn: 0 };
  const transport = await CtapHidTransport.open(countingConnection(key.openHid(), counters));
  const session = new Ctap2Session(transport, {
    onTrace: (event) => {
      if (event.direction === 'request') counters.transactions++;
    },
  });
  if (pin !== undefined) await new ClientPin(session).setPin(pin);
  const reset = () => {
    counters.transactions = 0;
    counters.reportsOut = 0;
    counters.reportsIn = 0;
  };
  reset();
  return { key, transport, session, counters, reset, close: () => transport.close() };
}

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T } & Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Prompts that answer from a queue of PINs and agree to everything (benchmarks only). */
export function answeringPrompts(pins: string[]): UserPrompts {
  const queue = [...pins];
  return {
    async pin() {
      const next = queue.shift();
      if (next === undefined) throw new Error('benchmark asked for more PINs than scripted');
      return next;
    },
    async confirm() {
      return true;
    },
    touch: () => () => undefined,
    reinsert: () => () => undefined,
    progress: () => undefined,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (n: number, digits = 2): string => n.toFixed(digits);
