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
import type { CommandModule } from '../context.js';
import { AppError } from '../../service/errors.js';
import type { BlobList, BlobRecord } from '../../service/operations/large-blobs.js';

export const blobsCommand: CommandModule = {
  register(program, services) {
    const blobs = program.command('blobs').description('See, delete or tidy the data stored beside passkeys (large blobs, CTAP 2.1 keys)');

    blobs
      .command('list')
      .description('For each passkey: whether data is stored beside it, how much, and what (needs the PIN)')
      .action(() => services.operation('blobs.list', {}, (list) => ({ json: list, human: humanList(list) })));

    blobs
      .command('show')
      .description('Show the data stored beside one passkey')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .addOption(new Option('--out <file>', 'Write the data, byte for byte, to this new file instead of showing it'))
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
          (record) => ({ json: { ...record, ...(options.out !== undefined ? { out: options.out } : {}) }, human: humanShow(record, options.out) }),
        ),
      );

    blobs
      .command('delete')
      .description('Delete the data stored beside one passkey (asks first, naming what is lost; the passkey stays)')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .action((id: string) =>
        services.operation('blobs.delete', { credentialId: id }, (result) => ({
          json: result,
          human: [`Deleted the ${result.deleted.size} bytes stored beside the passkey.`],
        })),
      );

    blobs
      .command('prune')
      .description('Remove stored data no passkey on the key can open any more (asks first)')
      .action(() =>
        services.operation('blobs.prune', {}, (report) => ({
          json: report,
          human: report.cleared
            ? [`Emptied the unreadable large-blob storage (${report.freedBytes} bytes freed).`]
            : report.removed === 0
              ? ['Nothing to remove: every entry belongs to a passkey on the key.']
              : [`Removed ${report.removed} orphaned ${report.removed === 1 ? 'entry' : 'entries'} (${report.freedBytes} bytes freed).`],
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

function who(b: BlobRecord): string {
  return `${b.rpId} — ${b.userName ?? b.userDisplayName ?? '(no account name)'}`;
}

function what(b: BlobRecord): string {
  if (b.blob === 'none') return 'nothing stored';
  if (b.blob === 'damaged') return 'data stored, but it cannot be read (damaged)';
  return b.text !== null ? `${b.size} bytes of text` : `${b.size} bytes of binary data`;
}

function humanList(list: BlobList): string[] {
  const lines = [`Large-blob storage: ${list.storage.used} of ${list.storage.max} bytes used.`];
  if (list.passkeys.length === 0) lines.push('No passkey on this key can have data stored beside it.');
  for (const b of list.passkeys) {
    lines.push('', who(b), `  Credential ID:  ${b.credentialId}`, `  Stored:         ${what(b)}`);
    if (b.text !== null) lines.push(`  Text:           ${JSON.stringify(b.text.length > 60 ? `${b.text.slice(0, 60)}…` : b.text)}`);
    if (b.hex !== null) lines.push(`  Hex:            ${b.hex.length > 64 ? `${b.hex.slice(0, 64)}…` : b.hex}`);
  }
  if (list.passkeysWithoutBlobKey > 0) lines.push('', `${list.passkeysWithoutBlobKey} other passkeys were made without a large-blob key and cannot hold data.`);
  if (list.orphans.count > 0) {
    lines.push('', `${list.orphans.count} orphaned ${list.orphans.count === 1 ? 'entry' : 'entries'} (${list.orphans.bytes} bytes) that no passkey can open. Remove them with \`skm blobs prune\`.`);
  }
  return lines;
}

function humanShow(b: BlobRecord, out: string | undefined): string[] {
  const lines = [who(b), `Stored: ${what(b)}`];
  if (out !== undefined) return [...lines, `Written to ${out}.`];
  if (b.text !== null) lines.push('', b.text);
  if (b.hex !== null) lines.push('', b.hex);
  return lines;
}
