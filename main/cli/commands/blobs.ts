/**
 * `skm blobs list | show | delete | prune` — data stored beside passkeys in the key's large-blob
 * storage (CTAP 2.1 §6.10) through main/service/operations/large-blobs.ts. Credential ids are the
 * base64url ones `skm creds list` shows. Deleting and pruning always name what is lost first
 * (`--yes` answers the question, it does not skip the checks); the PIN comes only from the prompt.
 * Error words come from the catalogue (main/copy/); the result lines are the CLI's own, as in
 * the other commands.
 * @module
 */
import { open } from 'node:fs/promises';
import { hexToBytes } from '@noble/hashes/utils.js';
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { AppError } from '../../service/errors.js';
import type { BlobList, BlobRecord } from '../../service/operations/large-blobs.js';

export const blobsCommand: CommandModule = {
  register(program, services) {
    const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.blobs.${key}`, facts);
    const blobs = program.command('blobs');

    blobs.command('list').action(() => services.operation('blobs.list', {}, (list) => ({ json: list, human: () => humanList(list, services) })));

    blobs
      .command('show')
      .argument('<credential-id>')
      .addOption(new Option('--out <file>'))
      .action((id: string, options: { out?: string }) =>
        services.run(
          async () => {
            if (options.out === '') services.usage('empty-name');
            const shown = await services.service().run('blobs.show', { credentialId: id }, services.runOptions());
            // Damaged data has no bytes to give: nothing is written, the result says it is damaged.
            if (!shown.ok || options.out === undefined || shown.value.blob !== 'stored') return shown;
            try {
              await writeNewFile(options.out, dataOf(shown.value));
            } catch (error) {
              if (error instanceof AppError) return { ok: false, error: error.toServiceError() };
              throw error;
            }
            return shown;
          },
          (record) => ({ json: { ...record, ...(options.out !== undefined ? { out: options.out } : {}) }, human: () => humanShow(record, options.out, services) }),
        ),
      );

    blobs
      .command('delete')
      .argument('<credential-id>')
      .action((id: string) =>
        services.operation('blobs.delete', { credentialId: id }, (result) => ({ json: result, human: [t('deleted', { count: result.deleted.size })] })),
      );

    blobs.command('prune').action(() =>
      services.operation('blobs.prune', {}, (report) => ({
        json: report,
        human: [
          report.cleared
            ? t('emptied', { count: report.freedBytes })
            : report.removed === 0
              ? t('nothingToPrune')
              : t('pruned', { count: report.removed, bytes: report.freedBytes }),
        ],
      })),
    );
  },
};

/** The exact data: the text as UTF-8 (it was decoded strictly, BOM kept), else the hex. */
function dataOf(record: BlobRecord): Uint8Array {
  if (record.text !== null) return new TextEncoder().encode(record.text);
  return hexToBytes(record.hex ?? '');
}

/** The raw data, in a file that did not exist (never overwrite), readable by its owner only. */
async function writeNewFile(path: string, data: Uint8Array): Promise<void> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
    throw new AppError('FILE_ACCESS', { path, cause, ...(exists ? { reason: 'out-file-exists' } : {}) });
  }
}

function who(b: BlobRecord, services: CliServices): string {
  return `${b.rpId} — ${b.userName ?? b.userDisplayName ?? services.t('cli.blobs.noAccount')}`;
}

function what(b: BlobRecord, services: CliServices): string {
  if (b.blob === 'none') return services.t('cli.blobs.what.none');
  if (b.blob === 'damaged') return services.t('cli.blobs.what.damaged');
  return services.t(b.text !== null ? 'cli.blobs.what.text' : 'cli.blobs.what.binary', { count: b.size });
}

function humanList(list: BlobList, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.blobs.${key}`, facts);
  const labels = [t('credentialId'), t('stored'), t('text'), t('hex')];
  const width = Math.max(...labels.map((l) => l.length)) + 3;
  const field = (label: string, value: string): string => `  ${`${label}:`.padEnd(width)}${value}`;
  const lines = [t('storage', { used: list.storage.used, max: list.storage.max })];
  if (list.passkeys.length === 0) lines.push(t('noneCanHold'));
  for (const b of list.passkeys) {
    lines.push('', who(b, services), field(t('credentialId'), b.credentialId), field(t('stored'), what(b, services)));
    if (b.text !== null) lines.push(field(t('text'), JSON.stringify(b.text.length > 60 ? `${b.text.slice(0, 60)}…` : b.text)));
    if (b.hex !== null) lines.push(field(t('hex'), b.hex.length > 64 ? `${b.hex.slice(0, 64)}…` : b.hex));
  }
  if (list.passkeysWithoutBlobKey > 0) lines.push('', t('withoutKey', { count: list.passkeysWithoutBlobKey }));
  if (list.orphans.count > 0) lines.push('', t('orphans', { count: list.orphans.count, bytes: list.orphans.bytes }));
  return lines;
}

function humanShow(b: BlobRecord, out: string | undefined, services: CliServices): string[] {
  const lines = [who(b, services), `${services.t('cli.blobs.stored')}: ${what(b, services)}`];
  if (out !== undefined) return [...lines, services.t('cli.blobs.writtenTo', { path: out })];
  if (b.text !== null) lines.push('', b.text);
  if (b.hex !== null) lines.push('', b.hex);
  return lines;
}
