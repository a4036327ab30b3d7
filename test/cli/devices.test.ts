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

describe('skm: choosing a key', () => {
  it('says "No security key found" (exit 3) with a --virtual hint when there is no key and no --virtual', async () => {
    const result = await skm(['info']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No security key found.');
    expect(result.stderr).toContain('--virtual FILE');
    const json = await skm(['info', '--json']);
    expect(json.code).toBe(3);
    expect(parseJson<JsonError>(json).error.code).toBe('NO_DEVICE');
  });

  it('refuses to pick one of several keys without --device (exit 3) and lists them', async () => {
    const a = tmp.file('a.json');
    const b = tmp.file('b.json');
    const list = parseJson<{ id: string; name: string }[]>(await skm(['--virtual', a, '--virtual', b, '--json', 'list']));
    expect(list).toHaveLength(2);
    expect(list[0]!.id).not.toBe(list[1]!.id);

    const result = await skm(['--virtual', a, '--virtual', b, '--json', 'info']);
    expect(result.code).toBe(3);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('SEVERAL_DEVICES');
    // Objects a script can use as they are, not formatted text.
    expect(error.devices).toEqual([
      { id: list[0]!.id, name: list[0]!.name },
      { id: list[1]!.id, name: list[1]!.name },
    ]);

    const human = await skm(['--virtual', a, '--virtual', b, 'pin', 'status']);
    expect(human.code).toBe(3);
    expect(human.stderr).toContain('--device');
  });

  it('picks a key by exact id or unique prefix with --device', async () => {
    const a = tmp.file('a.json');
    const b = tmp.file('b.json');
    const [first, second] = parseJson<{ id: string }[]>(await skm(['--virtual', a, '--virtual', b, '--json', 'list']));
    const byId = await skm(['--virtual', a, '--virtual', b, '--device', first!.id, '--json', 'info']);
    expect(byId.code).toBe(0);
    expect(parseJson<{ id: string }>(byId).id).toBe(first!.id);
    // The shortest prefix of the first id that the second does not share.
    const [a1, b1] = [first!.id, second!.id];
    let differ = 0;
    while (a1[differ] === b1[differ]) differ++;
    const byPrefix = await skm(['--virtual', a, '--virtual', b, '--device', a1.slice(0, differ + 1), '--json', 'info']);
    expect(byPrefix.code).toBe(0);
    expect(parseJson<{ id: string }>(byPrefix).id).toBe(first!.id);
    const ambiguous = await skm(['--virtual', a, '--virtual', b, '--device', 'virtual:', '--json', 'info']);
    expect(ambiguous.code).toBe(3);
    const error = parseJson<JsonError>(ambiguous).error;
    expect(error.code).toBe('SEVERAL_DEVICES');
    expect(error.message).toBe(`"virtual:" matches 2 keys: ${first!.id} (Virtual FIDO2 Key (Simulated key)), ${second!.id} (Virtual FIDO2 Key (Simulated key)).`);
    expect(error.devices?.map((d) => d.id)).toEqual([first!.id, second!.id]);
  });

  it('an unknown --device id is exit 3 with a pointer to `skm list`', async () => {
    const result = await skm(['--virtual', tmp.file('a.json'), '--device', 'usb:nope', 'info']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No security key matches "usb:nope"');
    // Runnable as shown: the same simulated key file, without the --device that matched nothing.
    expect(result.stderr).toContain(`skm --virtual ${tmp.file('a.json')} list`);
  });

  it('a corrupt state file fails with STATE_FILE_CORRUPT (exit 1) and is left byte for byte', async () => {
    const path = tmp.file('broken.json');
    const bytes = Buffer.from('{"format":"skm-virtual-key","version":1,"preset":"ctap21","state":{"pinHash":"zz"', 'utf8');
    await writeFile(path, bytes);
    for (const argv of [['info'], ['--json', 'pin', 'status'], ['list']]) {
      const result = await skm(['--virtual', path, ...argv], { stdin: '123456\n' });
      expect(result.code).toBe(1);
      expect(await readFile(path)).toEqual(bytes);
    }
    const json = await skm(['--virtual', path, '--json', 'info']);
    const error = parseJson<JsonError>(json).error;
    expect(error.code).toBe('STATE_FILE_CORRUPT');
    expect(error.message).toContain('left untouched');
    expect(error.details).toContain('not valid JSON');
    expect(error.message).not.toMatch(/CTAP/);
  });

  it('a wrong-format state file (valid JSON) is corrupt too, and untouched', async () => {
    const path = tmp.file('other.json');
    const bytes = Buffer.from('{"hello":"world"}\n');
    await writeFile(path, bytes);
    const result = await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('damaged');
    expect(await readFile(path)).toEqual(bytes);
  });

  it('an unknown option or command is a usage error (exit 2), as JSON with --json', async () => {
    const unknown = await skm(['--frobnicate', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no option --frobnicate.');
    expect(unknown.stderr).toContain('`skm list --help`');
    const json = await skm(['--json', 'lisst']);
    expect(json.code).toBe(2);
    expect(parseJson<JsonError>(json).error.code).toBe('USAGE');
    const missing = await skm(['--device']);
    expect(missing.code).toBe(2);
  });

  it('an unknown preset is a usage error and creates no file', async () => {
    const path = tmp.file('new.json');
    const result = await skm(['--virtual', path, '--virtual-preset', 'nonesuch', 'info']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nonesuch');
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });

  it('--help and --version succeed; a bare `skm` shows help as a usage error', async () => {
    const help = await skm(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['list', 'info', 'pin', 'virtual-key', '--virtual', '--device', '--json']) expect(help.stdout).toContain(name);
    expect((await skm(['--version'])).code).toBe(0);
    const bare = await skm([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: skm');
  });
});
