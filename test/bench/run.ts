/**
 * `npm run bench`: every benchmark, printed as Markdown. Numbers are for the notes; nothing here
 * asserts or gates CI.
 */
import { statSync } from 'node:fs';
import { hidBenchmarks } from './hid.js';
import { nfcBenchmarks } from './nfc.js';
import { passkeyBenchmarks } from './passkeys.js';

const print = (line: string) => process.stdout.write(`${line}\n`);
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

print(`# Benchmarks (${new Date().toISOString()}, node ${process.version})`);
print('');
if (want('hid')) await hidBenchmarks(print);
if (want('passkeys')) await passkeyBenchmarks(print);
if (want('nfc')) await nfcBenchmarks(print);
if (want('bundle')) {
  print('### Bundle');
  try {
    print(`dist/skm.mjs (CLI bundle, esbuild): ${(statSync(new URL('../../dist/skm.mjs', import.meta.url)).size / 1024).toFixed(1)} KiB`);
  } catch {
    print('dist/skm.mjs not built (npm run build)');
  }
  print('');
}
process.exit(0);
