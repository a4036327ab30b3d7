/**
 * The `skm` executable (main/cli/build.mjs bundles it as dist/skm.mjs). `skm --version` is
 * answered here, before the CLI and its dependencies are even read, as commander would answer it;
 * every other command line turns on V8's compile cache (compile-cache.ts) and loads the CLI (skm.ts),
 * which in turn loads only what its command uses.
 * skm.ts itself only exports, so tests import it without side effects.
 * @module
 */
import { enableCompileCache } from './compile-cache.js';
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else {
  enableCompileCache();
  const { main } = await import('./skm.js');
  await main();
}
