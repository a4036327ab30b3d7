/**
 * Fleet provisioning: software time per key besides touches and reinsertions (target ≤ 0.5 s),
 * and four keys plugged in together against the same four one after another. Simulated USB keys
 * on a hub (test/provisioning/fleet.ts) with touches approved at once and no reset, so all the
 * time measured is this app's and the simulated USB link's (reportLatencyMs per 64-byte report).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfile } from '../../main/service/provisioning/profile.js';
import { ProvisionReport } from '../../main/service/provisioning/report.js';
import { provisionKeys } from '../../main/service/provisioning/runner.js';
import { Fleet } from '../provisioning/fleet.js';
import { fmt, median, timed } from './measure.js';

const PROFILE = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "alwaysUv": true, "minPinLength": 8, "forcePinChange": true }';

async function provision(keys: number, together: boolean, reportLatencyMs: number): Promise<{ wallMs: number; cpuMs: number }> {
  const parsed = parseProfile(PROFILE);
  if (!parsed.ok) throw new Error('benchmark profile is invalid');
  const dir = await mkdtemp(join(tmpdir(), 'skm-bench-provision-'));
  const fleet = new Fleet();
  for (let i = 0; i < keys; i++) fleet.add({ serial: `B${i}`, config: { reportLatencyMs } });
  const service = fleet.service();
  const report = await ProvisionReport.open(join(dir, 'report.csv'), { withPins: true });
  if (together) for (let i = 0; i < keys; i++) fleet.plug(`B${i}`);
  else fleet.plug('B0');
  let next = 1;
  try {
    const t = await timed(() =>
      provisionKeys({
        service,
        profile: parsed.profile,
        report,
        count: keys,
        signal: new AbortController().signal,
        onEvent: (event) => {
          // One after another: the next key goes in when the last one is finished.
          if (!together && event.type === 'finished' && next < keys) fleet.plug(`B${next++}`);
        },
      }),
    );
    if (t.value.outcomes.done !== keys) throw new Error(`provisioned ${t.value.outcomes.done} of ${keys}`);
    return { wallMs: t.wallMs, cpuMs: t.cpuMs };
  } finally {
    await report.close();
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function provisionBenchmarks(print: (line: string) => void): Promise<void> {
  print('### Fleet provisioning (simulated USB keys; PIN, always-verify, minimum PIN length + forced change, read back, report)');
  // Warm-up: module loading and JIT are not per-key costs.
  await provision(1, false, 0);
  const single: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 7; i++) single.push(await provision(1, false, 0));
  print(`Software time per key (median of 7, no USB latency): ${fmt(median(single.map((s) => s.wallMs)), 0)} ms wall, ${fmt(median(single.map((s) => s.cpuMs)), 0)} ms CPU (target ≤ 500 ms)`);
  print('');
  print('| keys | USB latency per report | one after another | together | speed-up |');
  print('|---|---|---|---|---|');
  for (const latency of [0, 1]) {
    const sequential = await provision(4, false, latency);
    const together = await provision(4, true, latency);
    print(`| 4 | ${latency} ms | ${fmt(sequential.wallMs, 0)} ms | ${fmt(together.wallMs, 0)} ms | ${fmt(sequential.wallMs / together.wallMs)}× |`);
  }
  print('');
}
