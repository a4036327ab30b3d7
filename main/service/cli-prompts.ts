/**
 * UserPrompts (ctap/flows/prompts.ts) for a terminal.
 *
 * PINs (DESIGN.md "The rules that keep it simple"): never from argv or the environment.
 * - On a TTY: a hidden prompt (raw mode, no echo; backspace edits, Ctrl-C cancels); a new PIN is
 *   asked twice and must match. Also when only stdin is a terminal (stderr redirected).
 * - Otherwise: one PIN per line on standard input, in the order the flow asks (`pin change`: the
 *   current PIN, then the new one). A second request for the same PIN after a wrong one is not
 *   answered from the next line (that line belongs to the next question): it fails with the
 *   retries left instead.
 * PIN bytes are read into buffers that are zeroed as soon as the string is made; the string is
 * handed to the flow and not kept here. Instructions go to stderr, so stdout stays clean for --json.
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { CancelledError } from '../../ctap/errors.js';
import type {
  ConfirmRequest,
  PinRequest,
  ProgressEvent,
  ReinsertRequest,
  TouchRequest,
  UserPrompts,
} from '../../ctap/flows/prompts.js';
import { AppError } from './errors.js';

/** A readable that may be a TTY (process.stdin is a tty.ReadStream then). */
export type PromptInput = Readable & { setRawMode?: (mode: boolean) => unknown };

export interface CliPromptOptions {
  stdin: PromptInput;
  stderr: Writable;
  /** Whether stdin and stderr are an interactive terminal. */
  isTTY: boolean;
  /** --yes: confirmations are answered "yes" without asking. */
  assumeYes: boolean;
  /** Clock for countdowns (tests pass a fake one). */
  now?: () => number;
}

const NO_PIN_HINT =
  'Pipe the PIN on standard input, one per line (for `pin change`: the current PIN, then the new one), or run the command in a terminal.';

const Key = { ctrlC: 0x03, ctrlD: 0x04, backspace: 0x08, lf: 0x0a, cr: 0x0d, escape: 0x1b, delete: 0x7f } as const;

export class CliPrompts implements UserPrompts {
  private readonly lines: LineReader;
  private readonly now: () => number;

  constructor(private readonly options: CliPromptOptions) {
    this.lines = new LineReader(options.stdin);
    this.now = options.now ?? Date.now;
  }

  async pin(request: PinRequest, signal?: AbortSignal): Promise<string> {
    // A PIN typed on a terminal is never echoed, even when stderr is redirected (then the
    // session is not interactive, but the person still types on the terminal).
    if (!this.options.isTTY && !isTerminal(this.options.stdin)) return this.pinFromLines(request, signal);
    if (request.retryReason) this.say(request.retryReason);
    if (request.purpose === 'current') {
      return this.readHidden(`Enter the PIN of your security key${triesNote(request.retries)}: `, signal);
    }
    const first = await this.readHidden(`Choose a new PIN (at least ${request.minLength} characters): `, signal);
    const again = await this.readHidden('Type the new PIN again: ', signal);
    // Comparing the two strings is the only use of the second copy; it is dropped right after.
    if (first !== again) throw new AppError('PIN_MISMATCH');
    return first;
  }

  async confirm(request: ConfirmRequest, signal?: AbortSignal): Promise<boolean> {
    if (this.options.assumeYes) return true;
    if (!this.options.isTTY) {
      throw new AppError('USAGE', {
        // The action may quote a name itself (Remove the fingerprint "Left thumb"): no quotes around it.
        message: `${request.action}: this needs your confirmation. ${request.consequences.join(' ')}`,
        nextStep: 'Nothing was changed. To confirm without a terminal, run the command again with --yes.',
      });
    }
    this.say(`${request.action}:`);
    for (const consequence of request.consequences) this.say(`  • ${consequence}`);
    this.options.stderr.write('Continue? [y/N] ');
    const answer = await this.lines.next(signal);
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  }

  touch(request: TouchRequest): () => void {
    const { stderr, isTTY } = this.options;
    if (!isTTY || request.deadline === undefined) {
      this.say(request.instruction);
      return () => undefined;
    }
    // A live countdown on one line, redrawn in place ("\r" + erase to end of line).
    const deadline = request.deadline;
    const draw = (): void => {
      const left = Math.max(0, Math.ceil((deadline - this.now()) / 1000));
      stderr.write(`\r${request.instruction} (${left} s left)\x1b[K`);
    };
    draw();
    const timer = setInterval(draw, 1000);
    timer.unref();
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stderr.write('\n');
    };
  }

  reinsert(request: ReinsertRequest): () => void {
    this.say(request.instruction);
    return () => undefined;
  }

  progress(event: ProgressEvent): void {
    const count = event.current !== undefined && event.total !== undefined ? ` (${event.current}/${event.total})` : '';
    this.say(`${event.message}${count}`);
  }

  /**
   * Zero whatever was read from stdin but not asked for (a PIN line meant for a question the
   * command never asked); the prompts answer no PIN afterwards.
   */
  dispose(): void {
    this.lines.dispose();
  }

  private say(line: string): void {
    this.options.stderr.write(`${line}\n`);
  }

  private async pinFromLines(request: PinRequest, signal: AbortSignal | undefined): Promise<string> {
    // The next line answers the next question, never a second guess at this one (see module
    // comment): a question asked again ends the run with the reason it was asked again.
    if (request.retryCause === 'key') {
      throw new AppError('PIN_INVALID', { retries: request.retries, details: 'CTAP2_ERR_PIN_INVALID (0x31)' });
    }
    if (request.retryReason) {
      throw new AppError('PIN_POLICY', { message: request.retryReason, minLength: request.minLength, details: 'refused on this computer; nothing was sent to the key' });
    }
    const line = await this.lines.next(signal);
    if (line === null) throw new AppError('USAGE', { message: 'No PIN on standard input.', nextStep: NO_PIN_HINT });
    return line;
  }

  /** Read one line from a TTY without echo. Raw mode is always restored, even on Ctrl-C. */
  private readHidden(prompt: string, signal: AbortSignal | undefined): Promise<string> {
    const { stdin, stderr } = this.options;
    if (!stdin.setRawMode) throw new AppError('INTERNAL', { details: 'stdin is not a TTY stream' });
    if (signal?.aborted) return Promise.reject(new CancelledError());
    stderr.write(prompt);
    const bytes = new SecretBuffer();
    return new Promise<string>((resolve, reject) => {
      const finish = (error?: Error): void => {
        stdin.off('data', onData);
        signal?.removeEventListener('abort', onAbort);
        stdin.setRawMode?.(false);
        stdin.pause();
        stderr.write('\n');
        if (error) {
          bytes.wipe();
          reject(error);
        } else {
          resolve(bytes.takeString());
        }
      };
      const onAbort = (): void => finish(new CancelledError());
      const onData = (chunk: Buffer | string): void => {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        // Escape sequences (arrow keys, function keys) are not part of a PIN.
        if (data[0] === Key.escape) {
          data.fill(0);
          return;
        }
        for (const byte of data) {
          if (byte === Key.ctrlC || (byte === Key.ctrlD && bytes.length === 0)) {
            data.fill(0);
            return finish(new CancelledError('Cancelled at the PIN prompt.'));
          }
          if (byte === Key.cr || byte === Key.lf) {
            data.fill(0);
            return finish();
          }
          if (byte === Key.delete || byte === Key.backspace) bytes.dropLastCharacter();
          else if (byte >= 0x20) bytes.push(byte);
        }
        data.fill(0);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      stdin.setRawMode?.(true);
      stdin.on('data', onData);
      stdin.resume();
    });
  }
}

/** A terminal that can turn echo off (tty.ReadStream). */
function isTerminal(stdin: PromptInput): boolean {
  return (stdin as { isTTY?: boolean }).isTTY === true && typeof stdin.setRawMode === 'function';
}

function triesNote(retries: number | null): string {
  return retries === null ? '' : ` (${retries} ${retries === 1 ? 'try' : 'tries'} left)`;
}

/** Growable byte buffer that zeroes every copy it leaves behind. */
class SecretBuffer {
  private bytes = new Uint8Array(64);
  length = 0;

  push(byte: number): void {
    if (this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes.fill(0);
      this.bytes = bigger;
    }
    this.bytes[this.length++] = byte;
  }

  /** Remove one UTF-8 character (its continuation bytes are 10xxxxxx). */
  dropLastCharacter(): void {
    while (this.length > 0) {
      const byte = this.bytes[--this.length]!;
      this.bytes[this.length] = 0;
      if ((byte & 0xc0) !== 0x80) break;
    }
  }

  /** The bytes held now (a view, not a copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Drop the first `count` bytes, zeroing what is left behind. */
  consume(count: number): void {
    this.bytes.copyWithin(0, count, this.length);
    this.bytes.fill(0, this.length - count, this.length);
    this.length -= count;
  }

  takeString(): string {
    const text = Buffer.from(this.bytes.buffer, 0, this.length).toString('utf8');
    this.wipe();
    return text;
  }

  wipe(): void {
    this.bytes.fill(0);
    this.length = 0;
  }
}

/**
 * Lines from a stream, read only while someone waits for one (the stream is paused otherwise,
 * so a command that asks nothing never holds stdin open). Consumed bytes are zeroed.
 */
class LineReader {
  private buffer = new SecretBuffer();
  private ended = false;

  constructor(private readonly stream: Readable) {}

  async next(signal?: AbortSignal): Promise<string | null> {
    for (;;) {
      const line = this.takeLine();
      if (line !== null) return line;
      if (this.ended || this.stream.readableEnded || this.stream.destroyed) {
        if (this.buffer.length === 0) return null;
        return this.buffer.takeString().replace(/\r$/, '');
      }
      await this.more(signal);
    }
  }

  /** Zero the unread bytes; every later `next()` answers end of input. */
  dispose(): void {
    this.buffer.wipe();
    this.ended = true;
  }

  private takeLine(): string | null {
    const bytes = this.buffer.view();
    const newline = bytes.indexOf(Key.lf);
    if (newline < 0) return null;
    const line = Buffer.from(bytes.buffer, bytes.byteOffset, newline).toString('utf8').replace(/\r$/, '');
    this.buffer.consume(newline + 1);
    return line;
  }

  private more(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const stream = this.stream;
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.off('error', onError);
        signal?.removeEventListener('abort', onAbort);
        stream.pause();
      };
      const onData = (chunk: Buffer | string): void => {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (const byte of data) this.buffer.push(byte);
        data.fill(0);
        cleanup();
        resolve();
      };
      const onEnd = (): void => {
        this.ended = true;
        cleanup();
        resolve();
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onAbort = (): void => {
        cleanup();
        reject(new CancelledError());
      };
      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.resume();
    });
  }
}
