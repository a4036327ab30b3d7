/**
 * What every `skm` command gets: the terminal, the global options, and the service objects
 * (device manager, prompts, output), all created lazily so `skm --help` touches no device.
 * `run()` is the one place that turns a thrown error into plain words and an exit code.
 * @module
 */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import type { Ctap2Session } from '../../ctap/ctap2/session.js';
import { virtualDeviceId } from '../../ctap/virtual/discovery.js';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { CliPrompts, type PromptInput } from '../service/cli-prompts.js';
import { DeviceManager, type DiscoverySource } from '../service/device-manager.js';
import { AppError, toAppError, type OperationKind } from '../service/errors.js';
import { createTracer } from '../service/trace.js';
import { VirtualKeyFiles } from '../service/virtual-keys.js';
import { ExitCode, exitCodeFor, Output, type CommandResult } from './output.js';

export interface CliIo {
  stdin: PromptInput;
  stdout: Writable;
  stderr: Writable;
  env: Readonly<Record<string, string | undefined>>;
  /** stdin and stderr are an interactive terminal (hidden PIN prompt, live countdowns). */
  isTTY: boolean;
}

/** The global options (see skm.ts for their help text). */
export interface GlobalOptions {
  device?: string;
  json: boolean;
  virtual: string[];
  virtualPreset?: string;
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

export class CliServices {
  exitCode: number = ExitCode.ok;
  private manager: DeviceManager | undefined;
  private virtualKeys: VirtualKeyFiles | undefined;
  private promptsInstance: CliPrompts | undefined;

  constructor(
    readonly io: CliIo,
    private readonly program: Command,
    private readonly hardwareSources: () => DiscoverySource[],
    readonly signal: AbortSignal,
  ) {}

  globals(): GlobalOptions {
    const o = this.program.opts<Partial<GlobalOptions>>();
    return {
      device: o.device,
      json: o.json === true,
      virtual: o.virtual ?? [],
      virtualPreset: o.virtualPreset,
      verbose: o.verbose === true,
      trace: o.trace === true,
      yes: o.yes === true,
    };
  }

  /**
   * The simulated key behind `device` (--virtual), or undefined for hardware. A person cannot
   * unplug a simulated key, so commands that need a replug (reset) do it through this.
   */
  simulatedKey(device: DeviceDescriptor): VirtualKey | undefined {
    if (device.transport !== 'virtual') return undefined;
    return this.virtualKeys?.keys.find((key) => virtualDeviceId(key) === device.id);
  }

  output(): Output {
    const g = this.globals();
    return new Output({ stdout: this.io.stdout, stderr: this.io.stderr, json: g.json, verbose: g.verbose });
  }

  prompts(): CliPrompts {
    this.promptsInstance ??= new CliPrompts({
      stdin: this.io.stdin,
      stderr: this.io.stderr,
      isTTY: this.io.isTTY,
      assumeYes: this.globals().yes,
    });
    return this.promptsInstance;
  }

  /**
   * The device manager. With --virtual: only the simulated keys of those files (hardware is not
   * scanned, so a practice command can never touch a real key). Without: USB and NFC.
   */
  async devices(): Promise<DeviceManager> {
    if (this.manager) return this.manager;
    const g = this.globals();
    // Asked for a simulated key but named no file: acting on a connected real key instead
    // (a reset, a PIN) would be the worst reading of that command line.
    if (g.virtualPreset !== undefined && g.virtual.length === 0) {
      this.usage('--virtual-preset needs --virtual STATE_FILE (the file the simulated key is kept in).');
    }
    const output = this.output();
    let sources: DiscoverySource[];
    if (g.virtual.length > 0) {
      this.virtualKeys = await VirtualKeyFiles.open({ files: g.virtual, preset: g.virtualPreset, signal: this.signal });
      sources = [this.virtualKeys.source()];
    } else {
      sources = this.hardwareSources();
    }
    this.manager = new DeviceManager({
      sources,
      onWarning: (message) => output.verbose(`Note: ${message}`),
      ...(g.trace ? { onTrace: createTracer((line) => this.io.stderr.write(`${line}\n`)) } : {}),
    });
    return this.manager;
  }

  /** The key the command acts on: --device, or the only key present. */
  async selectDevice(): Promise<DeviceDescriptor> {
    const manager = await this.devices();
    return manager.select(this.globals().device, { signal: this.signal });
  }

  /** Select the key and run `work` on a session with it (one operation per key). */
  async withSession<T>(work: (session: Ctap2Session, device: DeviceDescriptor) => Promise<T>): Promise<T> {
    const device = await this.selectDevice();
    const manager = await this.devices();
    return manager.withSession(device, (session) => work(session, device), { signal: this.signal });
  }

  /** The flows' `openSession` (sends nothing; the caller closes `session.transport`). */
  readonly openSession = async (device: DeviceDescriptor, signal?: AbortSignal): Promise<Ctap2Session> =>
    (await this.devices()).openSession(device, { signal: signal ?? this.signal });

  /** Hold the key for a flow that opens sessions itself (reset across a replug). */
  async withDevice<T>(device: DeviceDescriptor, work: () => Promise<T>): Promise<T> {
    return (await this.devices()).withDevice(device, work, { signal: this.signal });
  }

  /**
   * Run one command: print its result, or map what it threw to an AppError, print that, and set
   * the exit code. Simulated keys are saved and discoveries closed whatever happens.
   */
  async run(operation: OperationKind, work: () => Promise<CommandResult>): Promise<void> {
    const output = this.output();
    let result: CommandResult | undefined;
    let failure: unknown;
    try {
      result = await work();
    } catch (error) {
      failure = error;
    }
    try {
      await this.finish();
    } catch (error) {
      // A simulated key whose change could not be saved did not really change: that fails the command.
      failure ??= error;
    }
    if (failure === undefined && result !== undefined) {
      output.result(result);
      this.exitCode = ExitCode.ok;
      return;
    }
    const appError = toAppError(operation, failure);
    output.error(appError);
    this.exitCode = exitCodeFor(appError.code);
  }

  /** Fail with a usage error (exit 2) from inside a command. */
  usage(message: string): never {
    throw new AppError('USAGE', { message });
  }

  /** Save simulated keys, unlock their files, release discoveries, drop unread PINs; idempotent. */
  private async finish(): Promise<void> {
    this.promptsInstance?.dispose();
    try {
      await this.virtualKeys?.close();
    } finally {
      await this.manager?.close();
      this.manager = undefined;
    }
  }
}
