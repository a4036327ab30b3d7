#!/usr/bin/env node
// `npm start`: the app where it can run, otherwise `skm` on a simulated key.
// The desktop app needs Electron's own binary and a display. Electron ≥ 42 downloads its binary on
// the first require('electron'); without network that fails, so this checks for the binary on disk
// (node_modules/electron/path.txt, written by the download) instead of triggering one. Where there
// is no binary or no display (a server, CI, a container), the same operations run through the CLI
// on a practice key kept in .skm-demo-key.json (its `info` ends with the next commands to try).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  return existsSync(join(root, 'node_modules', 'electron', 'path.txt')) ? 'electron' : null;
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

if (electronBinary() && hasDisplay()) {
  process.exit(run('npx', ['electron', '.', ...args]));
}

const why = hasDisplay() ? "Electron's binary is not installed here" : 'there is no display here';
process.stderr.write(`The desktop app cannot start (${why}); showing the simulated practice key with skm instead.\n\n`);
const code = run(process.execPath, [join(root, 'dist', 'skm.mjs'), '--virtual', '.skm-demo-key.json', 'info']);
// `info` on a simulated key ends with the commands to try; from a checkout, `skm` is this bundle.
process.stderr.write('\n(From this checkout, run skm as: node dist/skm.mjs …)\n');
process.exit(code);
