/**
 * The provisioning report: one record per key, as CSV (`.csv`) or JSON Lines (any other name).
 *
 * - Consistent at every moment: each change rewrites the whole report into a temporary file
 *   (mode 0600, fsync), renames it over the report and syncs the folder. A crash, Ctrl-C or a
 *   pulled key at any point leaves either the previous or the next complete report, never a
 *   half-written line. (Appending would need a second kind of line to say "this key's earlier
 *   record is replaced"; a report of a few hundred keys is rewritten in well under a millisecond.)
 * - A key's record is updated after every step ("incomplete" with the steps done), so a
 *   rerun knows exactly where the key was left.
 * - Mode 0600 always: a random PIN is in it.
 * - One run per report: the report is locked like a simulated key's state file.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { z } from 'zod';
import { AppError, type ErrorReason } from '../errors.js';
import { StateFileLock } from '../state-lock.js';
import { guardFormula, unguardFormula } from '../csv-formula.js';

export const STEP_NAMES = ['reset', 'pin', 'always-uv', 'enterprise-attestation', 'min-pin-length', 'verify'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/**
 * done: every step done and read back. incomplete: some steps done (which: `steps`).
 * rejected: the key does not meet the profile; nothing was changed. failed: nothing was changed.
 */
export const RESULTS = ['done', 'incomplete', 'rejected', 'failed'] as const;
export type ProvisionResult = (typeof RESULTS)[number];

const recordSchema = z.object({
  label: z.string(),
  time: z.string(),
  model: z.string(),
  aaguid: z.string(),
  firmware: z.number().int().nullable(),
  identity: z.string().min(1),
  fingerprint: z.string(),
  steps: z.array(z.enum(STEP_NAMES)),
  result: z.enum(RESULTS),
  error: z.string(),
  attestation: z.string(),
  pin: z.string().optional(),
});

export type ProvisionRecord = z.infer<typeof recordSchema>;

/** A record as it may be shown or logged: without the PIN. */
export type PublicRecord = Omit<ProvisionRecord, 'pin'>;

export function withoutPin(record: ProvisionRecord): PublicRecord {
  const { pin: _pin, ...rest } = record;
  return rest;
}

const CSV_COLUMNS = ['label', 'time', 'model', 'aaguid', 'firmware', 'identity', 'fingerprint', 'steps', 'result', 'error', 'attestation'] as const;

export type ReportFormat = 'csv' | 'jsonl';

export function reportFormat(path: string): ReportFormat {
  return path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

export class ProvisionReport {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    readonly format: ReportFormat,
    /** Whether the report has a PIN column (random PINs). */
    readonly withPins: boolean,
    private readonly records: ProvisionRecord[],
    private readonly lock: StateFileLock,
  ) {}

  /**
   * Lock and read the report (an empty one when the file does not exist yet).
   * @throws AppError DEVICE_BUSY (another run uses it), FILE_ACCESS (unreadable, not a report).
   */
  static async open(path: string, options: { withPins: boolean }): Promise<ProvisionReport> {
    const format = reportFormat(path);
    let lock: StateFileLock;
    try {
      lock = await StateFileLock.acquire(path);
    } catch (error) {
      if (error instanceof AppError && error.code === 'DEVICE_BUSY') throw new AppError('DEVICE_BUSY', { reason: 'report-in-use', path, ...(error.details ? { details: error.details } : {}) });
      throw error;
    }
    try {
      await removeLeftoverTemporaries(path);
      const records = await readRecords(path, format);
      const withPins = options.withPins || records.some((r) => r.pin !== undefined);
      return new ProvisionReport(path, format, withPins, records, lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Every record, in the order keys were first seen. */
  all(): readonly ProvisionRecord[] {
    return this.records;
  }

  find(identity: string): ProvisionRecord | undefined {
    return this.records.find((r) => r.identity === identity);
  }

  /** Insert or replace the key's record and write the report; resolves when it is on disk. */
  async put(record: ProvisionRecord): Promise<void> {
    const index = this.records.findIndex((r) => r.identity === record.identity);
    if (index >= 0) this.records[index] = record;
    else this.records.push(record);
    const text = this.serialize();
    // Writes are serialised: a later write always carries every earlier change.
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomically(this.path, text, 'report-not-saved'));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.lock.release();
  }

  private serialize(): string {
    return serializeReport(this.records, this.format, this.withPins);
  }
}

/** Records as a report file's text (also an export of a report in the other format). */
export function serializeReport(records: readonly ProvisionRecord[], format: ReportFormat, withPins: boolean): string {
  if (format === 'jsonl') return records.map((r) => `${JSON.stringify(withPins ? r : withoutPin(r))}\n`).join('');
  const columns = withPins ? [...CSV_COLUMNS, 'pin'] : [...CSV_COLUMNS];
  const rows = records.map((r) => ({
    ...r,
    label: guardFormula(r.label),
    model: guardFormula(r.model),
    firmware: r.firmware === null ? '' : String(r.firmware),
    steps: r.steps.join(';'),
    pin: r.pin ?? '',
  }));
  return stringifyCsv(rows, { header: true, columns });
}

async function readRecords(path: string, format: ReportFormat): Promise<ProvisionRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('FILE_ACCESS', { reason: 'report-unreadable', path, details: String(error), cause: error });
  }
  try {
    const raw: unknown[] =
      format === 'jsonl'
        ? text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown)
        : (parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[]).map(fromCsvRow);
    return raw.map((r) => recordSchema.parse(r));
  } catch (error) {
    throw new AppError('FILE_ACCESS', { reason: 'report-unreadable', path, details: error instanceof Error ? error.message : String(error), cause: error });
  }
}

function fromCsvRow(row: Record<string, string>): unknown {
  const { pin, firmware, steps, label, model, ...rest } = row;
  return {
    ...rest,
    ...(label !== undefined ? { label: unguardFormula(label) } : {}),
    ...(model !== undefined ? { model: unguardFormula(model) } : {}),
    firmware: firmware === undefined || firmware === '' ? null : Number(firmware),
    steps: steps ? steps.split(';') : [],
    ...(pin ? { pin } : {}),
  };
}

function temporaryPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * A run killed between writing a temporary file and renaming it leaves that file behind (a
 * complete report, PINs included). Holding the lock, nobody else can be writing one now.
 */
async function removeLeftoverTemporaries(path: string): Promise<void> {
  const prefix = temporaryPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

/** temp file (0600) → fsync → rename over `path` → fsync the folder. */
export async function writeFileAtomically(path: string, text: string, reason: ErrorReason): Promise<void> {
  const temp = join(dirname(path), `${temporaryPrefix(path)}${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new AppError('FILE_ACCESS', { reason, path, details: String(error), cause: error });
  }
  await syncFolder(dirname(path));
}

/** The rename is durable only once the folder is synced; some systems cannot open folders (Windows). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Nothing more can be done there; the rename itself is atomic.
  }
}
