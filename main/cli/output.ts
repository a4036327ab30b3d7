/**
 * What `skm` prints and which exit code it returns.
 *
 * Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 no key / several keys and none
 * chosen / the chosen id matches no key (the caller must pick a key: all three are "which key?").
 * With --json, stdout carries exactly one JSON document: the result, or `{ "error": { code,
 * message, nextStep?, details? } }`; prompts and instructions always go to stderr.
 * @module
 */
import type { Writable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { Copy } from '../copy/index.js';
import type { AppErrorCode, ServiceError } from '../service/errors.js';

export const ExitCode = { ok: 0, failed: 1, usage: 2, noDevice: 3 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What a command hands back: the JSON document and the lines a person reads. */
export interface CommandResult {
  json: unknown;
  human: string[];
}

const whichKeyCodes: ReadonlySet<AppErrorCode> = new Set(['NO_DEVICE', 'SEVERAL_DEVICES', 'DEVICE_NOT_FOUND']);

export function exitCodeFor(code: AppErrorCode): ExitCodeValue {
  if (whichKeyCodes.has(code)) return ExitCode.noDevice;
  if (code === 'USAGE') return ExitCode.usage;
  return ExitCode.failed;
}

export interface OutputOptions {
  stdout: Writable;
  stderr: Writable;
  json: boolean;
  verbose: boolean;
  /** The catalogue's words (errors are data until printed). */
  copy: Copy;
}

export class Output {
  constructor(private readonly options: OutputOptions) {}

  get json(): boolean {
    return this.options.json;
  }

  result(result: CommandResult): void {
    if (this.options.json) this.options.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
    else if (result.human.length > 0) this.options.stdout.write(`${result.human.join('\n')}\n`);
  }

  error(error: ServiceError): void {
    const words = this.options.copy.error(error);
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
    const lines = [`Error: ${words.message}`];
    if (words.nextStep) lines.push(words.nextStep);
    if (this.options.verbose && error.details) lines.push(`Details: ${error.details}`);
    this.options.stderr.write(`${lines.join('\n')}\n`);
  }

  /** A remark for people (stderr); silent in --json mode unless verbose. */
  note(line: string): void {
    if (!this.options.json || this.options.verbose) this.options.stderr.write(`${line}\n`);
  }

  /** Shown only with --verbose (stderr). */
  verbose(line: string): void {
    if (this.options.verbose) this.options.stderr.write(`${line}\n`);
  }
}

/** A plain text table: columns padded to their widest cell, two spaces apart. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** "0x1050" for USB ids in human output. */
export function hex4(n: number | null): string {
  return n === null ? '' : `0x${n.toString(16).padStart(4, '0')}`;
}

/** An --rp value: a relying party id such as example.com; empty text is a mistake (an unset variable). */
export function parseRpId(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('A website id (such as example.com) cannot be empty.');
  return value;
}
