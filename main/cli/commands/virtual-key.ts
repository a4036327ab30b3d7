/**
 * `skm virtual-key presets` and `skm virtual-key --vpcd HOST:PORT` — the simulated key as a
 * developer tool (DESIGN.md "Virtual key"): list the presets, or put a simulated key into a
 * vsmartcard vpcd reader so pcscd and every PC/SC client see a FIDO card, until Ctrl-C.
 * @module
 */
import { InvalidArgumentError, Option } from 'commander';
import { describePresets } from '../../../ctap/virtual/config.js';
import { FAULTS, isFaultName, type FaultName } from '../../../ctap/virtual/faults.js';
import type { PresenceScript } from '../../../ctap/virtual/presence.js';
import type { VpcdStatus } from '../../../ctap/virtual/vpcd.js';
import type { CliServices, CommandModule } from '../context.js';
import { addExamples } from '../help.js';
import { parsePresence } from '../practice-options.js';
import { table } from '../terminal-text.js';

interface VirtualKeyOptions {
  vpcd?: { host: string; port: number };
  state?: string;
  preset?: string;
  touch: PresenceScript;
  fault?: FaultName[];
}

export const virtualKeyCommand: CommandModule = {
  register(program, services) {
    const command = program
      .command('virtual-key')
      .addOption(new Option('--vpcd <host:port>').argParser((value) => parseHostPort(value, services)))
      .addOption(new Option('--state <file>'))
      .addOption(new Option('--preset <name>'))
      .addOption(new Option('--touch <answer>').argParser((value) => parsePresence(value, services.problems, '--touch')).default('approve'))
      .addOption(new Option('--fault <name...>').argParser(collectFault))
      .action((options: VirtualKeyOptions) =>
        services.local('virtual-key', async () => {
          if (!options.vpcd) return services.usage('vpcd-missing');
          const { host, port } = options.vpcd;
          const output = services.output();
          output.note(services.t('cli.virtualKey.attaching', { host, port }));
          const { serveOnVpcd } = await import('../../service/virtual-keys.js');
          const served = await serveOnVpcd({
            host,
            port,
            presence: options.touch,
            signal: services.signal,
            onStatus: (status) => output.verbose(describeStatus(status, services)),
            ...(options.state !== undefined ? { stateFile: options.state } : {}),
            ...(options.preset !== undefined ? { preset: options.preset } : {}),
            ...(options.fault !== undefined ? { faults: options.fault } : {}),
          });
          return { json: { stopped: true, ...served }, human: [services.t('cli.virtualKey.detached')] };
        }),
      );

    command
      .command('faults')
      .action(() =>
        services.local('virtual-key', () => {
          const faults = Object.entries(FAULTS).map(([name, fault]) => ({ name, layer: fault.layer, description: fault.description }));
          return Promise.resolve({ json: faults, human: () => table(['FAULT', 'LAYER', 'DESCRIPTION'], faults.map((f) => [f.name, f.layer, f.description])) });
        }),
      );

    command
      .command('presets')
      .action(() =>
        services.local('virtual-key', () => {
          const presets = describePresets();
          return Promise.resolve({ json: presets, human: () => table(services.copy.list('cli.virtualKey.headers'), presets.map((p) => [p.name, p.description]), services.columns) });
        }),
      );
    addExamples(command, services.copy, ['skm virtual-key presets', 'skm virtual-key --vpcd 127.0.0.1:35963 --state card.json --preset nfc-card', 'skm virtual-key --vpcd 127.0.0.1:35963 --touch 3000']);
  },
};

function parseHostPort(value: string, services: CliServices): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) return services.problems.refuse('hostPort', { argument: '--vpcd' });
  return { host: match[1]!, port };
}

function collectFault(value: string, previous: FaultName[] | undefined): FaultName[] {
  if (!isFaultName(value)) throw new InvalidArgumentError('Unknown fault; `skm virtual-key faults` lists them.');
  return [...(previous ?? []), value];
}

function describeStatus(status: VpcdStatus, services: CliServices): string {
  const t = (key: string, facts?: Record<string, unknown>): string => services.t(`cli.virtualKey.vpcd.${key}`, facts);
  switch (status.state) {
    case 'connecting':
      return t('connecting', { attempt: status.attempt });
    case 'connected':
      return t('connected');
    case 'power':
      return t(status.on ? 'powerOn' : 'powerOff');
    case 'disconnected':
      return t('disconnected', { reason: status.reason, ms: status.retryInMs });
    case 'stopped':
      return t('stopped');
  }
}
