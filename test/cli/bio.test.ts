import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';
import { hex, loadState, PIN, seedKey, skmOnTerminal } from './tty-session.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('bio.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

interface Fingerprint {
  templateId: string;
  name: string | null;
}

describe('skm bio', () => {
  it('info: the sensor kind, touches per fingerprint and name limit, without a PIN', async () => {
    await seedKey(path, { preset: 'bio' });
    const json = await skm(['--virtual', path, '--json', 'bio', 'info']);
    expect(json.code).toBe(0);
    // The bio preset: a touch sensor, 4 samples, names up to 15 bytes (config.ts).
    expect(parseJson(json)).toEqual({ kind: 'touch', samplesPerFingerprint: 4, maxNameBytes: 15 });
    const human = await skm(['--virtual', path, 'bio', 'info']);
    expect(human.stdout).toMatch(/Touches per fingerprint:\s+4/);
  });

  it('enroll --name adds a named fingerprint whose hex id is the one the key stored', async () => {
    await seedKey(path, { preset: 'bio' });
    const result = await skm(['--virtual', path, '--json', 'bio', 'enroll', '--name', 'Right index'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    const added = parseJson<Fingerprint>(result);
    const state = await loadState(path);
    expect(state.templates).toHaveLength(1);
    expect(added).toEqual({ templateId: hex(state.templates[0]!.id), name: 'Right index' });
    expect(state.templates[0]!.friendlyName).toBe('Right index');
    // Every sample asked for a touch; the first with the opening instruction.
    expect(result.stderr).toContain('Touch the fingerprint sensor');
  });

  it('enroll on a terminal shows each sample’s guidance and the touches still needed', async () => {
    await seedKey(path, { preset: 'bio' });
    const result = await skmOnTerminal(['--virtual', path, 'bio', 'enroll'], [{ when: /Enter the PIN/, type: `${PIN}\r` }]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('3 more touches needed. (1/4)');
    expect(result.stderr).toContain('1 more touch needed. (3/4)');
    expect(result.stderr).toContain('Fingerprint added. (4/4)');
    expect(result.stdout).toMatch(/^Fingerprint added \(id [0-9a-f]+\)\.\n$/);
  });

  it('list shows ids and names (human and --json)', async () => {
    await seedKey(path, { preset: 'bio', templates: [{ id: 'a1', name: 'Left thumb' }, { id: 'b2c3', name: null }] });
    const json = await skm(['--virtual', path, '--json', 'bio', 'list'], { stdin: `${PIN}\n` });
    expect(parseJson<Fingerprint[]>(json)).toEqual([
      { templateId: 'a1', name: 'Left thumb' },
      { templateId: 'b2c3', name: null },
    ]);
    const human = await skm(['--virtual', path, 'bio', 'list'], { stdin: `${PIN}\n` });
    expect(human.stdout).toMatch(/^ID\s+NAME\na1\s+Left thumb\nb2c3\s+\(no name\)\n$/);
    await seedKey(path, { preset: 'bio' });
    const empty = await skm(['--virtual', path, 'bio', 'list'], { stdin: `${PIN}\n` });
    expect(empty.stdout).toBe('No fingerprints are enrolled on this key.\n');
  });

  it('rename changes the stored name; an unknown id or a too-long name changes nothing', async () => {
    await seedKey(path, { preset: 'bio', templates: [{ id: 'a1', name: 'Left thumb' }] });
    const result = await skm(['--virtual', path, 'bio', 'rename', 'A1', 'Right thumb'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Fingerprint a1 is now called "Right thumb".\n');
    expect((await loadState(path)).templates[0]!.friendlyName).toBe('Right thumb');

    const unknown = await skm(['--virtual', path, '--json', 'bio', 'rename', 'ff', 'X'], { stdin: `${PIN}\n` });
    expect(unknown.code).toBe(1);
    expect(parseJson<JsonError>(unknown).error.code).toBe('FINGERPRINT_NOT_FOUND');
    const long = await skm(['--virtual', path, '--json', 'bio', 'rename', 'a1', 'A name much longer than fifteen bytes'], { stdin: `${PIN}\n` });
    expect(long.code).toBe(1);
    expect(parseJson<JsonError>(long).error.message).toContain('at most 15 bytes');
    expect((await loadState(path)).templates[0]!.friendlyName).toBe('Right thumb');
  });

  it('delete --yes removes exactly that fingerprint', async () => {
    await seedKey(path, { preset: 'bio', templates: [{ id: 'a1', name: 'Left thumb' }, { id: 'b2', name: 'Right thumb' }] });
    const result = await skm(['--virtual', path, '--yes', 'bio', 'delete', 'b2'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Removed the fingerprint "Right thumb".\n');
    expect((await loadState(path)).templates.map((t) => hex(t.id))).toEqual(['a1']);
  });

  it('delete asks on a terminal, naming the fingerprint; "n" removes nothing', async () => {
    await seedKey(path, { preset: 'bio', templates: [{ id: 'a1', name: 'Left thumb' }] });
    const before = await readFile(path);
    const result = await skmOnTerminal(['--virtual', path, 'bio', 'delete', 'a1'], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'n\n' },
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Remove the fingerprint "Left thumb"');
    expect(result.stderr).toContain('Nothing was removed.');
    expect(await readFile(path)).toEqual(before);
  });

  it('works on a CTAP 2.1-PRE fingerprint key (preview command, legacy token)', async () => {
    await seedKey(path, { preset: 'bio-pre' });
    const added = parseJson<Fingerprint>(await skm(['--virtual', path, '--json', 'bio', 'enroll', '--name', 'Thumb'], { stdin: `${PIN}\n` }));
    const list = parseJson<Fingerprint[]>(await skm(['--virtual', path, '--json', 'bio', 'list'], { stdin: `${PIN}\n` }));
    expect(list).toEqual([{ templateId: added.templateId, name: 'Thumb' }]);
    const removed = await skm(['--virtual', path, '--yes', 'bio', 'delete', added.templateId], { stdin: `${PIN}\n` });
    expect(removed.code).toBe(0);
    expect((await loadState(path)).templates).toEqual([]);
  });

  it('a key without a fingerprint sensor says so in words; a malformed id is a usage error', async () => {
    await seedKey(path, { preset: 'ctap21' });
    const result = await skm(['--virtual', path, 'bio', 'list'], { stdin: `${PIN}\n` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no fingerprint sensor');
    // Firmware cannot add a sensor: the next step must not suggest an update.
    const enroll = await skm(['--virtual', path, 'bio', 'enroll'], { stdin: `${PIN}\n` });
    expect(enroll.stderr).toContain('A firmware update cannot add a sensor');
    expect(enroll.stderr).not.toContain('Check for a firmware update');
    const malformed = await skm(['--virtual', path, 'bio', 'delete', 'xyz']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('not a fingerprint id');
  });
});
