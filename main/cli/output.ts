/**
 * What `skm` prints and which exit code it returns.
 *
 * Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 no key / several keys and none
 * chosen / the chosen id matches no key (the caller must pick a key: all three are "which key?"),
 * 4 the person answered "no" to a confirmation (nothing was changed; not an error, but a script
 * must not go on as if it had been done), 130 cancelled (Ctrl-C, Ctrl-D at a prompt, SIGINT or
 * SIGTERM), as shells report a command ended by SIGINT.
 * With --json, stdout carries exactly one JSON document: the result, or `{ "error": { code,
 * message, nextStep?, details? } }`; prompts and instructions always go to stderr.
 *
 * Human-readable text is neutralised (terminal-text.ts) here, on its way out, so no website- or
 * key-chosen name can steer the terminal; it is wrapped to the terminal's width when there is one.
 * @module
 */
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Copy } from '../copy/index.js';
import type { AppErrorCode, ServiceError } from '../service/errors.js';
import { neutralise, wrap } from './terminal-text.js';
import { hex } from '../../ctap/bytes.js';

export const ExitCode = { ok: 0, failed: 1, usage: 2, noDevice: 3, declined: 4, cancelled: 130 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What a command hands back: the JSON document, the lines a person reads, and for lists the CSV rows (headings first). */
export interface CommandResult {
  json: unknown;
  /** Built only when printed for a person: a function where building costs (tables, lists, counts). */
  human: string[] | (() => string[]);
  csv?: string[][];
  /** Text for another program (a shell script, a man page): printed exactly, never wrapped. */
  raw?: string;
}

const whichKeyCodes: ReadonlySet<AppErrorCode> = new Set(['NO_DEVICE', 'SEVERAL_DEVICES', 'DEVICE_NOT_FOUND']);

/** A person's own "no" to a confirmation: CANCELLED with a declined-… reason. */
export function isDeclined(error: ServiceError): boolean {
  return error.code === 'CANCELLED' && error.facts.reason?.startsWith('declined-') === true;
}

export function exitCodeFor(error: ServiceError): ExitCodeValue {
  if (whichKeyCodes.has(error.code)) return ExitCode.noDevice;
  if (error.code === 'USAGE') return ExitCode.usage;
  if (isDeclined(error)) return ExitCode.declined;
  if (error.code === 'CANCELLED') return ExitCode.cancelled;
  return ExitCode.failed;
}

export interface OutputOptions {
  stdout: Writable;
  stderr: Writable;
  json: boolean;
  /** --csv: lists as CSV on stdout (exact, like JSON: never neutralised or wrapped). */
  csv?: boolean;
  verbose: boolean;
  /** The catalogue's words (errors are data until printed). */
  copy: Copy;
  /** Terminal widths to wrap to; undefined for a pipe or a file (never wrapped). */
  columns?: { stdout?: number; stderr?: number };
  /** Values every catalogue text may use, such as `{{skm}}` (the command line to repeat). */
  words?: Record<string, string>;
}

export class Output {
  constructor(private readonly options: OutputOptions) {}

  get json(): boolean {
    return this.options.json;
  }

  result(result: CommandResult): void {
    if (this.options.json) this.options.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
    else if (result.raw !== undefined) this.options.stdout.write(result.raw);
    else if (this.options.csv && result.csv) this.options.stdout.write(stringify(result.csv, { record_delimiter: 'unix' }));
    else {
      const human = typeof result.human === 'function' ? result.human() : result.human;
      if (human.length > 0) this.text('stdout', human.join('\n'));
    }
  }

  error(error: ServiceError): void {
    const words = this.options.copy.error(error, this.options.words);
    if (this.options.json) {
      const body = {
        code: error.code,
        message: words.message,
        ...(words.nextStep !== undefined ? { nextStep: words.nextStep } : {}),
        ...(error.details !== undefined ? { details: error.details } : {}),
        ...(error.facts.retries !== undefined && error.facts.retries !== null ? { retries: error.facts.retries } : {}),
        ...(error.facts.devices !== undefined ? { devices: error.facts.devices } : {}),
      };
      this.options.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
      return;
    }
    const { copy } = this.options;
    // A person's "no" and a cancellation are what was asked for, not failures.
    const plain = error.code === 'CANCELLED';
    const lines = [plain ? words.message : copy.t('cli.output.error', { message: words.message })];
    if (words.nextStep && !(plain && !isDeclined(error))) lines.push(words.nextStep);
    if (this.options.verbose && error.details) lines.push(copy.t('cli.output.details', { details: error.details }));
    this.text('stderr', lines.join('\n'));
  }

  /** A remark for people (stderr); silent in --json mode unless verbose. */
  note(line: string): void {
    if (!this.options.json || this.options.verbose) this.text('stderr', line);
  }

  /** Shown only with --verbose (stderr). */
  verbose(line: string): void {
    if (this.options.verbose) this.text('stderr', line);
  }

  /** Text for people: neutralised, wrapped to the terminal, one line feed at the end. */
  private text(stream: 'stdout' | 'stderr', text: string): void {
    this.options[stream].write(`${wrap(neutralise(text), this.options.columns?.[stream])}\n`);
  }
}

/** "0x1050" for USB ids in human output. */
export function hex4(n: number | null): string {
  return n === null ? '' : hex(n, 4);
}
