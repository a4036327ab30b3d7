/**
 * `skm test` — prove the key works: create a credential, sign in with it, and check the
 * signature (CTAP 2.1 §6.1, §6.2) through main/service/operations/test.ts. With --resident the
 * test passkey is stored on the key (it then shows in `skm creds list`); the same account is
 * reused on every run, so repeated tests replace it instead of filling the key. The PIN, when
 * the key has one, comes only from the prompt.
 * @module
 */
import { Option } from 'commander';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import { labelled } from '../terminal-text.js';
import type { TestReport } from '../../service/operations/test.js';

interface TestOptions {
  resident?: boolean;
  rp?: string;
  user?: string;
  largeBlob?: string;
}

export const testCommand: CommandModule = {
  register(program, services) {
    const test = program
      .command('test')
      .addOption(new Option('--resident'))
      .addOption(new Option('--rp <id>'))
      .addOption(new Option('--user <name>'))
      .addOption(new Option('--large-blob <text>'))
      .action((options: TestOptions) =>
        services.run(
          () => {
            if (options.rp === '' || options.user === '') services.usage('empty-name');
            if (options.largeBlob !== undefined && options.resident !== true) services.usage('large-blob-needs-resident');
            return services.service().run(
              'test',
              {
                residentKey: options.resident === true,
                ...(options.rp !== undefined ? { rpId: options.rp } : {}),
                ...(options.user !== undefined ? { userName: options.user } : {}),
                ...(options.largeBlob !== undefined ? { largeBlob: options.largeBlob } : {}),
              },
              services.runOptions(),
            );
          },
          (report) => ({ json: report, human: () => humanReport(report, services) }),
        ),
      );
    addExamples(test, services.copy, ['skm test', 'skm test --resident --rp example.com --user alice']);
  },
};

function humanReport(report: TestReport, services: CliServices): string[] {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.test.${key}`, facts);
  const lines = report.steps.map((s) => `${s.ok ? '✓' : '✗'} ${services.copy.testStep(s)}`);
  const stored = report.discoverable ? t('stored', { userName: report.userName, rpId: report.rpId }) : t('notStored', { rpId: report.rpId });
  lines.push(
    '',
    `${t('works')} ${stored}`,
    ...labelled([
      [t('credentialId'), report.credentialId],
      [t('signature'), t('signatureValid', { count: report.signCount })],
      [t('verification'), report.userVerified ? t('checked') : t('notUsed')],
    ]),
  );
  if (report.largeBlobSize !== null) lines.push(`Large blob:        ${report.largeBlobSize} bytes stored beside the passkey (see \`skm blobs list\`)`);
  return lines;
}
