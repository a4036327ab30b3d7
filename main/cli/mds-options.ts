/**
 * `--mds FILE --mds-root FILE`, shared by `skm provision` and `skm info`: the FIDO Metadata
 * Service BLOB and the root certificate (PEM) it must be signed through.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../service/errors.js';
import type { MdsIndex } from '../service/provisioning/mds-index.js';

export async function loadMds(options: { mds?: string | undefined; mdsRoot?: string | undefined }): Promise<MdsIndex | null> {
  if (options.mds === undefined) return null;
  if (options.mdsRoot === undefined) throw new AppError('USAGE', { reason: 'mds-without-root' });
  const read = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new AppError('FILE_ACCESS', { path, details: String(error) });
    }
  };
  // Loaded only when asked for: X.509 and JWS are not part of every skm start.
  const { loadMdsBlob } = await import('../service/provisioning/mds.js');
  return loadMdsBlob(await read(options.mds), await read(options.mdsRoot));
}
