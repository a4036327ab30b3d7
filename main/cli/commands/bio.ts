/**
 * `skm bio info | list | enroll | rename | delete` — fingerprints, CTAP 2.1 §6.7 through
 * main/service/operations/fingerprints.ts. Fingerprint ids are shown and accepted as hex.
 * Enrollment guidance (one line per sample, with the touches still needed) comes from the flow
 * through the prompts, on stderr; the PIN comes only from the prompt.
 * @module
 */
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { table } from '../output.js';

export const bioCommand: CommandModule = {
  register(program, services) {
    const bio = program.command('bio').description('Add, list, rename or remove the fingerprints on the key');

    bio
      .command('info')
      .description('What the fingerprint sensor is like (no PIN needed)')
      .action(() =>
        services.operation('fingerprints.info', {}, (sensor) => {
          const how = sensor.kind === 'swipe' ? 'swipe your finger over it' : sensor.kind === 'touch' ? 'touch it with your finger' : 'unknown kind';
          const human = [
            `Sensor:                   ${how}`,
            `Touches per fingerprint:  ${sensor.samplesPerFingerprint}`,
            `Longest name:             ${sensor.maxNameBytes === null ? 'not reported' : `${sensor.maxNameBytes} bytes`}`,
          ];
          return { json: sensor, human };
        }),
      );

    bio
      .command('list')
      .description('List the enrolled fingerprints (needs the PIN)')
      .action(() =>
        services.operation('fingerprints.list', {}, (fingerprints) => {
          const human =
            fingerprints.length === 0
              ? ['No fingerprints are enrolled on this key.']
              : table(['ID', 'NAME'], fingerprints.map((f) => [f.templateId, f.name ?? '(no name)']));
          return { json: fingerprints, human };
        }),
      );

    bio
      .command('enroll')
      .description('Add a fingerprint: touch the sensor as often as asked (needs the PIN)')
      .addOption(new Option('--name <name>', 'A name for the fingerprint, such as "Right index"'))
      .action((options: { name?: string }) =>
        services.run(
          () => {
            checkName(services, options.name);
            return services.service().run('fingerprints.enroll', options.name !== undefined ? { name: options.name } : {}, services.runOptions());
          },
          (added) => ({ json: added, human: [`Fingerprint added${added.name ? ` as "${added.name}"` : ''} (id ${added.templateId}).`] }),
        ),
      );

    bio
      .command('rename')
      .description('Rename a fingerprint (needs the PIN)')
      .argument('<template-id>', 'The fingerprint id as `skm bio list` shows it (hex)')
      .argument('<name>', 'The new name')
      .action((id: string, name: string) =>
        services.run(
          () => {
            checkName(services, name);
            return services.service().run('fingerprints.rename', { templateId: id, name }, services.runOptions());
          },
          (renamed) => ({ json: renamed, human: [`Fingerprint ${renamed.templateId} is now called "${renamed.name ?? ''}".`] }),
        ),
      );

    bio
      .command('delete')
      .description('Remove a fingerprint (asks for confirmation, naming it; needs the PIN)')
      .argument('<template-id>', 'The fingerprint id as `skm bio list` shows it (hex)')
      .action((id: string) =>
        services.operation('fingerprints.remove', { templateId: id }, ({ removed }) => ({
          json: { removed },
          human: [`Removed the fingerprint ${removed.name ? `"${removed.name}"` : removed.templateId}.`],
        })),
      );
  },
};

function checkName(services: CliServices, name: string | undefined): void {
  if (name !== undefined && name.trim().length === 0) services.usage('empty-name');
}
