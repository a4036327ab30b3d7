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
 * Instructions go to stderr, so stdout stays clean for --json. Everything shown passes through
 * neutralise() (a website's name cannot steer the terminal, even inside a confirmation) and is
 * wrapped to the terminal. On a terminal, progress (steps, samples, countdowns) is one live line
 * redrawn in place; without one, only what a reader needs is printed, once.
 * @module
 */
import type { Writable } from 'node:stream';
import { preparePin } from '../../ctap/ctap2/pin.js';
import { CancelledError, PinPolicyError } from '../../ctap/errors.js';
import type { Copy } from '../copy/index.js';
import { AppError } from '../service/errors.js';
import type { ConfirmPrompt, NoticePrompt, PinPrompt, PromptHandler } from '../service/prompt-events.js';
import { isTerminal, LineReader, readHidden, UnreadableLineError, type PromptInput } from './terminal-input.js';
import { neutralise, wrap, wrapAnsi } from './terminal-text.js';

/** How often a new PIN is asked again (too short, or the two entries differ) before giving up. */
const NEW_PIN_ATTEMPTS = 3;

export interface TerminalPromptOptions {
  stdin: PromptInput;
  stderr: Writable;
  /** Whether stdin and stderr are an interactive terminal. */
  isTTY: boolean;
  /** --yes: confirmations are answered "yes" without asking. */
  assumeYes: boolean;
  copy: Copy;
  /** Width of the terminal stderr is; absent for a pipe (no wrapping). */
  columns?: number;
}

export class TerminalPrompts implements PromptHandler {
  private readonly lines: LineReader;
  /** Touch instructions shown with a live countdown, by request id. */
  private readonly countdowns = new Map<string, string>();
  /** Whether the last thing on stderr is a live line (to be redrawn or erased, not followed). */
  private liveShown = false;

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
    return this.confirmNewPin(prompt, first, signal);
  }

  /**
   * A new PIN: checked against the key's rules as soon as it is typed (not after typing it
   * twice), then typed again. A PIN the rules refuse and two entries that differ are both asked
   * again, a few times, then the command ends with why.
   */
  private async confirmNewPin(prompt: PinPrompt, typed: string, signal: AbortSignal): Promise<string> {
    const { copy } = this.options;
    let first = typed;
    for (let attempt = 1; ; attempt++) {
      const refusal = policyRefusal(first, prompt);
      if (refusal) {
        if (attempt >= NEW_PIN_ATTEMPTS) throw new AppError('PIN_POLICY', { reason: refusal, minLength: prompt.minLength, maxBytes: prompt.maxBytes, details: 'refused on this computer; nothing was sent to the key' });
        this.say(copy.t(`pin.retry.${refusal}`, { minLength: prompt.minLength, maxBytes: prompt.maxBytes }));
      } else {
        const again = await this.hidden(`${copy.pinQuestion(prompt, 'again')}: `, signal);
        // The key compares PINs after NFC normalisation (ctap2/pin.ts), so the two entries are too.
        if (first.normalize('NFC') === again.normalize('NFC')) return first;
        if (attempt >= NEW_PIN_ATTEMPTS) throw new AppError('PIN_MISMATCH');
        this.say(copy.t('cli.pin.mismatchRetry'));
      }
      first = await this.hidden(`${copy.pinQuestion(prompt)}: `, signal);
    }
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
    this.options.stderr.write(`${neutralise(copy.t('confirm.question'))} [y/N] `);
    const answer = await this.line(signal);
    // Ctrl-D is leaving, as Ctrl-C is: not an answer.
    if (answer === null) {
      this.options.stderr.write('\n');
      throw new CancelledError('Cancelled at the confirmation.');
    }
    return /^\s*y(es)?\s*$/i.test(answer);
  }

  notify(prompt: NoticePrompt): void {
    const { copy, isTTY } = this.options;
    switch (prompt.kind) {
      case 'touch': {
        // Between fingerprint samples the sample's own guidance already says to touch again.
        if (prompt.instruction === 'enroll-next-touch') return;
        const text = copy.touch(prompt.instruction, prompt.noun);
        // With a deadline on a terminal the countdown events draw it; otherwise one line.
        if (isTTY && prompt.deadline !== undefined) this.countdowns.set(prompt.id, text);
        else this.say(text);
        return;
      }
      case 'countdown': {
        const text = this.countdowns.get(prompt.id);
        if (text !== undefined) this.live(`${text} (${copy.countdown(prompt.secondsLeft)})`);
        return;
      }
      case 'dismiss':
        if (this.countdowns.delete(prompt.id)) this.endLive();
        return;
      case 'reinsert':
        this.say(copy.reinsert(prompt));
        return;
      case 'sample': {
        const line = copy.progress({ step: 'fingerprint-sample', ...prompt });
        if (isTTY) this.live(copy.t('cli.progress.step', { text: line, current: prompt.total - prompt.remaining, total: prompt.total }));
        // Without a terminal every sample's guidance is printed once; the result says it is done.
        else if (!prompt.done) this.say(line);
        return;
      }
      case 'progress': {
        const { event } = prompt;
        // A simulated replug is something the person should know happened; counts are a live
        // display, dropped without a terminal (nobody watches; the result says the same).
        if (event.step === 'simulated-removed' || event.step === 'simulated-inserted') this.say(copy.progress(event));
        else if (isTTY) this.live(copy.t('cli.progress.step', { text: copy.progress(event), current: event.current, total: event.total }));
        return;
      }
    }
  }

  /**
   * Zero whatever was read from stdin but not asked for (a PIN line meant for a question the
   * command never asked); the prompts answer no PIN afterwards.
   */
  dispose(): void {
    this.endLive();
    this.lines.dispose();
  }

  /**
   * A PIN typed on a terminal is never echoed, even when stderr is redirected (then the session
   * is not interactive, but the person still types on the terminal).
   */
  private typedAtTerminal(): boolean {
    return this.options.isTTY || isTerminal(this.options.stdin);
  }

  /** A line that stays: neutralised, wrapped, after erasing a live line. */
  private say(line: string): void {
    this.endLive();
    this.options.stderr.write(`${wrap(neutralise(line), this.options.columns)}\n`);
  }

  /** The one line redrawn in place (terminal only), cut to the width so \r returns to its start. */
  private live(line: string): void {
    const text = neutralise(line);
    const fitted = this.options.columns !== undefined ? wrapAnsi(text, Math.max(1, this.options.columns - 1), { hard: true }).split('\n')[0]! : text;
    this.options.stderr.write(`\r${fitted}\x1b[K`);
    this.liveShown = true;
  }

  /** Erase the live line, so what follows starts on a clean line. */
  private endLive(): void {
    if (!this.liveShown) return;
    this.options.stderr.write('\r\x1b[K');
    this.liveShown = false;
  }

  private async hidden(prompt: string, signal: AbortSignal): Promise<string> {
    this.endLive();
    return readHidden({ stdin: this.options.stdin, stderr: this.options.stderr, prompt: neutralise(prompt), signal });
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

/** Why the key's rules refuse a new PIN (checked here, before anything is sent), or undefined. */
function policyRefusal(pin: string, prompt: PinPrompt): PinPolicyError['reason'] | undefined {
  try {
    preparePin(pin, { minLength: prompt.minLength, maxBytes: prompt.maxBytes }).fill(0);
    return undefined;
  } catch (error) {
    if (error instanceof PinPolicyError) return error.reason;
    throw error;
  }
}
