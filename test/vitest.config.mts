import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const excluded = ['test/bench/**', 'node_modules/**'];
/**
 * Pure in-memory suites — the CTAP code against scripted transports and simulated keys — share
 * no process state, so they run in worker threads, cheaper to start than a process per file.
 */
const threadedFolders = ['unit', 'property', 'virtual', 'flows', 'fuzz'];
/** Kept in a process of their own, as before: one spawns child processes on a state file, one drives the NFC reader path. */
const needsProcess = ['test/virtual/state.test.ts', 'test/flows/reset-nfc.test.ts'];
/**
 * Every other folder — the pcscd + vpcd NFC stack (one shared reader), CLI subprocesses,
 * Chromium, Electron checks — keeps a process per file. Listed from disk so a new folder runs.
 */
const isolatedFolders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'bench' && !threadedFolders.includes(entry.name))
  .map((entry) => entry.name);

export default defineConfig({
  // This file lives in test/ to keep the repository's top level to the agreed layout.
  root,
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: threadedFolders.map((f) => `test/${f}/**/*.test.ts`), exclude: [...excluded, ...needsProcess], pool: 'threads' },
      },
      {
        extends: true,
        test: { name: 'isolated', include: [...isolatedFolders.map((f) => `test/${f}/**/*.test.ts`), 'test/*.test.ts', ...needsProcess], exclude: excluded, pool: 'forks' },
      },
    ],
  },
});
