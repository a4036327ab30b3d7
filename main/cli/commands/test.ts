/**
 * `skm test` — prove the key works: create a credential, sign in with it, and check the
 * signature (CTAP 2.1 §6.1, §6.2) through main/service/operations/test.ts. With --resident the
 * test passkey is stored on the key (it then shows in `skm creds list`); the same account is
 * reused on every run, so repeated tests replace it instead of filling the key. The PIN, when
 * the key has one, comes only from the prompt.
 * @module
 */
import { Option } from 'commander';
import type { Copy } from '../../copy/index.js';
import type { CommandModule } from '../context.js';
import type { TestReport } from '../../service/operations/test.js';

interface TestOptions {
  resident?: boolean;
  rp?: string;
  user?: string;
  largeBlob?: string;
}

export const testCommand: CommandModule = {
  register(program, services) {
    program
      .command('test')
      .description('Check that the key works: create a test credential, sign in with it, verify the signature')
      .addOption(new Option('--resident', 'Store the test passkey on the key (it shows in `skm creds list`)'))
      .addOption(new Option('--rp <id>', 'Website (relying party id) for the test credential (default skm.test)'))
      .addOption(new Option('--user <name>', 'Account name for the test credential (default skm-test)'))
      .addOption(new Option('--large-blob <text>', 'Also store this text beside the test passkey (large blob; needs --resident)'))
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
          (report) => ({ json: report, human: humanReport(report, services.copy) }),
        ),
      );
  },
};

function humanReport(report: TestReport, copy: Copy): string[] {
  const lines = report.steps.map((s) => `${s.ok ? '✓' : '✗'} ${copy.testStep(s)}`);
  lines.push(
    '',
    `The key works. ${report.discoverable ? `A test passkey for ${report.userName} on ${report.rpId} is stored on the key.` : `The test credential for ${report.rpId} was not stored on the key.`}`,
    `Credential ID:     ${report.credentialId}`,
    `Signature:         valid (signature counter ${report.signCount})`,
    `PIN or fingerprint: ${report.userVerified ? 'checked' : 'not used'}`,
  );
  if (report.largeBlobSize !== null) lines.push(`Large blob:        ${report.largeBlobSize} bytes stored beside the passkey (see \`skm blobs list\`)`);
  return lines;
}
