// The renderer's build (lives in renderer/ to keep the repository's top level to the agreed
// layout). `base: './'` so the page loads from app:// or a file inside Electron as well as from
// the tests' http://app.test/; everything is bundled, nothing is fetched from the network.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Electron's Chromium; no legacy syntax needed.
    target: 'chrome130',
    sourcemap: false,
    reportCompressedSize: false,
    // One bundle on purpose (loaded from disk); its gzipped size is budgeted by a test instead.
    chunkSizeWarningLimit: 1000,
    // Fluent UI inlines no fonts or images; keep every asset a file so the CSP needs no data: fonts.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // Fluent UI marks its modules 'use client' for server rendering; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
