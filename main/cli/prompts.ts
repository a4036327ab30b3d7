/**
 * The terminal's side of an operation's prompt events (main/service/prompt-events.ts), worded
 * from the catalogue (main/copy/).
 *
 * PINs (DESIGN.md "The rules that keep it simple"): never from argv or the environment.
 * - On a TTY: a hidden prompt (terminal-input.ts); a new PIN is asked twice and must match
 *   (compared after NFC normalisation, as the key compares them). Also when only stdin is a
 *   terminal (stderr redirected).
 * - Otherwise: one PIN per line on standard input, in the order the flow asks (`pin change`: the
 *   current PIN, then the new one). A second request for the same PIN after a refusal is not
 *   answered from the next line (that line belongs to the next question): it fails with why.
 * Instructions go to stderr, so stdout stays clean for --json.
 * @module
 */
import type { Writable } from 'node:stream';
import { CancelledError } from '../../ctap/errors.js';
import type { Copy } from '../copy/index.js';
import { AppError } from '../service/errors.js';
import type { ConfirmPrompt, NoticePrompt, PinPrompt, PromptHandler } from '../service/prompt-events.js';
import { isTerminal, LineReader, readHidden, UnreadableLineError, type PromptInput } from './terminal-input.js';

export interface TerminalPromptOptions {
  stdin: PromptInput;
  stderr: Writable;
  /** Whether stdin and stderr are an interactive terminal. */
  isTTY: boolean;
  /** --yes: confirmations are answered "yes" without asking. */
  assumeYes: boolean;
  copy: Copy;
}

export class TerminalPrompts implements PromptHandler {
  private readonly lines: LineReader;
  /** Touch instructions shown with a live countdown, by request id. */
  private readonly countdowns = new Map<string, { text: string; drawn: boolean }>();

  /** The tries left are part of the hidden prompt's question; a PIN line from a pipe shows nothing. */
  readonly showsRetries: boolean;

  constructor(private readonly options: TerminalPromptOptions) {
    this.lines = new LineReader(options.stdin);
    this.showsRetries = this.typedAtTerminal();
  }

  async pin(prompt: PinPrompt, signal: AbortSignal): Promise<string> {
    const { copy } = this.options;
    if (!this.typedAtTerminal()) return this.pinFromLines(prompt, signal);
    const retry = copy.pinRetry(prompt);
    if (retry) this.say(retry);
    const first = await this.hidden(`${copy.pinQuestion(prompt)}: `, signal);
    if (prompt.purpose === 'current') return first;
    const again = await this.hidden(`${copy.pinQuestion(prompt, 'again')}: `, signal);
    // The key compares PINs after NFC normalisation (ctap2/pin.ts), so the two entries are too.
    if (first.normalize('NFC') !== again.normalize('NFC')) throw new AppError('PIN_MISMATCH');
    return first;
  }

  async confirm(prompt: ConfirmPrompt, signal: AbortSignal): Promise<boolean> {
    const { copy } = this.options;
    if (this.options.assumeYes) return true;
    const title = copy.confirmTitle(prompt);
    const consequences = prompt.consequences.map((c) => copy.consequence(c));
    if (!this.options.isTTY) {
      throw new AppError('USAGE', { reason: 'confirmation-needed', action: title, consequences });
    }
    this.say(`${title}:`);
    for (const consequence of consequences) this.say(`  • ${consequence}`);
    this.options.stderr.write(`${copy.t('confirm.question')} [y/N] `);
    const answer = await this.line(signal);
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  }

  notify(prompt: NoticePrompt): void {
    const { copy, isTTY, stderr } = this.options;
    switch (prompt.kind) {
      case 'touch': {
        // Between fingerprint samples the sample's own guidance already says to touch again.
        if (prompt.instruction === 'enroll-next-touch') return;
        const text = copy.touch(prompt.instruction, prompt.noun);
        // With a deadline on a terminal the countdown events draw it; otherwise one line.
        if (isTTY && prompt.deadline !== undefined) this.countdowns.set(prompt.id, { text, drawn: false });
        else this.say(text);
        return;
      }
      case 'countdown': {
        const line = this.countdowns.get(prompt.id);
        if (!line) return;
        line.drawn = true;
        stderr.write(`\r${line.text} (${copy.countdown(prompt.secondsLeft)})\x1b[K`);
        return;
      }
      case 'dismiss': {
        const line = this.countdowns.get(prompt.id);
        this.countdowns.delete(prompt.id);
        if (line?.drawn) stderr.write('\n');
        return;
      }
      case 'reinsert':
        this.say(copy.reinsert(prompt));
        return;
      case 'sample': {
        const line = copy.progress({ step: 'fingerprint-sample', ...prompt });
        this.say(isTTY ? `${line} (${prompt.total - prompt.remaining}/${prompt.total})` : line);
        return;
      }
      case 'progress': {
        const { event } = prompt;
        // A simulated replug is something the person should know happened; counts are a live
        // display, dropped without a terminal (nobody watches; the result says the same).
        if (event.step === 'simulated-removed' || event.step === 'simulated-inserted') this.say(copy.progress(event));
        else if (isTTY) this.say(`${copy.progress(event)} (${event.current}/${event.total})`);
        return;
      }
    }
  }

  /**
   * Zero whatever was read from stdin but not asked for (a PIN line meant for a question the
   * command never asked); the prompts answer no PIN afterwards.
   */
  dispose(): void {
    this.lines.dispose();
  }

  /**
   * A PIN typed on a terminal is never echoed, even when stderr is redirected (then the session
   * is not interactive, but the person still types on the terminal).
   */
  private typedAtTerminal(): boolean {
    return this.options.isTTY || isTerminal(this.options.stdin);
  }

  private say(line: string): void {
    this.options.stderr.write(`${line}\n`);
  }

  private async hidden(prompt: string, signal: AbortSignal): Promise<string> {
    return readHidden({ stdin: this.options.stdin, stderr: this.options.stderr, prompt, signal });
  }

  private async pinFromLines(prompt: PinPrompt, signal: AbortSignal): Promise<string> {
    // The next line answers the next question, never a second guess at this one (see module
    // comment): a question asked again ends the run with the reason it was asked again.
    if (prompt.retry?.cause === 'key') {
      throw new AppError('PIN_INVALID', { retries: prompt.retries, details: 'CTAP2_ERR_PIN_INVALID (0x31)' });
    }
    if (prompt.retry) {
      throw new AppError('PIN_POLICY', {
        reason: prompt.retry.reason === 'wrong-pin' ? 'pin-rejected-by-key' : prompt.retry.reason,
        minLength: prompt.minLength,
        maxBytes: prompt.maxBytes,
        details: 'refused on this computer; nothing was sent to the key',
      });
    }
    const line = await this.line(signal);
    if (line === null) throw new AppError('USAGE', { reason: 'no-pin-on-stdin' });
    return line;
  }

  private async line(signal: AbortSignal): Promise<string | null> {
    try {
      return await this.lines.next(signal);
    } catch (error) {
      if (error instanceof UnreadableLineError) {
        // Nothing was sent: a PIN that cannot be read exactly is never guessed at.
        throw new AppError('PIN_POLICY', { reason: 'not-a-string', details: `standard input: ${error.message}` });
      }
      if (error instanceof CancelledError) throw error;
      throw error;
    }
  }
}
