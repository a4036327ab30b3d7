// Hostile or damaged simulated-key files: an unknown preset, an impossible state, a FIFO, a
// device, and temp files a killed skm left behind. Each is refused as STATE_FILE_CORRUPT and left
// exactly as it was, or (temp files) cleaned up.
import { spawnSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newState, serializeState } from '../../ctap/virtual/state.js';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

async function corruptError(path: string): Promise<JsonError['error']> {
  const result = await skm(['--virtual', path, '--json', 'info']);
  expect(result.code).toBe(1);
  return parseJson<JsonError>(result).error;
}

describe('skm --virtual with a hostile state file', () => {
  it.each(['nonesuch', '__proto__', 'constructor'])('a file naming the preset %s is STATE_FILE_CORRUPT and untouched', async (preset) => {
    const path = tmp.file('key.json');
    const text = serializeState({ preset: 'ctap21', state: newState() }).replace('"preset": "ctap21"', `"preset": ${JSON.stringify(preset)}`);
    await writeFile(path, text);
    const error = await corruptError(path);
    expect(error.code).toBe('STATE_FILE_CORRUPT');
    expect(error.details).toContain('preset');
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('a state no key could be in (pinRetries 0 without a PIN) is STATE_FILE_CORRUPT', async () => {
    const path = tmp.file('key.json');
    await writeFile(path, serializeState({ preset: 'ctap21', state: { ...newState(), pinRetries: 0 } }));
    expect((await corruptError(path)).code).toBe('STATE_FILE_CORRUPT');
  });

  it('a FIFO is refused at once (no blocking read) and left in place', async () => {
    const path = tmp.file('fifo.json');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const started = Date.now();
    expect((await corruptError(path)).code).toBe('STATE_FILE_CORRUPT');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readdir(tmp.dir)).toEqual(['fifo.json']);
  });

  it('removes the temp files of a killed skm when the key is opened', async () => {
    const path = tmp.file('key.json');
    expect((await skm(['--virtual', path, 'info'])).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(tmp.file(`key.json.${dead}.0badf00d.tmp`), '');
    expect((await skm(['--virtual', path, 'info'])).code).toBe(0);
    expect(await readdir(tmp.dir)).toEqual(['key.json']);
  });
});
