/**
 * `skm creds list | delete | update-user` — passkeys stored on the key, CTAP 2.1 §6.8 through
 * main/service/operations/credentials.ts. Credential ids are shown and accepted as unpadded
 * base64url, or a unique start of one. The PIN comes only from the prompt; deleting always
 * names what is lost first.
 * @module
 */
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import type { PasskeyList, PasskeyRecord } from '../../service/operations/credentials.js';
import type { DeletedCredential } from '../../service/operations/large-blobs.js';
import { guardFormula } from '../../service/csv-formula.js';

interface ListOptions {
  rp?: string;
}

interface UpdateUserOptions {
  name?: string;
  displayName?: string;
}

export const credsCommand: CommandModule = {
  register(program, services) {
    const creds = program.command('creds');
    const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.creds.${key}`, facts);

    const list = creds
      .command('list')
      .addOption(new Option('--rp <id>').argParser((value) => services.rpId(value)))
      .action((options: ListOptions) =>
        services.operation('passkeys.list', options.rp !== undefined ? { rpId: options.rp } : {}, (found) => ({
          json: found.passkeys,
          human: () => humanList(found, options.rp, services),
          csv: csvList(found),
        })),
      );
    addExamples(list, services.copy, ['skm creds list', 'skm creds list --rp example.com', 'skm creds list --csv > passkeys.csv']);

    const remove = creds
      .command('delete')
      .argument('<credential-id>')
      .action((id: string) =>
        services.operation('passkeys.delete', { credentialId: id }, (result) => ({
          json: result,
          human: [t('deleted', { rpId: result.deleted.rpId, account: accountName(result.deleted, services) }), ...blobLine(result.blob, services)],
        })),
      );
    addExamples(remove, services.copy, ['skm creds delete Zx3q', 'skm --yes creds delete -- -Ab9']);

    creds
      .command('update-user')
      .argument('<credential-id>')
      .addOption(new Option('--name <name>'))
      .addOption(new Option('--display-name <name>'))
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
          ({ updated }) => ({ json: { updated }, human: [t('updated', { rpId: updated.rpId, account: accountName(updated, services) })] }),
        ),
      );
  },
};

/** What became of the data stored beside a deleted passkey (large blob). */
function blobLine(blob: DeletedCredential['blob'], services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.blobs.afterDelete.${key}`, facts);
  switch (blob?.outcome) {
    case 'deleted':
      return [blob.size === null ? t('deletedDamaged') : t('deleted', { count: blob.size })];
    case 'kept':
      return [t('kept')];
    case 'changed':
      return [t('changed')];
    case 'storage-unreadable':
      return [t('storageUnreadable')];
    default:
      return [];
  }
}

function accountName(p: PasskeyRecord, services: CliServices): string {
  if (p.userName && p.userDisplayName && p.userName !== p.userDisplayName) return `${p.userName}, ${p.userDisplayName}`;
  return p.userName ?? p.userDisplayName ?? services.t('confirm.unnamedAccount');
}

/** CTAP 2.1 §12.1 credProtect levels, in words. */
function protection(level: number | null, services: CliServices): string {
  if (level === null) return services.t('cli.creds.protectionLevels.unknown');
  if (level >= 1 && level <= 3) return services.t(`cli.creds.protectionLevels.${level}`);
  return services.t('cli.creds.protectionLevels.other', { level });
}

function humanList(found: PasskeyList, rpId: string | undefined, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.creds.${key}`, facts);
  const lines = [t('summary', { stored: found.stored, remaining: found.remaining })];
  if (found.passkeys.length === 0) {
    lines.push(rpId === undefined ? t('none') : t('noneForRp', { rpId }));
    return lines;
  }
  const byRp = new Map<string, PasskeyRecord[]>();
  for (const passkey of found.passkeys) byRp.set(passkey.rpId, [...(byRp.get(passkey.rpId) ?? []), passkey]);
  const labels = [t('credentialId'), t('protection'), t('largeBlobKey')];
  const width = Math.max(...labels.map((l) => l.length)) + 3;
  const field = (label: string, value: string): string => `    ${`${label}:`.padEnd(width)}${value}`;
  for (const [id, passkeys] of byRp) {
    const rpName = passkeys[0]!.rpName;
    lines.push('', rpName && rpName !== id ? `${id} (${rpName})` : id);
    for (const p of passkeys) {
      lines.push(
        `  ${p.userName ?? t('noAccount')}${p.userDisplayName ? ` — ${p.userDisplayName}` : ''}`,
        field(labels[0]!, p.credentialId),
        field(labels[1]!, protection(p.credProtect, services)),
        field(labels[2]!, services.t(p.largeBlobKey ? 'words.yes' : 'words.no')),
      );
    }
  }
  return lines;
}

/** One row per passkey, the JSON field names as headings. */
/**
 * Website and user names were chosen by websites: guarded against formulas. The RP ID too — a
 * real one is a domain, which never begins with a formula character, so only a forged one changes.
 */
const csvText = new Set<string>(['rpId', 'rpName', 'userName', 'userDisplayName']);

function csvList(found: PasskeyList): string[][] {
  const fields = ['rpId', 'rpName', 'userName', 'userDisplayName', 'credentialId', 'credProtect', 'largeBlobKey'] as const;
  const cell = (f: (typeof fields)[number], value: string): string => (csvText.has(f) ? guardFormula(value) : value);
  return [[...fields], ...found.passkeys.map((p) => fields.map((f) => (p[f] === null ? '' : cell(f, String(p[f])))))];
}
