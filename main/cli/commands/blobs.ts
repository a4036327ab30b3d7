/**
 * `skm blobs list | show | delete | prune` — data stored beside passkeys in the key's large-blob
 * storage (CTAP 2.1 §6.10) through main/service/operations/large-blobs.ts. Credential ids are the
 * base64url ones `skm creds list` shows. Deleting and pruning always name what is lost first
 * (`--yes` answers the question, it does not skip the checks); the PIN comes only from the prompt.
 * @module
 */
import { open } from 'node:fs/promises';
import { Option } from 'commander';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import type { CommandModule } from '../context.js';
import { parseBase64url, scriptPrompts } from '../../service/operations/credentials.js';
import { AppError } from '../../service/errors.js';
import { deleteBlob, listBlobs, pruneBlobs, showBlob, type BlobList, type BlobRecord } from '../../service/operations/large-blobs.js';

export const blobsCommand: CommandModule = {
  register(program, services) {
    // Without a terminal: no live progress lines, and a refused PIN ends the run (scriptPrompts).
    const prompts = (): UserPrompts => scriptPrompts(services.prompts(), services.io.isTTY);
    const blobs = program.command('blobs').description('See, delete or tidy the data stored beside passkeys (large blobs, CTAP 2.1 keys)');
    const id = (text: string) => parseBase64url(text, 'credential id');

    blobs
      .command('list')
      .description('For each passkey: whether data is stored beside it, how much, and what (needs the PIN)')
      .action(() =>
        services.run('credentials', async () => {
          const list = await services.withSession((session) => listBlobs({ session, prompts: prompts(), signal: services.signal }));
          return { json: list, human: humanList(list) };
        }),
      );

    blobs
      .command('show')
      .description('Show the data stored beside one passkey')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .addOption(new Option('--out <file>', 'Write the data, as stored, to this new file instead of showing it'))
      .action((text: string, options: { out?: string }) =>
        services.run('credentials', async () => {
          const credentialId = id(text);
          if (options.out === '') return services.usage('--out needs a file name.');
          const { record, data } = await services.withSession((session) => showBlob({ session, prompts: prompts(), signal: services.signal, credentialId }));
          if (options.out !== undefined && data) await writeNewFile(options.out, data);
          const saved = options.out !== undefined && data ? { out: options.out } : {};
          return { json: { ...record, ...saved }, human: humanShow(record, saved.out) };
        }),
      );

    blobs
      .command('delete')
      .description('Delete the data stored beside one passkey (asks first, naming what is lost; the passkey stays)')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .action((text: string) =>
        services.run('credentials', async () => {
          const credentialId = id(text);
          const result = await services.withSession((session) => deleteBlob({ session, prompts: prompts(), signal: services.signal, credentialId }));
          return { json: result, human: [`Deleted the ${result.deleted.size} bytes stored beside the passkey.`] };
        }),
      );

    blobs
      .command('prune')
      .description('Remove stored data no passkey on the key can open any more (asks first)')
      .action(() =>
        services.run('credentials', async () => {
          const report = await services.withSession((session) => pruneBlobs({ session, prompts: prompts(), signal: services.signal }));
          const human = report.cleared
            ? [`Emptied the unreadable large-blob storage (${report.freedBytes} bytes freed).`]
            : report.removed === 0
              ? ['Nothing to remove: every entry belongs to a passkey on the key.']
              : [`Removed ${report.removed} orphaned ${report.removed === 1 ? 'entry' : 'entries'} (${report.freedBytes} bytes freed).`];
          return { json: report, human };
        }),
      );
  },
};

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
    throw new AppError('FILE_ACCESS', { path, cause, ...(exists ? { message: `${path} already exists; it was left as it is.`, nextStep: 'Pass a new file name to --out.' } : {}) });
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
