import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

async function ids(files: string[]): Promise<string[]> {
  const listed = await skm([...files.flatMap((f) => ['--virtual', f]), '--json', 'list']);
  return parseJson<{ id: string }[]>(listed).map((d) => d.id);
}

describe('skm select', () => {
  it('among several keys: asks for a touch and prints the id of the key touched', async () => {
    const files = [tmp.file('a.json'), tmp.file('b.json')];
    const known = await ids(files);
    expect(known).toHaveLength(2);
    const result = await skm([...files.flatMap((f) => ['--virtual', f]), 'select']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Touch the security key you want to use.');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^You touched .*\(Simulated key\)\.$/);
    expect(known).toContain(lines[1]);
  });

  it('the chosen id works as --device for the next command', async () => {
    const files = [tmp.file('a.json'), tmp.file('b.json')];
    const chosen = parseJson<{ id: string; touched: boolean; transport: string }>(await skm([...files.flatMap((f) => ['--virtual', f]), '--json', 'select']));
    expect(chosen).toMatchObject({ touched: true, transport: 'virtual' });
    const info = await skm([...files.flatMap((f) => ['--virtual', f]), '--device', chosen.id, '--json', 'info']);
    expect(info.code).toBe(0);
    expect(parseJson<{ id: string }>(info).id).toBe(chosen.id);
  });

  it('a single key is chosen without a touch', async () => {
    const file = tmp.file('a.json');
    const [id] = await ids([file]);
    const result = await skm(['--virtual', file, '--json', 'select']);
    expect(result.code).toBe(0);
    expect(parseJson(result)).toMatchObject({ id, touched: false });
    expect(result.stderr).not.toContain('Touch');
  });

  it('no key at all: "which key?" exit code 3', async () => {
    const result = await skm(['--json', 'select']);
    expect(result.code).toBe(3);
    expect(parseJson<JsonError>(result).error.code).toBe('NO_DEVICE');
  });
});
