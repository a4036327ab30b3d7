#!/usr/bin/env node
// The one test command (README, .ci/run): typecheck, lint, then every vitest suite. Prints a
// plain "N passed, M failed" closing line built from vitest's JSON report (the CI reads that line,
// not vitest's own summary). Typecheck and lint each count as one check in that line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, extraEnv = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', ...extraEnv } }).status ?? 1;

let passed = 0;
let failed = 0;
let skipped = 0;
const check = (name, status) => {
  console.log(`check ${name}: ${status === 0 ? 'ok' : 'FAILED'}`);
  if (status === 0) passed++;
  else failed++;
};

check('typecheck', run(bin('tsc'), ['-p', 'tsconfig.json']));
check('typecheck renderer', run(bin('tsc'), ['-p', 'renderer/tsconfig.json']));
check('lint', run(bin('eslint'), ['-c', 'test/eslint.config.mjs', '.']));

const dir = mkdtempSync(join(tmpdir(), 'skm-vitest-'));
const report = join(dir, 'report.json');
const vitestStatus = run(bin('vitest'), [
  'run', '-c', 'test/vitest.config.mts',
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
let ranVitest = false;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  // A suite that fails to load has no failed test but a failed file: count it.
  const brokenFiles = json.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  failed += brokenFiles;
  ranVitest = json.numTotalTests > 0;
} catch {
  failed++;
  console.error('vitest produced no JSON report');
}
rmSync(dir, { recursive: true, force: true });
if (vitestStatus !== 0 && failed === 0) failed++;
if (!ranVitest) console.error('vitest ran no test');

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && vitestStatus === 0 && ranVitest ? 0 : 1);
