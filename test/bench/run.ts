/**
 * `npm run bench`: every benchmark, printed as Markdown. Numbers are for the notes; nothing here
 * asserts or gates CI.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hidBenchmarks } from './hid.js';
import { nfcBenchmarks } from './nfc.js';
import { largeBlobBenchmarks } from './large-blobs.js';
import { passkeyBenchmarks } from './passkeys.js';
import { sideBySideBenchmarks } from './side-by-side.js';
import { serviceBenchmarks } from './service.js';
import { provisionBenchmarks } from './provision.js';
import { rendererBenchmarks } from './renderer.js';

const print = (line: string) => process.stdout.write(`${line}\n`);
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

print(`# Benchmarks (${new Date().toISOString()}, node ${process.version})`);
print('');
if (want('hid')) await hidBenchmarks(print);
if (want('passkeys')) await passkeyBenchmarks(print);
if (want('large-blobs')) await largeBlobBenchmarks(print);
if (want('nfc')) await nfcBenchmarks(print);
if (want('side-by-side')) await sideBySideBenchmarks(print);
if (want('service')) await serviceBenchmarks(print);
if (want('provision')) await provisionBenchmarks(print);
if (want('renderer')) await rendererBenchmarks(print);
if (want('bundle')) {
  print('### Bundle');
  try {
    const bundle = fileURLToPath(new URL('../../dist/skm.mjs', import.meta.url));
    const chunks = fileURLToPath(new URL('../../dist/skm-chunks', import.meta.url));
    const chunkSizes = readdirSync(chunks).map((name) => statSync(join(chunks, name)).size);
    const kib = (bytes: number) => (bytes / 1024).toFixed(1);
    print(`dist/skm.mjs (CLI entry, esbuild, whitespace+syntax minified; native modules external): ${kib(statSync(bundle).size)} KiB, and ${chunkSizes.length} chunks loaded on demand (dist/skm-chunks/): ${kib(chunkSizes.reduce((a, b) => a + b, 0))} KiB`);
    const starts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      execFileSync(process.execPath, [bundle, '--version']);
      starts.push(performance.now() - start);
    }
    starts.sort((a, b) => a - b);
    print(`\`skm --version\` start-up, median of 10: ${starts[5]!.toFixed(0)} ms`);
  } catch {
    print('dist/skm.mjs not built (npm run build)');
  }
  print('');
}
process.exit(0);
