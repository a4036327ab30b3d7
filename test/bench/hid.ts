/**
 * USB (CTAPHID) benchmarks over the virtual key: CTAP transactions and 64-byte HID reports per
 * operation, host CPU per transaction, PIN token acquisition time.
 */
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { changePin, pinStatus, setPin } from '../../ctap/flows/manage-pin.js';
import { answeringPrompts, fmt, median, openHidBench, timed } from './measure.js';

const PIN = '493817';
const NEW_PIN = '720581';

export async function hidBenchmarks(print: (line: string) => void): Promise<void> {
  print('### USB HID (CTAPHID over the virtual key, in-process)');
  print('| operation | CTAP transactions | HID reports out | HID reports in | wall ms (median of 20) | CPU ms per transaction |');
  print('|---|---|---|---|---|---|');

  const rows: [string, (pinSet: boolean) => Promise<unknown>, boolean][] = [];
  let bench = await openHidBench();
  rows.push(['getInfo (fresh)', () => bench.session.getInfo({ refresh: true }), false]);
  rows.push(['PIN status (getInfo cached: getPINRetries only)', () => pinStatus({ session: bench.session }), true]);
  for (const [name, run, needsPin] of rows) {
    bench = await openHidBench(needsPin ? { pin: PIN } : {});
    const walls: number[] = [];
    let counts = { ...bench.counters };
    let cpuPerTx = 0;
    for (let i = 0; i < 20; i++) {
      bench.reset();
      const t = await timed(() => run(needsPin));
      walls.push(t.wallMs);
      counts = { ...bench.counters };
      cpuPerTx += t.cpuMs / Math.max(1, counts.transactions) / 20;
    }
    print(`| ${name} | ${counts.transactions} | ${counts.reportsOut} | ${counts.reportsIn} | ${fmt(median(walls))} | ${fmt(cpuPerTx, 3)} |`);
    await bench.close();
  }

  // One-shot operations: a fresh key each time.
  const once = async (name: string, pin: string | undefined, run: (b: Awaited<ReturnType<typeof openHidBench>>) => Promise<unknown>) => {
    const walls: number[] = [];
    let counts = { transactions: 0, reportsOut: 0, reportsIn: 0 };
    let cpuPerTx = 0;
    for (let i = 0; i < 20; i++) {
      const b = await openHidBench(pin ? { pin } : {});
      await b.session.getInfo();
      b.reset();
      const t = await timed(() => run(b));
      walls.push(t.wallMs);
      counts = { ...b.counters };
      cpuPerTx += t.cpuMs / Math.max(1, counts.transactions) / 20;
      await b.close();
    }
    print(`| ${name} | ${counts.transactions} | ${counts.reportsOut} | ${counts.reportsIn} | ${fmt(median(walls))} | ${fmt(cpuPerTx, 3)} |`);
  };
  await once('set PIN (flow; getInfo cached)', undefined, (b) => setPin({ session: b.session, prompts: answeringPrompts([PIN]) }));
  await once('change PIN (flow; retries shown before the prompt)', PIN, (b) => changePin({ session: b.session, prompts: answeringPrompts([PIN, NEW_PIN]) }));
  await once('PIN token, permissions cm (protocol 2)', PIN, async (b) => {
    const token = await new ClientPin(b.session).getToken(PIN, { permissions: Permission.cm });
    token.dispose();
  });
  print('');
  print('CPU is the whole process: host code and the simulated key run in the same thread.');
  print('');
}
