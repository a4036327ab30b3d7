/**
 * `skm` — the Security Key Manager command line, over the same main/service code as the app.
 *
 * How to add a command (one file, one line here):
 *   1. Create main/cli/commands/<name>.ts exporting a `CommandModule`:
 *        export const fooCommand: CommandModule = {
 *          register(program, services) {
 *            program.command('foo')   // its --help words: `cli.describe.foo` in main/copy/en-cli.ts
 *              .action(() => services.run('credentials', async () => {   // an OperationKind (errors.ts)
 *                const value = await services.withSession((session) => fooOperation({ session, … }));
 *                return { json: value, human: [`Done: …`] };
 *              }));
 *          },
 *        };
 *      Put the protocol work in main/service/operations/<name>.ts (no printing there), and use
 *      `services.prompts()` for PINs, touches and confirmations (`--yes` is already global).
 *      Flows that open keys themselves get `services.openSession` (sends nothing),
 *      `services.withDevice` (holds the key) and `await services.devices()` (a Discovery).
 *   2. Add the module to `commands` below.
 * `services.run` prints the result (human or --json) and maps any error through
 * main/service/errors.ts to plain words and an exit code; commands never print errors themselves.
 *
 * Exit codes (main/cli/output.ts): 0 ok, 1 failed, 2 usage, 3 which key? (none, several, or a
 * --device id that matches no key — the caller must choose a key in all three cases), 4 the
 * person said "no" to a confirmation, 130 cancelled.
 *
 * Simulated keys: only with --virtual FILE, and then only those (no hardware is scanned). Without
 * --virtual and without a key, commands say "No security key found" (exit 3) and hint at
 * --virtual; a scripting tool never falls back to a simulated key on its own.
 * @module
 */
import type { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { Copy } from '../copy/index.js';
import { DEFAULT_VPCD_PORT } from '../../ctap/virtual/vpcd.js';
import { AppError } from '../service/errors.js';
import { bioCommand } from './commands/bio.js';
import { blobsCommand } from './commands/blobs.js';
import { configCommand, MAX_MIN_PIN_LENGTH } from './commands/config.js';
import { credsCommand } from './commands/creds.js';
import { doctorCommand } from './commands/doctor.js';
import { infoCommand } from './commands/info.js';
import { listCommand } from './commands/list.js';
import { pinCommand } from './commands/pin.js';
import { provisionCommand } from './commands/provision.js';
import { resetCommand } from './commands/reset.js';
import { selectCommand } from './commands/select.js';
import { shellCommand } from './commands/shell.js';
import { testCommand } from './commands/test.js';
import { virtualKeyCommand } from './commands/virtual-key.js';
import { winkCommand } from './commands/wink.js';
import { CliServices, type CliIo, type CommandModule, type RunOverrides } from './context.js';
import { addExitCodes, commandPath, configureHelp, describeWhenShown } from './help.js';
import { ExitCode } from './output.js';
import { ArgumentProblems, usageError } from './parser-errors.js';
import { parsePresence, parseSamples } from './practice-options.js';
import { VERSION } from './version.js';

/** Every command of `skm`, in help order. */
export const commands: CommandModule[] = [
  listCommand,
  infoCommand,
  pinCommand,
  credsCommand,
  blobsCommand,
  bioCommand,
  configCommand,
  resetCommand,
  selectCommand,
  winkCommand,
  testCommand,
  provisionCommand,
  virtualKeyCommand,
  doctorCommand,
  shellCommand,
];

/** Repeatable option: every occurrence is kept, in order (no default, so help shows none). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function buildProgram(io: CliIo, copy: Copy, problems: ArgumentProblems): Command {
  const program = new Command('skm');
  /**
   * --device: an empty id is a start of every id, so it would pick "the only key" — for a script
   * whose variable is unset (`--device "$KEY"`), whatever key happens to be connected.
   */
  const deviceId = (value: string): string => (value.trim() === '' ? problems.refuse('emptyDeviceId') : value);
  // Set before any subcommand exists: commander copies these settings into each subcommand.
  configureHelp(program, copy, io.columns ?? {});
  program
    // Its words are set with the others', when help is shown (describeFromCatalogue).
    .version(VERSION, '--version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are worded and printed by run() (as JSON with --json), not by commander.
      outputError: () => undefined,
    })
    .addOption(new Option('--device <id>').argParser(deviceId))
    .addOption(new Option('--json'))
    .addOption(new Option('--csv'))
    .addOption(new Option('--virtual <state-file>').argParser(collect))
    .addOption(new Option('--virtual-preset <name>'))
    .addOption(
      new Option('--virtual-touch <answer>').argParser((value) =>
        parsePresence(value, problems, '--virtual-touch'),
      ),
    )
    .addOption(
      new Option('--virtual-samples <list>').argParser(
        (value) => parseSamples(value, problems),
      ),
    )
    .addOption(new Option('--verbose'))
    .addOption(new Option('--trace'))
    .addOption(new Option('-y, --yes'));
  addExitCodes(program, copy);
  return program;
}

/**
 * Run `skm` with `argv` (without "node skm") on the given terminal; resolves to the exit code.
 * Never calls process.exit, so tests run it in-process.
 */
export async function run(argv: string[], io: CliIo, overrides: RunOverrides = {}): Promise<number> {
  ignoreClosedReader(io.stdout);
  ignoreClosedReader(io.stderr);
  const { program, services, copy, problems } = createProgram(io, overrides);
  services.commandPath = commandPath(program, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return services.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end "successfully"; a bare `skm` shows help as a usage error.
    if (error.exitCode === 0) return ExitCode.ok;
    const json = argv.includes('--json');
    const missingCommand = error.code === 'commander.help' || error.code === 'commander.helpDisplayed';
    // The help for people is on stderr already; with --json stdout still gets its one document.
    if (missingCommand && !json) return ExitCode.usage;
    const output = services.output({ json, verbose: argv.includes('--verbose') });
    output.error((missingCommand ? new AppError('USAGE', { reason: 'missing-command', details: error.code }) : usageError(error, argv, copy, problems)).toServiceError());
    return ExitCode.usage;
  }
}

/** The whole `skm` program with every command registered, worded from the catalogue. */
export function createProgram(io: CliIo, overrides: RunOverrides = {}): { program: Command; services: CliServices; copy: Copy; problems: ArgumentProblems } {
  const copy = new Copy('cli');
  const problems = new ArgumentProblems(copy);
  const program = buildProgram(io, copy, problems);
  const signal = overrides.signal ?? new AbortController().signal;
  const services = new CliServices({ io, program, copy, problems, hardwareSources: overrides.hardwareSources, signal });
  for (const command of commands) command.register(program, services);
  // Every action may reach the service; help, --version and usage errors never load it.
  program.hook('preAction', () => services.loadService());
  describeWhenShown(program, copy, { vpcdPort: DEFAULT_VPCD_PORT, maxMinPinLength: MAX_MIN_PIN_LENGTH });
  return { program, services, copy, problems };
}

const guarded = new WeakSet<Writable>();

/**
 * A reader that went away (`skm list | head -1`, a closed log pipe) makes writes fail with
 * EPIPE, emitted as an 'error' event that would crash skm in the middle of an operation (a PIN
 * half changed, a simulated key unsaved, its file left locked). What is printed is lost either
 * way; the operation finishes and the exit code still tells the caller how it went.
 */
function ignoreClosedReader(stream: Writable): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', () => undefined);
}

/**
 * Exit once everything written has left: process.exit() drops what a slow pipe has not taken
 * yet (a long --trace on stderr, the JSON document on stdout). A write's callback runs after
 * every earlier write on that stream is done; a stream that failed (EPIPE) has nobody to wait for.
 */
export async function exitWhenFlushed(code: number, streams: Writable[], exit: (code: number) => void): Promise<void> {
  await Promise.all(
    streams.map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream.destroyed || stream.writableEnded) return resolve();
          stream.once('error', () => resolve());
          stream.write('', () => resolve());
        }),
    ),
  );
  exit(code);
}

/** The process entry point (the bundle's last line calls it). */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await run(
    process.argv.slice(2),
    {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      isTTY: process.stdin.isTTY === true && process.stderr.isTTY === true,
      // Text for people is wrapped on a terminal only; a pipe gets lines as they are.
      columns: {
        ...(process.stdout.isTTY ? { stdout: process.stdout.columns } : {}),
        ...(process.stderr.isTTY ? { stderr: process.stderr.columns } : {}),
      },
    },
    { signal: controller.signal },
  );
  // Native discovery (node-hid polling, PC/SC) may hold handles open; the work is done.
  await exitWhenFlushed(code, [process.stdout, process.stderr], (exitCode) => process.exit(exitCode));
}
