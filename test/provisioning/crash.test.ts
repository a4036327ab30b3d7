// A provisioning run killed outright (SIGKILL: no chance to clean up) in the middle of a key: the
// report is still a complete report, its stale lock is taken over, and a rerun finishes the job
// so that every key ends as the report says. Runs the built CLI as its own process.
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pinHashHex, readState, tempDir } from '../cli/helpers.js';

const outfile = fileURLToPath(new URL(`../../dist/skm-crash-test-${process.pid}.mjs`, import.meta.url));
let tmp: Awaited<ReturnType<typeof tempDir>>;
/** Simulated key file name → the key's id (`skm list`), which the report names it by. */
const ids = new Map<string, string>();

beforeAll(async () => {
  const { buildCli } = await import('../../main/cli/build.mjs');
  await buildCli({ outfile });
  tmp = await tempDir();
  for (const name of ['a', 'b', 'c']) {
    const listed = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [outfile, '--virtual', tmp.file(`${name}.json`), '--json', 'list'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    ids.set(name, (JSON.parse(listed) as { id: string }[])[0]!.id);
  }
});

afterAll(async () => {
  await rm(outfile, { force: true });
  const { chunkDir } = await import('../../main/cli/build.mjs');
  await rm(chunkDir(outfile), { recursive: true, force: true });
  await tmp.cleanup();
});

/** Run skm; kill it with SIGKILL as soon as stderr shows `killAt`. */
function skmProcess(args: string[], killAt?: RegExp): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [outfile, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (killAt?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

it('a run killed mid-key leaves a consistent report, and a rerun finishes every key as reported', async () => {
  const profile = tmp.file('profile.json');
  await writeFile(profile, '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }');
  const keys = ['a', 'b', 'c'].flatMap((name) => ['--virtual', tmp.file(`${name}.json`)]);
  const report = tmp.file('report.csv');
  const args = [...keys, 'provision', '--profile', profile, '--report', report, '--count', '3'];

  const killed = await skmProcess(args, /minimum PIN length and forced change…/);
  expect(killed.signal).toBe('SIGKILL');
  const afterKill = csvRows(await readFile(report, 'utf8'));
  expect(afterKill.length).toBeGreaterThan(0);
  for (const row of afterKill) {
    expect(['done', 'incomplete']).toContain(row.result);
    expect(row.pin).toMatch(/^\d{8}$/);
  }

  const rerun = await skmProcess(args);
  expect(rerun.code).toBe(0);
  const rows = csvRows(await readFile(report, 'utf8'));
  expect(rows.map((r) => r.result)).toEqual(['done', 'done', 'done']);
  for (const row of rows) {
    const name = [...ids].find(([, id]) => id === row.identity)![0];
    const file = tmp.file(`${name}.json`);
    const { state } = (await readState(file)) as unknown as { state: { pinHash: string; minPinLength: number; forcePinChange: boolean } };
    expect(state).toMatchObject({ pinHash: pinHashHex(row.pin!), minPinLength: 8, forcePinChange: true });
  }
  // Whatever the kill left behind (a temporary report with PINs, the dead run's lock) is gone.
  expect((await readdir(tmp.dir)).filter((name) => name.includes('report'))).toEqual(['report.csv']);
});
