/**
 * Passkey listing cost: CTAP transactions for C passkeys over R RPs against the minimum
 * C + R + 3 after a cached getInfo (key agreement, token, metadata, then R RP and C credential
 * answers), with a prompt that shows the tries left and with a PIN from a pipe, and wall time for 100 passkeys with the virtual key's simulated USB timing (1 ms per
 * 64-byte report) against the physical minimum (reports × 1 ms).
 */
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import { storedCredential } from '../flows/manage-helpers.js';
import { answeringPrompts, fmt, openHidBench, timed } from './measure.js';

const PIN = '493817';

async function listOnce(credentials: number, rps: number, reportLatencyMs: number, showsRetries = true) {
  const bench = await openHidBench({ pin: PIN, config: { reportLatencyMs, credentialSlots: Math.max(100, credentials) } });
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
    const shown = await listOnce(c, r, 0);
    const piped = await listOnce(c, r, 0, false);
    print(`| ${c} | ${r} | ${c + r + 3} | ${shown.transactions} | ${piped.transactions} | ${piped.reportsOut + piped.reportsIn} |`);
  }
  print('');
  print('The one more with the tries shown is getPINRetries: a prompt that shows the tries left (a');
  print('terminal, the app) reads them before the person types; a PIN read from a pipe does not need');
  print('them (a wrong PIN is still followed by the read). getInfo comes from the session cache (+1 in');
  print('a new process), which the session itself drops after any command that changes it.');
  print('');
  const fast = await listOnce(100, 10, 0);
  const slow = await listOnce(100, 10, 1);
  const floor = slow.reportsOut + slow.reportsIn;
  print(`100 passkeys over 10 RPs at 1 ms per report: ${fmt(slow.wallMs, 0)} ms wall; physical minimum ${floor} reports × 1 ms = ${floor} ms (overhead ${fmt(slow.wallMs - floor, 0)} ms, ${fmt(((slow.wallMs - floor) / slow.transactions), 2)} ms per transaction).`);
  print(`Same listing with no simulated latency: ${fmt(fast.wallMs, 0)} ms wall, ${fmt(fast.cpuMs, 0)} ms CPU (host and simulated key together) — the part of the overhead that is computation; the rest is Node timer granularity in the simulated 1 ms delays.`);
  print('');
}
