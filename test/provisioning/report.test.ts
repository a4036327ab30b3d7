// The report file: round trips through CSV (quoting by the CSV library) and JSON Lines, mode 0600,
// no temporary files left behind, one run per report, and a damaged report left untouched.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/service/errors.js';
import { ProvisionReport, type ProvisionRecord } from '../../main/service/provisioning/report.js';
import { tempDir } from '../cli/helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

function record(n: number, overrides: Partial<ProvisionRecord> = {}): ProvisionRecord {
  return {
    label: `KEY-${n}`,
    time: '2026-01-02T03:04:05.000Z',
    model: 'YubiKey 5 Series, "NFC"',
    aaguid: 'ee882879-721c-4913-9775-3dfcce97072a',
    firmware: n === 2 ? null : 328707,
    identity: `usb:1050:0407:${n}`,
    fingerprint: '0123456789abcdef',
    steps: ['pin', 'verify'],
    result: 'done',
    error: '',
    attestation: 'not-checked',
    pin: `1234567${n}`,
    ...overrides,
  };
}

async function expectAppError(work: Promise<unknown>, code: string, reason: string): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code, facts: { reason } });
}

describe('provisioning report', () => {
  it('report.csv: labels and model names that look like formulas are guarded on disk and read back exactly', async () => {
    const path = dir.file('report.csv');
    const hostile = record(1, { label: '=HYPERLINK("https://evil.example","KEY")', model: "'-2+3" });
    const report = await ProvisionReport.open(path, { withPins: false });
    await report.put(hostile);
    await report.put(record(2, { label: "'quoted", model: '@model' }));
    await report.close();
    const text = await readFile(path, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example"",""KEY"")"`);
    expect(text).toContain("''-2+3");
    expect(text).toContain("'quoted,");
    expect(text).toContain("'@model");
    // The time and identity columns are exact.
    expect(text).toContain(',2026-01-02T03:04:05.000Z,');
    expect(text).toContain(',usb:1050:0407:1,');

    const again = await ProvisionReport.open(path, { withPins: false });
    expect(again.all().map((r) => [r.label, r.model])).toEqual([
      [hostile.label, hostile.model],
      ["'quoted", '@model'],
    ]);
    await again.close();
  });

  for (const name of ['report.csv', 'report.jsonl']) {
    it(`${name}: records round-trip exactly, replaced in place, with mode 0600 and no temporary files`, async () => {
      const path = dir.file(name);
      const report = await ProvisionReport.open(path, { withPins: true });
      await Promise.all([report.put(record(1)), report.put(record(2, { steps: [], result: 'incomplete', error: 'DEVICE_GONE' }))]);
      await report.put(record(2));
      await report.close();
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readdir(dir.dir)).toEqual([name]);

      const again = await ProvisionReport.open(path, { withPins: false });
      expect(again.withPins).toBe(true);
      expect(again.all()).toEqual([record(1), record(2)]);
      await again.close();
    });
  }

  it('quotes what needs quoting in CSV (the CSV library does it)', async () => {
    const report = await ProvisionReport.open(dir.file('r.csv'), { withPins: false });
    await report.put(record(1, { pin: undefined }));
    await report.close();
    const text = await readFile(dir.file('r.csv'), 'utf8');
    expect(text.split('\n')[1]).toContain(',"YubiKey 5 Series, ""NFC""",');
    expect(text).not.toContain('12345671');
  });

  it('one run per report: a second open fails while the first holds it', async () => {
    const first = await ProvisionReport.open(dir.file('r.csv'), { withPins: true });
    await expectAppError(ProvisionReport.open(dir.file('r.csv'), { withPins: true }), 'DEVICE_BUSY', 'report-in-use');
    await first.close();
    const second = await ProvisionReport.open(dir.file('r.csv'), { withPins: true });
    await second.close();
  });

  it('leaves a file that is not a report as it is', async () => {
    await writeFile(dir.file('notes.jsonl'), 'shopping list\n');
    await expectAppError(ProvisionReport.open(dir.file('notes.jsonl'), { withPins: true }), 'FILE_ACCESS', 'report-unreadable');
    expect(await readFile(dir.file('notes.jsonl'), 'utf8')).toBe('shopping list\n');
    await writeFile(dir.file('other.csv'), 'a,b\n1,2\n');
    await expectAppError(ProvisionReport.open(dir.file('other.csv'), { withPins: true }), 'FILE_ACCESS', 'report-unreadable');
  });
});
