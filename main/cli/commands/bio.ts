/**
 * `skm bio info | list | enroll | rename | delete` — fingerprints, CTAP 2.1 §6.7 through
 * main/service/operations/fingerprints.ts. Fingerprint ids are shown and accepted as hex.
 * Enrollment guidance (one line per sample, with the touches still needed) comes from the flow
 * through the prompts, on stderr; the PIN comes only from the prompt.
 * @module
 */
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import { labelled, table } from '../terminal-text.js';
import type { FingerprintRecord } from '../../service/operations/fingerprints.js';
import { guardFormula } from '../../service/csv-formula.js';

export const bioCommand: CommandModule = {
  register(program, services) {
    const bio = program.command('bio');
    const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.bio.${key}`, facts);

    bio
      .command('info')
      .action(() =>
        services.operation('fingerprints.info', {}, (sensor) => {
          const how = sensor.kind === 'swipe' ? t('swipe') : sensor.kind === 'touch' ? t('touch') : t('unknownKind');
          const rows: [string, string][] = [
            [t('sensor'), how],
            [t('touches'), String(sensor.samplesPerFingerprint)],
            [t('longestName'), sensor.maxNameBytes === null ? services.t('cli.info.notReported') : t('bytes', { count: sensor.maxNameBytes })],
          ];
          return { json: sensor, human: labelled(rows) };
        }),
      );

    const list = bio
      .command('list')
      .action(() =>
        services.operation('fingerprints.list', {}, (fingerprints) => ({
          json: fingerprints,
          human: () => (fingerprints.length === 0 ? [t('none')] : table(services.copy.list('cli.bio.headers'), fingerprints.map((f) => [f.templateId, f.name ?? t('noName')]), services.columns)),
          csv: [['templateId', 'name'], ...fingerprints.map((f) => [f.templateId, guardFormula(f.name ?? '')])],
        })),
      );
    addExamples(list, services.copy, ['skm bio list', 'skm bio list --csv']);

    const enroll = bio
      .command('enroll')
      .addOption(new Option('--name <name>'))
      .action((options: { name?: string }) =>
        services.run(
          () => {
            checkName(services, options.name);
            return services.service().run('fingerprints.enroll', options.name !== undefined ? { name: options.name } : {}, services.runOptions());
          },
          (added) => ({ json: added, human: [added.name ? t('addedNamed', { name: added.name, id: added.templateId }) : t('added', { id: added.templateId })] }),
        ),
      );
    addExamples(enroll, services.copy, ['skm bio enroll --name "Right index"', 'skm --virtual bio.json --virtual-preset bio --virtual-samples good,too-high,good,poor-quality,good,good bio enroll']);

    bio
      .command('rename')
      .argument('<template-id>')
      .argument('<name>')
      .action((id: string, name: string) =>
        services.run(
          () => {
            checkName(services, name);
            return services.service().run('fingerprints.rename', { templateId: id, name }, services.runOptions());
          },
          (renamed) => ({ json: renamed, human: [t('renamed', { id: renamed.templateId, name: renamed.name ?? '' })] }),
        ),
      );

    bio
      .command('delete')
      .argument('<template-id>')
      .action((id: string) =>
        services.operation('fingerprints.remove', { templateId: id }, ({ removed }) => ({
          json: { removed },
          human: [t('removed', { name: fingerprintName(removed) })],
        })),
      );
  },
};

function fingerprintName(f: FingerprintRecord): string {
  return f.name ? `"${f.name}"` : f.templateId;
}

function checkName(services: CliServices, name: string | undefined): void {
  if (name !== undefined && name.trim().length === 0) services.usage('empty-name');
}
