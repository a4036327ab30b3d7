/**
 * `skm man` — the manual page (roff, section 1), generated from the same program tree and help
 * text as `--help`, so the two never disagree. The build writes it to dist/skm.1 for packages
 * to install (main/cli/build.mjs).
 * @module
 */
import type { Command, Help } from 'commander';
import type { Copy } from '../copy/index.js';
import { describeCommands, examplesOf, walkCommands } from './help.js';

/** Text as roff reads it: backslashes doubled, a leading dot or quote kept literal, dashes as dashes. */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function optionItems(command: Command, help: Help): string[] {
  return help.visibleOptions(command).flatMap((option) => ['.TP', `.B ${roff(help.optionTerm(option))}`, roff(help.optionDescription(option))]);
}

export function manPage(program: Command, copy: Copy, version: string): string {
  describeCommands(program);
  const help = program.createHelp();
  const out: string[] = [
    `.TH SKM 1 "" "skm ${version}" "User Commands"`,
    '.SH NAME',
    `skm \\- ${roff(program.description())}`,
    '.SH SYNOPSIS',
    `.B skm\n[\\fIoptions\\fR] \\fIcommand\\fR [\\fIarguments\\fR]`,
    '.SH OPTIONS',
    ...optionItems(program, help),
    '.SH COMMANDS',
  ];
  for (const { path, command } of walkCommands(program)) {
    out.push('.TP', `.B skm ${roff(path.join(' '))}${command.registeredArguments.length > 0 ? ` ${roff(help.commandUsage(command).split(' ').slice(-command.registeredArguments.length).join(' '))}` : ''}`, roff(command.description()));
    const own = help.visibleOptions(command).filter((o) => !['-h, --help'].includes(o.flags));
    if (own.length > 0) {
      out.push('.RS');
      for (const option of own) out.push('.TP', `.B ${roff(help.optionTerm(option))}`, roff(help.optionDescription(option)));
      out.push('.RE');
    }
    const lines = examplesOf(command);
    if (lines.length > 0) out.push('.RS', roff(copy.t('cli.help.examples')), '.nf', ...lines.map((line) => roff(`  ${line}`)), '.fi', '.RE');
  }
  out.push('.SH "EXIT STATUS"', '.nf', roff(copy.t('cli.help.exitCodes.list')), '.fi');
  return `${out.join('\n')}\n`;
}
