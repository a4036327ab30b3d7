// A key whose PIN has no tries left can only be reset: every command says so (PIN_BLOCKED), never
// "remove and reinsert" (PIN_AUTH_BLOCKED), which would not help.
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** A key with a PIN and one try left. */
async function keyWithOneTry(): Promise<string> {
  const path = tmp.file('key.json');
  expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
  const file = JSON.parse(await readFile(path, 'utf8')) as { state: { pinRetries: number } };
  file.state.pinRetries = 1;
  await writeFile(path, JSON.stringify(file));
  return path;
}

describe('skm test on a key whose PIN runs out of tries', () => {
  it('the last wrong PIN, and every run after it, end as PIN_BLOCKED with reset as the next step', async () => {
    const path = await keyWithOneTry();
    for (let run = 0; run < 2; run++) {
      const result = await skm(['--virtual', path, '--json', 'test'], { stdin: '000000\n' });
      expect(result.code).toBe(1);
      const error = parseJson<JsonError>(result).error;
      expect(error.code).toBe('PIN_BLOCKED');
      expect(error.nextStep).toContain('reset');
      expect(error.nextStep).not.toMatch(/reinsert/i);
    }
  });
});
