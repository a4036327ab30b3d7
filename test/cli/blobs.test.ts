/**
 * Large blobs from the command line, on a simulated key kept in a state file: `skm test
 * --resident --large-blob TEXT` stores one, and the state file holds it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLargeBlob, parseLargeBlobEntry } from '../../ctap/ctap2/large-blob-entry.js';
import { parseLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { parseJson, skm, tempDir } from './helpers.js';
import { loadState, PIN, seedKey } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('skm test --large-blob', () => {
  it('stores the text beside the test passkey, encrypted with its largeBlobKey', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, '--json', 'test', '--resident', '--large-blob', 'hello blob'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(parseJson<{ largeBlobSize: number }>(result).largeBlobSize).toBe(10);
    const state = await loadState(path);
    const array = parseLargeBlobArray(state.largeBlobArray);
    if (array.kind !== 'valid') throw new Error(array.kind);
    expect(array.entries).toHaveLength(1);
    const opened = openLargeBlob(state.credentials[0]!.largeBlobKey!, parseLargeBlobEntry(array.entries[0]!)!);
    expect(opened).toEqual({ kind: 'opened', data: new TextEncoder().encode('hello blob') });
  });

  it('needs --resident (usage error, nothing sent)', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'test', '--large-blob', 'x'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resident');
    expect((await loadState(path)).credentials).toEqual([]);
  });
});
