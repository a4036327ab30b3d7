/**
 * The desktop app's service path: how long from creating a KeyService to the first simulated key
 * listed (the `--virtual FILE` start, and the app's "Add a simulated key"), and what one IPC call
 * costs on top of the service through the contract's validation (IpcRouter.handle: channel lookup,
 * zod parse, dispatch) plus the structured clone Electron's IPC applies to every answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcRouter } from '../../main/ipc/router.js';
import { KeyService } from '../../main/service/key-service.js';
import { fmt, median } from './measure.js';

const STARTS = 15;
const CALLS = 5_000;

async function firstKeyListed(dir: string, run: number, mode: 'virtual-files' | 'add-virtual-key', fresh: boolean): Promise<number> {
  const file = join(dir, fresh ? `fresh-${mode}-${run}.json` : `kept-${mode}.json`);
  const start = performance.now();
  let service: KeyService;
  if (mode === 'virtual-files') {
    service = new KeyService({ virtualFiles: [file], hardwareSources: () => [] });
    const listed = await service.listDevices();
    if (!listed.ok || listed.value.length !== 1) throw new Error('no simulated key listed');
  } else {
    service = new KeyService({ hardwareSources: () => [] });
    const added = await service.addVirtualKey({ file });
    if (!added.ok) throw new Error('simulated key not added');
  }
  const elapsed = performance.now() - start;
  await service.close();
  return elapsed;
}

/** Median microseconds per call of `call`, after a warm-up. */
async function perCallMicros(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await call();
    samples.push((performance.now() - start) * 1000);
  }
  return median(samples);
}

export async function serviceBenchmarks(print: (line: string) => void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skm-bench-service-'));
  try {
    print('### KeyService start → first simulated key listed');
    print(`| path | state file | median of ${STARTS} (ms) | min (ms) |`);
    print('|---|---|---|---|');
    for (const mode of ['virtual-files', 'add-virtual-key'] as const) {
      for (const fresh of [true, false]) {
        const times: number[] = [];
        for (let run = 0; run < STARTS; run++) times.push(await firstKeyListed(dir, run, mode, fresh));
        const label = mode === 'virtual-files' ? '`new KeyService({ virtualFiles })` + listDevices' : '`new KeyService()` + addVirtualKey (app menu)';
        print(`| ${label} | ${fresh ? 'created' : 'existing'} | ${fmt(median(times), 1)} | ${fmt(Math.min(...times), 1)} |`);
      }
    }
    print('');

    print('### IPC round trip overhead per call (IpcRouter: channel lookup + zod parse + dispatch)');
    const service = new KeyService({ virtualFiles: [join(dir, 'ipc.json')], hardwareSources: () => [] });
    const router = new IpcRouter({ service, emit: () => undefined, virtualKeyDir: dir });
    const listed = await router.handle('listDevices', {});
    // A service that answers at once isolates what the router adds (real listDevices varies by more).
    const instant = { listDevices: async () => listed, watchDevices: () => () => undefined } as unknown as KeyService;
    const instantRouter = new IpcRouter({ service: instant, emit: () => undefined, virtualKeyDir: dir });
    const rows: [string, () => Promise<unknown>][] = [
      ['instant service.listDevices() directly', () => instant.listDevices()],
      ["router.handle('listDevices', {}) over the instant service", () => instantRouter.handle('listDevices', {})],
      ["router.handle('answerPrompt', a PIN answer nobody waits for)", () => router.handle('answerPrompt', { kind: 'pin', id: 'op1-1', pin: '493817' })],
      ["router.handle('cancelOperation', a run that is not running)", () => router.handle('cancelOperation', { runId: 'not-running' })],
      ["router.handle('runOperation', malformed → BAD_REQUEST)", () => router.handle('runOperation', { operation: 'pin.set', runId: 'r', input: { pin: 'x' } })],
      ['structuredClone of a listDevices Result (Electron IPC serialises every answer)', async () => structuredClone(listed)],
      ['real service.listDevices() (1 simulated key), for scale', () => service.listDevices()],
    ];
    print(`| call | median µs (${CALLS} calls) |`);
    print('|---|---|');
    const medians: number[] = [];
    for (const [label, call] of rows) {
      medians.push(await perCallMicros(call));
      print(`| ${label} | ${fmt(medians.at(-1)!, 2)} |`);
    }
    print(`| → router overhead per listDevices call (row 2 − row 1) | ${fmt(medians[1]! - medians[0]!, 2)} |`);
    instantRouter.close();
    router.close();
    await service.close();
    print('');
    print('Electron\'s own IPC hop (renderer ↔ main, ~tens of µs) cannot be measured here: no Electron binary.');
    print('');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
