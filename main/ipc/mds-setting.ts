/**
 * The app's FIDO Metadata Service BLOB (what `skm --mds FILE --mds-root FILE` gives the CLI): the
 * person picks the BLOB and its root certificate in the shell's Open dialogs, and main reads the
 * files itself; without a shell (the renderer tests) the renderer sends the files' text. Either
 * way main verifies the BLOB through that root (mds.ts) before the service judges keys by it.
 *
 * Kept for this session only: a BLOB is replaced every month or so, and one kept across starts
 * would go stale without anyone seeing it.
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { AppError, toAppError } from '../service/errors.js';
import type { KeyService, Result } from '../service/key-service.js';
import type { MdsIndex } from '../service/provisioning/mds-index.js';
import { checkFilePath } from '../service/provisioning/file-path.js';
import { MAX_MDS_BLOB_BYTES, MAX_MDS_ROOT_BYTES } from './contract.js';
import type { FileDialogs } from './provisioning.js';


/** What the app shows of the BLOB in use. */
export interface MdsStatus {
  /** The BLOB's serial number ("no"). */
  number: number;
  /** When the FIDO Alliance publishes the next one (the BLOB's nextUpdate, a date). */
  nextUpdate: string;
  /** How many models it describes. */
  entries: number;
  /** Whether nextUpdate has passed: it is still used, but a newer one exists. */
  stale: boolean;
}

const fail = (error: unknown): Result<never> => ({ ok: false, error: toAppError('provision', error).toServiceError() });

export class MdsSetting {
  private index: MdsIndex | null = null;

  constructor(
    private readonly service: KeyService,
    private readonly dialogs: FileDialogs | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The BLOB in use, for Prepare keys (null: none). */
  current(): MdsIndex | null {
    return this.index;
  }

  status(): Result<MdsStatus | null> {
    return { ok: true, value: this.index ? this.statusOf(this.index) : null };
  }

  /** The BLOB and root from their text (the renderer's own file fields). */
  async load(blob: string, root: string): Promise<Result<MdsStatus>> {
    try {
      return { ok: true, value: await this.use(blob, root) };
    } catch (error) {
      return fail(error);
    }
  }

  /** The BLOB, then its root, picked in the shell's Open dialogs; null when either is cancelled. */
  async open(): Promise<Result<MdsStatus | null>> {
    const openMds = this.dialogs?.openMds;
    if (!openMds) return fail(new AppError('UNSUPPORTED', { reason: 'os-action-unavailable' }));
    try {
      const blobPath = await openMds.call(this.dialogs, 'blob');
      if (blobPath === null) return { ok: true, value: null };
      const rootPath = await openMds.call(this.dialogs, 'root');
      if (rootPath === null) return { ok: true, value: null };
      const blob = await readLimited(blobPath, MAX_MDS_BLOB_BYTES);
      const root = await readLimited(rootPath, MAX_MDS_ROOT_BYTES);
      return { ok: true, value: await this.use(blob, root) };
    } catch (error) {
      return fail(error);
    }
  }

  forget(): Result<{ forgotten: boolean }> {
    const had = this.index !== null;
    this.index = null;
    this.service.useMds(null);
    return { ok: true, value: { forgotten: had } };
  }

  private async use(blob: string, root: string): Promise<MdsStatus> {
    // Loaded only when asked for: X.509 and JWS are not part of every app start.
    const { loadMdsBlob } = await import('../service/provisioning/mds.js');
    // A BLOB that does not verify leaves the one in use as it was.
    const index = await loadMdsBlob(blob, root, this.now());
    this.index = index;
    this.service.useMds(index);
    return this.statusOf(index);
  }

  private statusOf(index: MdsIndex): MdsStatus {
    // nextUpdate is a date (MDS3 §3.1.6, "YYYY-MM-DD"); the BLOB stays good through that day.
    const next = Date.parse(index.nextUpdate);
    const stale = Number.isFinite(next) && next + 24 * 60 * 60 * 1000 <= this.now().getTime();
    return { number: index.number, nextUpdate: index.nextUpdate, entries: index.size, stale };
  }
}

async function readLimited(picked: string, limit: number): Promise<string> {
  const path = await checkFilePath(picked, 'read');
  const size = (await stat(path)).size;
  if (size > limit) throw new AppError('FILE_ACCESS', { reason: 'mds-too-large', path });
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('FILE_ACCESS', { path, details: String(error) });
  }
}
