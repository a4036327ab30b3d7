/**
 * USB (CTAPHID) benchmarks over the virtual key: CTAP transactions and 64-byte HID reports per
 * operation, host CPU per transaction and PIN token acquisition on the host side (the simulated
 * key's own work measured apart and taken out).
 */
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { changePin, pinStatus, setPin } from '../../ctap/flows/manage-pin.js';
import { answeringPrompts, fmt, median, openHidBench, timed, type HidBench } from './measure.js';

const PIN = '493817';
const NEW_PIN = '720581';
const RUNS = 20;

interface Sample {
  transactions: number;
  reportsOut: number;
  reportsIn: number;
  hostCpuMs: number;
  keyCpuMs: number;
}

function row(name: string, samples: Sample[]): string {
  const { transactions, reportsOut, reportsIn } = samples.at(-1)!;
  const host = median(samples.map((s) => s.hostCpuMs));
  const key = median(samples.map((s) => s.keyCpuMs));
  const perTx = (ms: number) => fmt((ms / Math.max(1, transactions)) * 1000, 0);
  return `| ${name} | ${transactions} | ${reportsOut} | ${reportsIn} | ${fmt(host, 2)} | ${perTx(host)} | ${perTx(key)} |`;
}

async function sample(bench: HidBench, run: () => Promise<unknown>): Promise<Sample> {
  bench.reset();
  const t = await timed(run);
  const c = bench.counters;
  return { transactions: c.transactions, reportsOut: c.reportsOut, reportsIn: c.reportsIn, hostCpuMs: t.cpuMs - c.keyCpuMs, keyCpuMs: c.keyCpuMs };
}

export async function hidBenchmarks(print: (line: string) => void): Promise<void> {
  print(`### USB HID (CTAPHID over the virtual key, in-process; medians of ${RUNS})`);
  print('| operation | CTAP transactions | HID reports out | HID reports in | host CPU ms | host CPU µs per transaction | simulated key CPU µs per transaction |');
  print('|---|---|---|---|---|---|---|');

  // Repeatable on one key.
  const repeated: [string, boolean, (b: HidBench) => Promise<unknown>][] = [
    ['getInfo (fresh)', false, (b) => b.session.getInfo({ refresh: true })],
    ['PIN status (getInfo cached: getPINRetries only)', true, (b) => pinStatus({ session: b.session })],
    ['PIN token, permissions cm (protocol 2)', true, async (b) => (await new ClientPin(b.session).getToken(PIN, { permissions: Permission.cm })).dispose()],
  ];
  for (const [name, needsPin, run] of repeated) {
    const bench = await openHidBench(needsPin ? { pin: PIN } : {});
    await bench.session.getInfo();
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await sample(bench, () => run(bench)));
    print(row(name, samples));
    await bench.close();
  }

  // One-shot operations: a fresh key each time.
  const once: [string, string | undefined, (b: HidBench) => Promise<unknown>][] = [
    ['set PIN (flow; getInfo cached)', undefined, (b) => setPin({ session: b.session, prompts: answeringPrompts([PIN]) })],
    ['change PIN (flow; tries shown before the prompt)', PIN, (b) => changePin({ session: b.session, prompts: answeringPrompts([PIN, NEW_PIN]) })],
    ['change PIN (flow; PIN from a pipe)', PIN, (b) => changePin({ session: b.session, prompts: { ...answeringPrompts([PIN, NEW_PIN]), showsRetries: false } })],
  ];
  for (const [name, pin, run] of once) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      const bench = await openHidBench(pin ? { pin } : {});
      await bench.session.getInfo();
      samples.push(await sample(bench, () => run(bench)));
      await bench.close();
    }
    print(row(name, samples));
  }
  print('');
  print('Host CPU is the process CPU minus the simulated key\'s (measured around each request it');
  print('answers); its framing of reports still counts as host, so host figures are upper bounds.');
  print('Each row is a median of short runs in a fresh state, so it includes code that V8 has not');
  print('optimised yet and the cost of reading the CPU clock around every request.');
  print('');
  await steadyState(print);
}

const WARM_UP = 2_000;
const STEADY = 10_000;

/**
 * A long run of PIN status (one getPINRetries each) once V8 has optimised the code, as a script or
 * the app polling a key sees it: host time per transaction = (wall − the key's wall) / N, read off
 * the wall clock only (no CPU clock reads per request).
 */
async function steadyState(print: (line: string) => void): Promise<void> {
  const bench = await openHidBench({ pin: PIN });
  await bench.session.getInfo();
  for (let i = 0; i < WARM_UP; i++) await pinStatus({ session: bench.session });
  bench.reset();
  const start = performance.now();
  for (let i = 0; i < STEADY; i++) await pinStatus({ session: bench.session });
  const wallMs = performance.now() - start;
  const perTxUs = (ms: number) => fmt((ms / bench.counters.transactions) * 1000, 1);
  print(`Steady state, PIN status × ${STEADY} after ${WARM_UP} to warm up: ${perTxUs(wallMs)} µs per transaction in all, of which the simulated key ${perTxUs(bench.counters.keyMs)} µs and the host ${perTxUs(wallMs - bench.counters.keyMs)} µs.`);
  print('');
  await bench.close();
}
