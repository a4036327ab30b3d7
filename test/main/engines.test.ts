// package.json's `engines` must tell the truth about the whole installed tree: a Node version it
// admits must satisfy every locked package's own `engines.node`, or `npm ci` warns EBADENGINE on a
// machine that follows our own requirement.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as {
  packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean }>;
};

/** Packages whose engines range does not contain ours: they would warn on a Node we accept. */
function disagreeing(ours: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const node = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (node === undefined || semver.validRange(node) === null) return [];
      return semver.subset(ours, node) ? [] : [`${path.replace(/^.*node_modules\//, '')} wants ${node}`];
    });
}

describe('engines', () => {
  it('the lockfile records the same engines as package.json', () => {
    expect(lock.packages['']?.engines).toEqual(manifest.engines);
  });

  it('every Node version package.json admits satisfies every locked package', () => {
    expect(disagreeing(manifest.engines.node)).toEqual([]);
  });

  it('the check catches a range that is too wide', () => {
    expect(disagreeing('>=16').length).toBeGreaterThan(0);
  });
});
