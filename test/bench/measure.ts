/**
 * Benchmark plumbing: counters around the byte seams (HID reports, CTAP2 transactions, APDUs), a
 * CPU/wall clock, and the simulated key's own share of the time (so host figures exclude it).
 *
 * USB wire time is simulated on a virtual clock, not with Node timers: every 64-byte report
 * advances `wireMs` by the report interval (1 ms on full-speed USB) while the bytes move at once.
 * A setTimeout(1) costs 1–2 ms of timer granularity and scheduling on a busy machine, which is
 * what the benchmark would otherwise measure; with the clock, simulated time is host time plus
 * the exact wire time (the key's own work is reported apart — a real key's differs anyway).
 */
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { HidConnection } from '../../ctap/transport/hid/hid-connection.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { VirtualKey, type VirtualKeyOptions } from '../../ctap/virtual/virtual-key.js';

/** Full-speed USB HID: one 64-byte report per 1 ms polling interval, each way. */
export const REPORT_INTERVAL_MS = 1;

export interface Counters {
  transactions: number;
  reportsOut: number;
  reportsIn: number;
  /** Virtual wire clock: REPORT_INTERVAL_MS per report, out and in. */
  wireMs: number;
  /** Wall and CPU time the simulated key spent answering CTAP requests. */
  keyMs: number;
  keyCpuMs: number;
}

export function countingConnection(inner: HidConnection, counters: Counters): HidConnection {
  return {
    async write(report) {
      counters.reportsOut++;
      counters.wireMs += REPORT_INTERVAL_MS;
      return inner.write(report);
    },
    async read(timeoutMs) {
      const report = await inner.read(timeoutMs);
      if (report) {
        counters.reportsIn++;
        counters.wireMs += REPORT_INTERVAL_MS;
      }
      return report;
    },
    close: () => inner.close(),
  };
}

/** Add the key's time per CTAP request to `counters.keyMs` (one request at a time in a benchmark). */
function timeKey(key: VirtualKey, counters: Counters): void {
  const authenticator = key.authenticator;
  const handle = authenticator.handle.bind(authenticator);
  authenticator.handle = async (request, io) => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await handle(request, io);
    } finally {
      counters.keyMs += performance.now() - start;
      const used = process.cpuUsage(cpu);
      counters.keyCpuMs += (used.user + used.system) / 1000;
    }
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

/**
 * The virtual key behind the production CTAPHID transport, with every byte counted and the
 * wire on the virtual clock (the key itself answers without simulated latency).
 */
export async function openHidBench(options: VirtualKeyOptions & { pin?: string } = {}): Promise<HidBench> {
  const { pin, ...keyOptions } = options;
  const key = VirtualKey.create({ ...keyOptions, config: { ...keyOptions.config, reportLatencyMs: 0 } });
  const counters: Counters = { transactions: 0, reportsOut: 0, reportsIn: 0, wireMs: 0, keyMs: 0, keyCpuMs: 0 };
  timeKey(key, counters);
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
    counters.wireMs = 0;
    counters.keyMs = 0;
    counters.keyCpuMs = 0;
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
