/**
 * Reading secrets and answers from a terminal or a pipe, with every copy of a PIN's bytes zeroed
 * as soon as the string is made.
 *
 * - `readHidden`: one line from a TTY with echo off. Keys are parsed by node:readline's keypress
 *   decoder, so an escape sequence (an arrow key: ESC [ A) is one key and never becomes PIN
 *   characters; control keys are ignored; Ctrl-C (and Ctrl-D on an empty line) cancel.
 * - `LineReader`: lines from a pipe, read only while someone waits for one. Bytes that are not
 *   valid UTF-8 are refused (decoding them to U+FFFD would make different byte strings the
 *   same PIN).
 * @module
 */
import { emitKeypressEvents } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CancelledError } from '../../ctap/errors.js';

/** A readable that may be a TTY (process.stdin is a tty.ReadStream then). */
export type PromptInput = Readable & { setRawMode?: (mode: boolean) => unknown; isTTY?: boolean };

/** A line that is not valid UTF-8, or holds control characters: never a usable PIN. */
export class UnreadableLineError extends Error {
  constructor(readonly kind: 'invalid-utf8' | 'control-character') {
    super(kind === 'invalid-utf8' ? 'the line is not valid UTF-8 text' : 'the line holds a control character');
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const LF = 0x0a;

/** A terminal that can turn echo off (tty.ReadStream). */
export function isTerminal(stdin: PromptInput): boolean {
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

interface Keypress {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  sequence?: string;
}

/**
 * Read one line from a TTY without echo. Raw mode is always restored, even on Ctrl-C. Input
 * that was typed before the prompt appeared (while echo was still on, so it was visible) is
 * discarded rather than taken as the start of the PIN.
 */
export function readHidden(options: { stdin: PromptInput; stderr: Writable; prompt: string; signal?: AbortSignal }): Promise<string> {
  const { stdin, stderr, signal } = options;
  if (!stdin.setRawMode) return Promise.reject(new TypeError('stdin is not a TTY stream'));
  if (signal?.aborted) return Promise.reject(new CancelledError());
  discardPending(stdin);
  emitKeypressEvents(stdin);
  stderr.write(options.prompt);
  const characters: string[] = [];
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error): void => {
      stdin.off('keypress', onKey);
      stdin.off('end', onGone);
      stdin.off('close', onGone);
      stdin.off('error', onGone);
      signal?.removeEventListener('abort', onAbort);
      // A terminal that went away cannot leave raw mode any more; nothing is left to restore.
      if (!stdin.destroyed) stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      const text = characters.join('');
      characters.fill('');
      characters.length = 0;
      if (error) reject(error);
      else resolve(text);
    };
    const onAbort = (): void => finish(new CancelledError());
    // The terminal closed (window shut, SSH dropped): no answer can come, so the wait ends.
    const onGone = (): void => finish(new CancelledError('The terminal closed at the PIN prompt.'));
    const onKey = (text: string | undefined, key: Keypress | undefined): void => {
      const name = key?.name;
      if (key?.ctrl && name === 'c') return finish(new CancelledError('Cancelled at the PIN prompt.'));
      if (key?.ctrl && name === 'd' && characters.length === 0) return finish(new CancelledError('Cancelled at the PIN prompt.'));
      if (name === 'return' || name === 'enter') return finish();
      if (name === 'backspace') {
        characters.pop();
        return;
      }
      // Arrow keys, function keys, Alt/Ctrl combinations and other control keys are not PIN text.
      if (text === undefined || key?.ctrl || key?.meta || [...text].some(isControl)) return;
      characters.push(...text);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stdin.setRawMode?.(true);
    stdin.on('keypress', onKey);
    stdin.once('end', onGone);
    stdin.once('close', onGone);
    stdin.once('error', onGone);
    stdin.resume();
  });
}

function isControl(character: string): boolean {
  const code = character.codePointAt(0)!;
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/** Drop bytes that already sit in the stream's buffer (typed before the prompt was shown). */
function discardPending(stdin: PromptInput): void {
  for (let chunk = stdin.read() as Buffer | string | null; chunk !== null; chunk = stdin.read() as Buffer | string | null) {
    if (typeof chunk !== 'string') chunk.fill(0);
  }
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

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** The first `count` bytes as text (strict UTF-8), then drop `skip` bytes, zeroing them. */
  take(count: number, skip: number): string | UnreadableLineError {
    let text: string | UnreadableLineError;
    try {
      text = strictUtf8.decode(this.bytes.subarray(0, count));
    } catch {
      text = new UnreadableLineError('invalid-utf8');
    }
    this.bytes.copyWithin(0, skip, this.length);
    this.bytes.fill(0, this.length - skip, this.length);
    this.length -= skip;
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
export class LineReader {
  private buffer = new SecretBuffer();
  private ended = false;

  constructor(private readonly stream: Readable) {}

  /** The next line (without CR LF), null at the end of input. @throws UnreadableLineError */
  async next(signal?: AbortSignal): Promise<string | null> {
    for (;;) {
      const line = this.takeLine();
      if (line !== null) return checked(line);
      if (this.ended || this.stream.readableEnded || this.stream.destroyed) {
        if (this.buffer.length === 0) return null;
        return checked(this.buffer.take(this.buffer.length, this.buffer.length));
      }
      await this.more(signal);
    }
  }

  /** Zero the unread bytes; every later `next()` answers end of input. */
  dispose(): void {
    this.buffer.wipe();
    this.ended = true;
  }

  private takeLine(): string | UnreadableLineError | null {
    const newline = this.buffer.view().indexOf(LF);
    if (newline < 0) return null;
    return this.buffer.take(newline, newline + 1);
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

/** A line as text: CR of a CR LF dropped; invalid UTF-8 and control characters refused. */
function checked(line: string | UnreadableLineError): string {
  if (line instanceof UnreadableLineError) throw line;
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if ([...text].some(isControl)) throw new UnreadableLineError('control-character');
  return text;
}
