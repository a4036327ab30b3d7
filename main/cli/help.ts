/**
 * `--help` as people read it: headings and commander's own words from the catalogue, the
 * options of `skm` itself shown under every command (they work there), examples per command,
 * the exit codes on the main page, and text measured in terminal columns (string-width) and
 * wrapped to the terminal. The completion scripts and the man page read the same program tree.
 * @module
 */
import { Help, type Command } from 'commander';
import type { Copy } from '../copy/index.js';
import { displayWidth } from './terminal-text.js';

/** Help for a pipe (a pager, a man page) is wrapped to this many columns. */
export const DEFAULT_HELP_WIDTH = 80;

/** Set before any subcommand exists: commander copies help settings into each subcommand. */
export function configureHelp(program: Command, copy: Copy, columns: { stdout?: number; stderr?: number }): void {
  let titles: Record<string, string> | undefined;
  const title = (text: string): string => {
    titles ??= {
      'Usage:': copy.t('cli.help.usage'),
      'Commands:': copy.t('cli.help.commands'),
      'Options:': copy.t('cli.help.options'),
      'Arguments:': copy.t('cli.help.arguments'),
      'Global Options:': copy.t('cli.help.globalOptions'),
    };
    return titles[text] ?? text;
  };
  program
    .configureHelp({
      showGlobalOptions: true,
      // Narrow terminals still get wrapped descriptions (commander's default gives up below 40).
      minWidthToWrap: 20,
      sortSubcommands: false,
      displayWidth,
      styleTitle: title,
      // Commander copies this setting into every subcommand, so any help page gets its words first.
      formatHelp(command, helper) {
        describeCommands(command);
        return Help.prototype.formatHelp.call(helper, command, helper);
      },
    })
    // Their words are set with the others', when a help page is shown (describeFromCatalogue).
    .helpOption('-h, --help')
    .helpCommand('help [command]');
  program.configureOutput({
    getOutHelpWidth: () => columns.stdout ?? DEFAULT_HELP_WIDTH,
    getErrHelpWidth: () => columns.stderr ?? DEFAULT_HELP_WIDTH,
  });
}

const examples = new WeakMap<Command, string[]>();

/** Examples under a command's help: command lines, each as a person types it (the man page shows them too). */
export function addExamples(command: Command, copy: Copy, lines: string[]): Command {
  examples.set(command, lines);
  return command.addHelpText('after', () => `\n${copy.t('cli.help.examples')}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}

export function examplesOf(command: Command): readonly string[] {
  return examples.get(command) ?? [];
}

/** The exit codes, on the main help page only. */
export function addExitCodes(program: Command, copy: Copy): void {
  program.addHelpText('after', () => {
    const list = copy
      .t('cli.help.exitCodes.list')
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    return `\n${copy.t('cli.help.exitCodes.title')}\n${list}\n`;
  });
}

/**
 * The commands named on a command line, as far as they exist (`['creds', 'delete']`), for the
 * help hint of a usage error. Option values that happen to be command names are rare enough
 * that the hint then names a parent command's help, which still helps.
 */
export function commandPath(program: Command, argv: readonly string[]): string[] {
  const path: string[] = [];
  let current = program;
  for (const token of argv) {
    if (token === '--') break;
    const next = current.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (!next) continue;
    path.push(next.name());
    current = next;
  }
  return path;
}

const pendingWords = new WeakMap<Command, () => void>();

/**
 * The words of every command, option and argument are filled in (describeFromCatalogue) only
 * when something shows them — a help page, the man page, a completion script: a command that
 * just runs never needs the two hundred catalogue lookups.
 */
export function describeWhenShown(program: Command, copy: Copy, facts: Record<string, unknown> = {}): void {
  pendingWords.set(program, () => {
    pendingWords.delete(program);
    describeFromCatalogue(program, copy, facts);
  });
}

/** Fill in the words of `command`'s whole program now, if they are still pending; call before reading any. */
export function describeCommands(command: Command): void {
  let root = command;
  while (root.parent) root = root.parent;
  pendingWords.get(root)?.();
}

/**
 * The words of every command, option and argument, from the catalogue (`cli.describe`, keyed by
 * the command's path, `skm` for the program itself): the command files hold none. `{{facts}}`
 * that help text needs (the vpcd port, the longest minimum PIN) are filled in here.
 */
export function describeFromCatalogue(program: Command, copy: Copy, facts: Record<string, unknown> = {}): void {
  for (const { path, command } of [{ path: [] as string[], command: program }, ...walkCommands(program)]) {
    const key = `cli.describe.${path.length === 0 ? 'skm' : path.join(' ')}`;
    // A command not yet in the catalogue keeps the words it was given (the completeness test says so).
    if (copy.has(`${key}.description`)) command.description(copy.t(`${key}.description`, facts));
    for (const option of command.options) {
      if (option.long !== undefined && copy.has(`${key}.options.${option.long}`)) option.description = copy.t(`${key}.options.${option.long}`, facts);
    }
    for (const argument of command.registeredArguments) {
      if (copy.has(`${key}.arguments.${argument.name()}`)) argument.description = copy.t(`${key}.arguments.${argument.name()}`, facts);
    }
    // Commander's own help option and help command, as help shows them on this command.
    const helper = command.createHelp();
    for (const option of helper.visibleOptions(command)) {
      if (option.long === '--help') option.description = copy.t('cli.help.helpOption');
      if (option.long === '--version') option.description = copy.t('cli.help.version');
    }
    for (const sub of helper.visibleCommands(command)) if (sub.name() === 'help') sub.description(copy.t('cli.help.helpCommand'));
  }
}

/** Every command with its full path below `skm` (for completion and the man page). */
export function walkCommands(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((child) => {
    if (child.name() === 'help') return [];
    const childPath = [...path, child.name()];
    return [{ path: childPath, command: child }, ...walkCommands(child, childPath)];
  });
}
