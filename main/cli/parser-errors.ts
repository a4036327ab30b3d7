/**
 * The argument parser's errors in the catalogue's words. commander's own sentences repeat what
 * was typed ("unknown option '--pin=123456'", "command-argument value '3' is invalid"), and what
 * was typed may be a PIN: option values are never repeated, option and command names are cut to
 * a readable length, and anything after `skm pin` is not repeated at all.
 *
 * Argument checks (`argParser`) throw `ArgumentProblem` with their worded reason; commander wraps
 * it in its own error, so the reason is also kept here for `usageError` to use as it is.
 * @module
 */
import { InvalidArgumentError, type CommanderError } from 'commander';
import type { Copy } from '../copy/index.js';
import { AppError } from '../service/errors.js';
import { capEchoed } from './terminal-text.js';

/** Where a worded argument check leaves its reason for the usage error (one per run). */
export class ArgumentProblems {
  last: string | undefined;

  constructor(private readonly copy: Copy) {}

  /** Refuse an argument with a catalogue text (`cli.parser.<key>`), naming the argument. */
  refuse(key: string, facts: Record<string, unknown> = {}): never {
    this.last = this.copy.t(`cli.parser.${key}`, facts);
    throw new InvalidArgumentError(this.last);
  }
}

/** An option as typed, without a value it may carry (`--pin=1234` → `--pin`, `-p1234` → `-p`). */
export function optionName(typed: string): string {
  const name = typed.startsWith('--') ? typed.split('=')[0]! : typed.slice(0, 2);
  return capEchoed(name, 40);
}

/**
 * The USAGE error for a parser error. `inPin`: the words after `skm pin` may be a PIN given on
 * the command line, so they are never repeated.
 */
export function usageError(error: CommanderError, argv: readonly string[], copy: Copy, problems: ArgumentProblems): AppError {
  const inPin = argv.includes('pin');
  const details = error.code;
  const suggestion = /Did you mean (\S+?)\?/.exec(error.message)?.[1];
  const hint = suggestion ? ` ${copy.t('cli.parser.suggestion', { suggestion: capEchoed(suggestion, 40) })}` : '';
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'commander.unknownCommand':
      if (inPin) return new AppError('USAGE', { reason: 'pin-in-arguments', details });
      return parser(copy.t('cli.parser.unknownCommand', { word: capEchoed(quoted, 40) }) + hint, details);
    case 'commander.excessArguments': {
      const expected = /Expected (\d+) arguments?/.exec(error.message)?.[1] ?? '0';
      const message = copy.t('cli.parser.excessArguments', { expected });
      return inPin ? new AppError('USAGE', { reason: 'pin-extra-arguments', parserMessage: message, details }) : parser(message, details);
    }
    case 'commander.unknownOption':
      return parser(copy.t('cli.parser.unknownOption', { option: optionName(quoted) }) + hint, details);
    case 'commander.missingArgument':
      return parser(copy.t('cli.parser.missingArgument', { argument: `<${capEchoed(quoted, 40)}>` }), details);
    case 'commander.optionMissingArgument':
      return parser(copy.t('cli.parser.missingOptionValue', { option: capEchoed(quoted, 60) }), details);
    case 'commander.invalidArgument':
      return parser(problems.last ?? copy.t('cli.parser.other'), details);
    case 'commander.conflictingOption':
      return parser(copy.t('cli.parser.other'), details);
    default:
      return parser(copy.t('cli.parser.other'), details);
  }
}

function parser(message: string, details: string): AppError {
  return new AppError('USAGE', { reason: 'argument-parser', parserMessage: message, details });
}
