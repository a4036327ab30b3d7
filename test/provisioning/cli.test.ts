// `skm provision` end to end on simulated keys kept in files: what is printed, what is written,
// and that a PIN appears in neither stdout, stderr nor the CTAP trace.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, pinHashHex, readState, skm, tempDir } from '../cli/helpers.js';
import { seedKey } from '../cli/tty-session.js';

const MINIMAL = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }';
const SIMULATED = '61ddbe7a-8d4c-493c-8787-366dafc32987';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

async function profile(text: string, name = 'profile.json'): Promise<string> {
  await writeFile(dir.file(name), text);
  return dir.file(name);
}

function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

describe('skm provision', () => {
  it('provisions two keys with random PINs that appear only in the 0600 report, never on stdout, stderr or in the trace', async () => {
    const keys = ['--virtual', dir.file('a.json'), '--virtual', dir.file('b.json')];
    const result = await skm([...keys, '--trace', 'provision', '--profile', await profile(MINIMAL), '--report', dir.file('report.csv'), '--count', '2', '--entra-policy', dir.file('policy.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Provisioned 2, rejected 0, incomplete 0, failed 0, skipped 0. Report: ${dir.file('report.csv')}\n`);
    expect(result.stderr).toMatch(/\[KEY-1\] set the PIN…/);
    expect(result.stderr).toMatch(/\[KEY-2\] Done: set the PIN, minimum PIN length and forced change, read back and check\./);

    const report = await readFile(dir.file('report.csv'), 'utf8');
    expect((await stat(dir.file('report.csv'))).mode & 0o777).toBe(0o600);
    const rows = csvRows(report);
    expect(rows.map((r) => [r.label, r.result, r.steps])).toEqual([
      ['KEY-1', 'done', 'pin;min-pin-length;verify'],
      ['KEY-2', 'done', 'pin;min-pin-length;verify'],
    ]);
    for (const row of rows) {
      expect(row.pin).toMatch(/^\d{8}$/);
      expect(result.stdout).not.toContain(row.pin);
      expect(result.stderr).not.toContain(row.pin);
      const file = row.identity === (await skmId(dir.file('a.json'))) ? dir.file('a.json') : dir.file('b.json');
      const { state } = (await readState(file)) as unknown as { state: { pinHash: string; minPinLength: number; forcePinChange: boolean } };
      expect(state).toMatchObject({ pinHash: pinHashHex(row.pin!), minPinLength: 8, forcePinChange: true });
    }
    expect(JSON.parse(await readFile(dir.file('policy.json'), 'utf8'))).toEqual({
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      keyRestrictions: { isEnforced: true, enforcementType: 'allow', aaGuids: [SIMULATED] },
    });
  });

  it('--json prints the records without PINs', async () => {
    const result = await skm(['--virtual', dir.file('a.json'), '--json', 'provision', '--profile', await profile(MINIMAL), '--report', dir.file('r.jsonl')]);
    expect(result.code).toBe(0);
    const body = parseJson<{ outcomes: { done: number }; records: Record<string, unknown>[] }>(result);
    expect(body.outcomes.done).toBe(1);
    expect(body.records[0]).not.toHaveProperty('pin');
    const line = JSON.parse(await readFile(dir.file('r.jsonl'), 'utf8')) as { pin: string };
    expect(result.stdout).not.toContain(line.pin);
  });

  it('sets one shared PIN from --pin-file or standard input; the report has no PIN column', async () => {
    const shared = await profile('reset: if-pin-set\npin: { mode: shared }\nminPinLength: 6\n', 'shared.yaml');
    await seedKey(dir.file('a.json'), { preset: 'ctap21', pin: '135790' });
    await writeFile(dir.file('pin.txt'), '24681357\n');
    const fromFile = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', shared, '--report', dir.file('r.csv'), '--pin-file', dir.file('pin.txt')]);
    expect(fromFile.code).toBe(0);
    expect((await readState(dir.file('a.json'))).state.pinHash).toBe(pinHashHex('24681357'));
    const report = await readFile(dir.file('r.csv'), 'utf8');
    expect(report.split('\n')[0]).toBe('label,time,model,aaguid,firmware,identity,fingerprint,steps,result,error,attestation');
    expect(csvRows(report)[0]).toMatchObject({ steps: 'reset;pin;min-pin-length;verify', result: 'done' });

    const fromStdin = await skm(['--virtual', dir.file('b.json'), 'provision', '--profile', shared, '--report', dir.file('r2.csv')], { stdin: '97531864\n' });
    expect(fromStdin.code).toBe(0);
    expect((await readState(dir.file('b.json'))).state.pinHash).toBe(pinHashHex('97531864'));
    expect(fromStdin.stdout + fromStdin.stderr).not.toContain('97531864');
  });

  it('refuses a shared PIN shorter than the profile minimum before touching a key', async () => {
    const shared = await profile('{ "reset": "never", "pin": { "mode": "shared" }, "minPinLength": 8 }');
    const result = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', shared, '--report', dir.file('r.csv')], { stdin: '1234\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/at least 8/);
    await expect(stat(dir.file('r.csv'))).rejects.toThrow();
  });

  it('lists every mistake of a profile with its fix and changes nothing (exit 2)', async () => {
    const bad = await profile('{ "reset": "sometimes", "pin": { "mode": "random", "length": 6 }, "minPinLength": 8, "colour": "red" }');
    const result = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', bad, '--report', dir.file('r.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('reset has a value that is not allowed. Fix: use one of "always", "if-pin-set", "never".');
    expect(result.stderr).toContain('colour: "colour" is not a profile setting. Fix: remove it or correct its spelling.');
    expect(result.stderr).toMatch(/profile .* has mistakes/);
    await expect(stat(dir.file('r.csv'))).rejects.toThrow();
  });

  it('refuses a PIN file for a random-PIN profile, and a profile that requires attestation without the MDS BLOB', async () => {
    await writeFile(dir.file('pin.txt'), '24681357\n');
    const withPinFile = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', await profile(MINIMAL), '--report', dir.file('r.csv'), '--pin-file', dir.file('pin.txt')]);
    expect(withPinFile.code).toBe(2);
    const attested = await profile('{ "reset": "never", "accept": { "attestation": "required" } }', 'attested.json');
    const withoutMds = await skm(['--virtual', dir.file('a.json'), 'provision', '--profile', attested, '--report', dir.file('r.csv')]);
    expect(withoutMds.code).toBe(2);
    expect(withoutMds.stderr).toContain('that needs the FIDO Metadata Service BLOB');
    await expect(stat(dir.file('r.csv'))).rejects.toThrow();
  });

  it('exits 1 when a key is rejected, and says why', async () => {
    const result = await skm(['--virtual', dir.file('pre.json'), '--virtual-preset', 'ctap21-pre', 'provision', '--profile', await profile(MINIMAL), '--report', dir.file('r.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Rejected, nothing was changed: it cannot do the step “minimum PIN length and forced change” that the profile asks for.');
  });
});

/** The id `skm list` gives the simulated key kept in `file`. */
async function skmId(file: string): Promise<string> {
  const listed = await skm(['--virtual', file, '--json', 'list']);
  return parseJson<{ id: string }[]>(listed)[0]!.id;
}
