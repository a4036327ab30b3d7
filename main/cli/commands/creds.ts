/**
 * `skm creds list | delete | update-user` — passkeys stored on the key, CTAP 2.1 §6.8 through
 * main/service/operations/credentials.ts. Credential ids are shown and accepted as unpadded
 * base64url. The PIN comes only from the prompt; deleting always names what is lost first.
 * @module
 */
import { Option } from 'commander';
import type { CommandModule } from '../context.js';
import { parseRpId } from '../output.js';
import type { PasskeyList, PasskeyRecord } from '../../service/operations/credentials.js';
import type { DeletedCredential } from '../../service/operations/large-blobs.js';

interface ListOptions {
  rp?: string;
}

interface UpdateUserOptions {
  name?: string;
  displayName?: string;
}

export const credsCommand: CommandModule = {
  register(program, services) {
    const creds = program.command('creds').description('List, delete or rename the passkeys stored on the key');

    creds
      .command('list')
      .description('List the passkeys on the key, grouped by website (needs the PIN)')
      .addOption(new Option('--rp <id>', 'Only the passkeys of this website (relying party id, such as example.com)').argParser(parseRpId))
      .action((options: ListOptions) =>
        services.operation('passkeys.list', options.rp !== undefined ? { rpId: options.rp } : {}, (list) => ({
          json: list.passkeys,
          human: humanList(list, options.rp),
        })),
      );

    creds
      .command('delete')
      .description('Delete one passkey (asks for confirmation, naming the website and account)')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .action((id: string) =>
        services.operation('passkeys.delete', { credentialId: id }, (result) => ({
          json: result,
          human: [`Deleted the passkey for ${result.deleted.rpId} (${accountName(result.deleted)}).`, ...blobLine(result.blob)],
        })),
      );

    creds
      .command('update-user')
      .description('Change the account name and display name stored with a passkey (CTAP 2.1 keys)')
      .argument('<credential-id>', 'The credential id as `skm creds list` shows it (base64url)')
      .addOption(new Option('--name <name>', 'New account name (such as an email address)'))
      .addOption(new Option('--display-name <name>', 'New display name (such as the person\'s full name)'))
      .action((id: string, options: UpdateUserOptions) =>
        services.run(
          async () => {
            if (options.name === undefined && options.displayName === undefined) services.usage('nothing-to-update');
            if (options.name === '' || options.displayName === '') services.usage('empty-name');
            return services.service().run(
              'passkeys.updateUser',
              {
                credentialId: id,
                ...(options.name !== undefined ? { name: options.name } : {}),
                ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
              },
              services.runOptions(),
            );
          },
          ({ updated }) => ({ json: { updated }, human: [`Updated the passkey for ${updated.rpId}: ${accountName(updated)}.`] }),
        ),
      );
  },
};

/** What became of the data stored beside a deleted passkey (large blob). */
function blobLine(blob: DeletedCredential['blob']): string[] {
  switch (blob?.outcome) {
    case 'deleted':
      return [blob.size === null ? 'Also deleted the damaged data stored beside it.' : `Also deleted the ${blob.size} bytes stored beside it.`];
    case 'kept':
      return ['The data stored beside it was kept; no passkey can read it now. `skm blobs prune` removes it.'];
    case 'changed':
      return ["The data stored beside it was kept: the key's large-blob storage changed meanwhile. `skm blobs prune` removes it."];
    case 'storage-unreadable':
      return ["The key's large-blob storage cannot be read; `skm blobs prune` can empty it."];
    default:
      return [];
  }
}

function accountName(p: PasskeyRecord): string {
  if (p.userName && p.userDisplayName && p.userName !== p.userDisplayName) return `${p.userName}, ${p.userDisplayName}`;
  return p.userName ?? p.userDisplayName ?? 'unnamed account';
}

/** CTAP 2.1 §12.1 credProtect levels, in words. */
function protection(level: number | null): string {
  switch (level) {
    case 1:
      return 'level 1 (usable without the PIN)';
    case 2:
      return 'level 2 (PIN needed unless the website names this passkey)';
    case 3:
      return 'level 3 (PIN always needed)';
    case null:
      return 'not reported';
    default:
      return `level ${level}`;
  }
}

function humanList(list: PasskeyList, rpId: string | undefined): string[] {
  const lines = [`Passkeys stored: ${list.stored}. Room for ${list.remaining} more.`];
  if (list.passkeys.length === 0) {
    lines.push(rpId === undefined ? 'There are no passkeys on this key.' : `There are no passkeys for ${rpId} on this key.`);
    return lines;
  }
  const byRp = new Map<string, PasskeyRecord[]>();
  for (const passkey of list.passkeys) byRp.set(passkey.rpId, [...(byRp.get(passkey.rpId) ?? []), passkey]);
  for (const [id, passkeys] of byRp) {
    const rpName = passkeys[0]!.rpName;
    lines.push('', rpName && rpName !== id ? `${id} (${rpName})` : id);
    for (const p of passkeys) {
      lines.push(
        `  ${p.userName ?? '(no account name)'}${p.userDisplayName ? ` — ${p.userDisplayName}` : ''}`,
        `    Credential ID:   ${p.credentialId}`,
        `    Protection:      ${protection(p.credProtect)}`,
        `    Large blob key:  ${p.largeBlobKey ? 'yes' : 'no'}`,
      );
    }
  }
  return lines;
}
