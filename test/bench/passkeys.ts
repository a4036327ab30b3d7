/**
 * Passkey listing cost: CTAP transactions for C passkeys over R RPs against the minimum
 * C + R + 3 after a cached getInfo (key agreement, token, metadata, then R RP and C credential
 * answers), with a prompt that shows the tries left and with a PIN from a pipe; then 100 passkeys
 * over 10 RPs on the virtual USB clock (1 ms per report) against the physical minimum.
 */
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import { storedCredential } from '../flows/manage-helpers.js';
import { answeringPrompts, fmt, median, openHidBench, timed } from './measure.js';

const PIN = '493817';
const RUNS = 9;

async function listOnce(credentials: number, rps: number, showsRetries = true) {
  const bench = await openHidBench({ pin: PIN, config: { credentialSlots: Math.max(100, credentials) } });
  for (let i = 0; i < credentials; i++) {
    bench.key.state.credentials.push(storedCredential({ rpId: `rp${i % rps}.example`, user: `user${i}` }));
  }
  await bench.session.getInfo();
  bench.reset();
  const t = await timed(() => listPasskeys({ session: bench.session, prompts: { ...answeringPrompts([PIN]), showsRetries } }));
  if (t.value.outcome !== 'listed' || t.value.passkeys.length !== credentials) throw new Error(`listing failed: ${t.value.outcome}`);
  const counts = { ...bench.counters };
  await bench.close();
  return { ...counts, wallMs: t.wallMs, cpuMs: t.cpuMs };
}

export async function passkeyBenchmarks(print: (line: string) => void): Promise<void> {
  print('### Listing passkeys (USB HID, virtual key)');
  print('| passkeys C | RPs R | minimum C+R+3 | CTAP transactions, tries shown | CTAP transactions, PIN from a pipe | HID reports (out+in), pipe |');
  print('|---|---|---|---|---|---|');
  for (const [c, r] of [[1, 1], [10, 2], [50, 10], [100, 10], [100, 50]] as const) {
    const shown = await listOnce(c, r);
    const piped = await listOnce(c, r, false);
    print(`| ${c} | ${r} | ${c + r + 3} | ${shown.transactions} | ${piped.transactions} | ${piped.reportsOut + piped.reportsIn} |`);
  }
  print('');
  print('The one more with the tries shown is getPINRetries: a prompt that shows the tries left (a');
  print('terminal, the app) reads them before the person types; a PIN read from a pipe does not need');
  print('them (a wrong PIN is still followed by the read). getInfo comes from the session cache (+1 in');
  print('a new process), which the session itself drops after any command that changes it.');
  print('');

  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await listOnce(100, 10, false));
  const last = runs.at(-1)!;
  const wire = last.wireMs;
  const hostWall = median(runs.map((r) => r.wallMs - r.keyMs));
  const hostCpu = median(runs.map((r) => r.cpuMs - r.keyCpuMs));
  const keyCpu = median(runs.map((r) => r.keyCpuMs));
  const simulated = hostWall + wire;
  print(`100 passkeys over 10 RPs, USB at ${1} ms per report on the virtual clock (median of ${RUNS}):`);
  print(`| measure | value |`);
  print(`|---|---|`);
  print(`| CTAP transactions / HID reports | ${last.transactions} / ${last.reportsOut + last.reportsIn} |`);
  print(`| physical minimum (reports × 1 ms) | ${fmt(wire, 0)} ms |`);
  print(`| simulated: host wall + wire | ${fmt(simulated, 0)} ms (${fmt(simulated / wire, 3)}× the minimum) |`);
  print(`| host wall (the key's time taken out) | ${fmt(hostWall, 1)} ms |`);
  print(`| host CPU per transaction | ${fmt((hostCpu / last.transactions) * 1000, 0)} µs |`);
  print(`| simulated key's CPU (not host; a real key's differs) | ${fmt(keyCpu, 1)} ms, ${fmt((keyCpu / last.transactions) * 1000, 0)} µs per transaction |`);
  print('');
}
