// The renderer's words all come from the catalogue: every literal key the components pass to t()
// exists in the English `app` namespace, and no component carries English of its own (JSX text or
// a text attribute). Also the budget of the built bundle (gzipped JS ≤ 300 KB, no remote URLs).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { enApp } from '../../main/copy/en-app.js';
import { distDir, ensureBuilt } from './harness.js';

const rendererDir = new URL('../../renderer/', import.meta.url).pathname;

async function sources(dir = rendererDir): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.tsx?$/.test(entry.name)) out.push({ path, text: await readFile(path, 'utf8') });
  }
  return out;
}

function lookup(path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), enApp);
}

const isText = (value: unknown): boolean =>
  typeof value === 'string' || (value !== null && typeof value === 'object' && 'one' in value && 'other' in value);

describe('renderer words', () => {
  it('every literal key given to t() is a text of the app namespace', async () => {
    const missing: string[] = [];
    let keys = 0;
    for (const { path, text } of await sources()) {
      for (const match of text.matchAll(/\bt\(\s*'([^']+)'/g)) {
        keys += 1;
        if (!isText(lookup(match[1]!))) missing.push(`${path}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
    expect(keys).toBeGreaterThan(100);
  });

  // JSX text between tags (not after an arrow `=>` or inside generics), and attributes people read.
  const jsxText = /(?<![=-])>\s*([A-Za-z][^<>{}();=]*?)\s*</g;
  const textAttribute = /\b(label|aria-label|placeholder|title|alt)="([^"]*[A-Za-z][^"]*)"/g;

  it('no component carries English of its own', async () => {
    // The patterns do catch what they are for.
    expect([...'<Text>Touch your key</Text>'.matchAll(jsxText)]).toHaveLength(1);
    expect([...'<Button aria-label="Close">'.matchAll(textAttribute)]).toHaveLength(1);
    const found: string[] = [];
    for (const { path, text } of await sources()) {
      if (!path.endsWith('.tsx')) continue;
      for (const match of text.matchAll(jsxText)) found.push(`${path}: ${match[1]}`);
      for (const match of text.matchAll(textAttribute)) found.push(`${path}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });
});

describe('renderer bundle', () => {
  it('gzipped JS stays within 300 KB and names no remote address', { timeout: 120_000 }, async () => {
    await ensureBuilt();
    const assets = join(distDir, 'assets');
    const files = (await readdir(assets)).filter((name) => name.endsWith('.js'));
    let gzipped = 0;
    for (const name of files) {
      const code = await readFile(join(assets, name));
      gzipped += gzipSync(code, { level: 9 }).length;
      // Fonts, images and scripts ship in the bundle: nothing is loaded from a CDN.
      expect(code.toString('utf8')).not.toMatch(/https?:\/\/(?!www\.w3\.org|reactjs\.org|react\.dev|github\.com\/microsoft)[a-z0-9.-]+\.[a-z]{2,}\/[^\s"'`]*\.(?:woff2?|ttf|css|js|png|svg)\b/i);
    }
    expect(gzipped).toBeLessThan(300 * 1024);
  });
});
