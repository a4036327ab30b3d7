/**
 * What every `skm` command gets: the terminal, the global options, the catalogue's words, and
 * the KeyService (created lazily so `skm --help` touches no device). The CLI is a thin front end:
 * it turns argv into a service call, answers the call's prompt events on the terminal, and
 * prints the Result — selection, locking, error mapping and simulated keys are the service's.
 * @module
 */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Copy } from '../copy/index.js';
import type { DiscoverySource } from '../service/device-manager.js';
import { AppError, toAppError, type AppErrorFacts, type ErrorReason, type OperationKind, type ServiceError } from '../service/errors.js';
import type { KeyService, Result, RunOptions } from '../service/key-service.js';
import type { createTracer } from '../service/trace.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../service/operations/registry.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { ExitCode, exitCodeFor, Output, type CommandResult } from './output.js';
import type { ArgumentProblems } from './parser-errors.js';
import { TerminalPrompts } from './prompts.js';
import { neutralise } from './terminal-text.js';
import type { PromptInput } from './terminal-input.js';

export interface CliIo {
  stdin: PromptInput;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  /** stdin and stderr are an interactive terminal (hidden PIN prompt, live countdowns). */
  isTTY: boolean;
  /** Widths of the terminals stdout and stderr are (absent for a pipe or a file: no wrapping). */
  columns?: { stdout?: number; stderr?: number };
}

/** The global options (see skm.ts for their help text). */
export interface GlobalOptions {
  device?: string;
  json: boolean;
  csv: boolean;
  virtual: string[];
  virtualPreset?: string;
  virtualTouch?: PresenceScript;
  virtualSamples?: number[];
  verbose: boolean;
  trace: boolean;
  yes: boolean;
}

/** Test and embedding hooks; the CLI itself uses the defaults. */
export interface RunOverrides {
  /** Replaces USB + NFC discovery (tests run without hardware and without pcscd). */
  hardwareSources?: () => DiscoverySource[];
  /** Aborts the running command (main() wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
}

/** A command file: adds its commands to the program. Register it in skm.ts `commands`. */
export interface CommandModule {
  register(program: Command, services: CliServices): void;
}

/** The commands that print a list, and so can print it as CSV. */
const CSV_COMMANDS: ReadonlySet<string> = new Set(['list', 'creds list', 'bio list']);

export interface CliServicesOptions {
  io: CliIo;
  program: Command;
  copy: Copy;
  /** Where worded argument checks leave their reason (parser-errors.ts). */
  problems: ArgumentProblems;
  hardwareSources: (() => DiscoverySource[]) | undefined;
  signal: AbortSignal;
}

export class CliServices {
  exitCode: number = ExitCode.ok;
  readonly io: CliIo;
  readonly copy: Copy;
  readonly problems: ArgumentProblems;
  readonly signal: AbortSignal;
  /** The commands on this command line (`['creds', 'delete']`), for help hints. */
  commandPath: string[] = [];
  private readonly program: Command;
  private readonly hardwareSources: (() => DiscoverySource[]) | undefined;
  private serviceInstance: KeyService | undefined;
  private serviceModules: ServiceModules | undefined;
  private promptsInstance: TerminalPrompts | undefined;

  constructor(options: CliServicesOptions) {
    this.io = options.io;
    this.program = options.program;
    this.copy = options.copy;
    this.problems = options.problems;
    this.hardwareSources = options.hardwareSources;
    this.signal = options.signal;
  }

  globals(): GlobalOptions {
    const o = this.program.opts<Partial<GlobalOptions>>();
    return {
      device: o.device,
      json: o.json === true,
      csv: o.csv === true,
      virtual: o.virtual ?? [],
      virtualPreset: o.virtualPreset,
      virtualTouch: o.virtualTouch,
      virtualSamples: o.virtualSamples,
      verbose: o.verbose === true,
      trace: o.trace === true,
      yes: o.yes === true,
    };
  }

  /** An --rp value: a relying party id such as example.com; empty text is a mistake (an unset variable). */
  rpId(value: string): string {
    return value.trim() === '' ? this.problems.refuse('emptyRpId') : value;
  }

  /** Width of the terminal stdout is, for tables; undefined for a pipe. */
  get columns(): number | undefined {
    return this.io.columns?.stdout;
  }

  /**
   * What hints repeat: `{{skm}}` is the command line that reaches the same key (a hint that
   * drops `--virtual FILE` would act on no key, or on another one), `{{skmKeys}}` the same
   * without `--device` (to list the keys), `{{help}}` the help page of the command being run.
   */
  words(): { skm: string; skmKeys: string; help: string } {
    const g = this.globals();
    const skmKeys = ['skm', ...g.virtual.flatMap((file) => ['--virtual', shellWord(file)])].join(' ');
    const skm = g.device !== undefined ? `${skmKeys} --device ${shellWord(g.device)}` : skmKeys;
    return { skm, skmKeys, help: ['skm', ...this.commandPath, '--help'].join(' ') };
  }

  /** A catalogue text with the hint values filled in. */
  t(key: string, facts: Record<string, unknown> = {}): string {
    return this.copy.t(key, { ...this.words(), ...facts });
  }

  output(overrides: { json?: boolean; verbose?: boolean } = {}): Output {
    const g = this.globals();
    return new Output({
      stdout: this.io.stdout,
      stderr: this.io.stderr,
      json: overrides.json ?? g.json,
      csv: g.csv,
      verbose: overrides.verbose ?? g.verbose,
      copy: this.copy,
      columns: this.io.columns ?? {},
      words: this.words(),
    });
  }

  prompts(): TerminalPrompts {
    this.promptsInstance ??= new TerminalPrompts({
      stdin: this.io.stdin,
      stderr: this.io.stderr,
      isTTY: this.io.isTTY,
      assumeYes: this.globals().yes,
      copy: this.copy,
      ...(this.io.columns?.stderr !== undefined ? { columns: this.io.columns.stderr } : {}),
    });
    return this.promptsInstance;
  }

  /**
   * Load the service and protocol code. skm.ts awaits this before any command's action, so
   * `--help` and usage errors never read it; `service()` is synchronous after it.
   */
  async loadService(): Promise<void> {
    this.serviceModules ??= await loadServiceModules();
  }

  /** The service for this run: with --virtual only those simulated keys, else USB and NFC. */
  service(): KeyService {
    if (this.serviceInstance) return this.serviceInstance;
    if (!this.serviceModules) throw new Error('CliServices.service() before loadService()');
    const { KeyService, createTracer } = this.serviceModules;
    const g = this.globals();
    const output = this.output();
    this.serviceInstance = new KeyService({
      virtualFiles: g.virtual,
      ...(g.virtualPreset !== undefined ? { virtualPreset: g.virtualPreset } : {}),
      ...(g.virtualTouch !== undefined ? { virtualPresence: g.virtualTouch } : {}),
      ...(g.virtualSamples !== undefined ? { virtualSamples: g.virtualSamples } : {}),
      ...(this.hardwareSources ? { hardwareSources: this.hardwareSources } : {}),
      onWarning: (message) => output.verbose(this.copy.t('cli.output.note', { message })),
      // Trace lines carry what the key sent (names chosen by websites): neutralised like all text.
      ...(g.trace ? { onTrace: createTracer((line) => this.io.stderr.write(`${neutralise(line)}\n`)) } : {}),
    });
    return this.serviceInstance;
  }

  /** Run one operation on the chosen key (--device, or the only one) and print its result. */
  async operation<K extends OperationName>(name: K, input: OperationInputs[K], present: (value: OperationOutputs[K]) => CommandResult): Promise<void> {
    await this.run(() => this.service().run(name, input, this.runOptions()), present);
  }

  /** The key (--device), the terminal's prompts and Ctrl-C, for KeyService.run. */
  runOptions(): RunOptions {
    const device = this.globals().device;
    return { prompts: this.prompts(), signal: this.signal, ...(device !== undefined ? { deviceId: device } : {}) };
  }

  /**
   * Print a Result (human or --json) and set the exit code. Simulated keys are saved and
   * discoveries closed whatever happened; a change that could not be saved fails the command.
   */
  async run<T>(work: () => Promise<Result<T>>, present: (value: T) => CommandResult): Promise<void> {
    const output = this.output();
    let result: Result<T>;
    try {
      this.checkCsv();
      result = await work();
    } catch (error) {
      // Front-end errors (usage) are thrown as AppErrors before the service is called.
      if (!(error instanceof AppError)) throw error;
      result = { ok: false, error: error.toServiceError() };
    }
    const closed = await this.finish();
    if (result.ok && !closed.ok) result = closed;
    if (result.ok) {
      output.result(present(result.value));
      this.exitCode = ExitCode.ok;
      return;
    }
    this.fail(result.error);
  }

  /** A command that needs no key (presets, serving a simulated card): its errors map like any. */
  async local(kind: OperationKind, work: () => Promise<CommandResult>): Promise<void> {
    await this.run(async () => {
      try {
        return { ok: true, value: await work() } as const;
      } catch (error) {
        return { ok: false, error: toAppError(kind, error).toServiceError() } as const;
      }
    }, (value) => value);
  }

  /** Print an error and set its exit code. */
  fail(error: ServiceError): void {
    this.output().error(error);
    this.exitCode = exitCodeFor(error);
  }

  /** --csv is for lists, and one machine format at a time. */
  private checkCsv(): void {
    const g = this.globals();
    if (!g.csv) return;
    if (g.json) this.usage('argument-parser', { parserMessage: this.copy.t('cli.parser.csvAndJson') });
    if (!CSV_COMMANDS.has(this.commandPath.join(' '))) this.usage('argument-parser', { parserMessage: this.copy.t('cli.parser.csvNotHere') });
  }

  /** Fail with a usage error (exit 2) from inside a command. */
  usage(reason: ErrorReason, facts: AppErrorFacts = {}): never {
    throw new AppError('USAGE', { reason, ...facts });
  }

  /** Save simulated keys, unlock their files, release discoveries, drop unread PINs; idempotent. */
  private async finish(): Promise<Result<void>> {
    this.promptsInstance?.dispose();
    const service = this.serviceInstance;
    this.serviceInstance = undefined;
    return service ? service.close() : { ok: true, value: undefined };
  }
}

interface ServiceModules {
  KeyService: typeof KeyService;
  createTracer: typeof createTracer;
}

async function loadServiceModules(): Promise<ServiceModules> {
  const { KeyService, createTracer } = await import('../service/cli-modules.js');
  return { KeyService, createTracer };
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/u.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
