/**
 * Prompts as typed events with request ids (DESIGN.md "Service API"): what a flow asks of the
 * person, as data a front end can render anywhere — a terminal, or a renderer across IPC.
 *
 * - `pin` and `confirm` are questions: the front end answers them (or cancels, through the
 *   operation's AbortSignal, which aborts the flow cleanly and sends the key a cancel).
 * - `touch`, `reinsert`, `sample`, `progress` and `countdown` are notices; `dismiss` says that a
 *   touch or reinsert request with that id is no longer pending.
 * - `countdown` ticks once a second while a touch with a deadline is pending (the reset window),
 *   so every front end counts down from the same clock.
 * @module
 */
import type {
  ConfirmRequest,
  PinRequest,
  ProgressEvent,
  ReinsertRequest,
  TouchRequest,
  UserPrompts,
} from '../../ctap/flows/prompts.js';

export type PinPrompt = { kind: 'pin'; id: string } & PinRequest;
export type ConfirmPrompt = { kind: 'confirm'; id: string } & ConfirmRequest;
export type TouchPrompt = { kind: 'touch'; id: string } & TouchRequest;
export type ReinsertPrompt = { kind: 'reinsert'; id: string } & ReinsertRequest;
export type SamplePrompt = { kind: 'sample'; id: string } & Omit<Extract<ProgressEvent, { step: 'fingerprint-sample' }>, 'step'>;
export type ProgressPrompt = { kind: 'progress'; id: string; event: Exclude<ProgressEvent, { step: 'fingerprint-sample' }> };
export type CountdownPrompt = { kind: 'countdown'; id: string; deadline: number; secondsLeft: number };
export type DismissPrompt = { kind: 'dismiss'; id: string };

export type QuestionPrompt = PinPrompt | ConfirmPrompt;
export type NoticePrompt = TouchPrompt | ReinsertPrompt | SamplePrompt | ProgressPrompt | CountdownPrompt | DismissPrompt;
export type PromptEvent = QuestionPrompt | NoticePrompt;

/** What a front end implements to take part in an operation. */
export interface PromptHandler {
  /**
   * Whether this front end shows a PIN prompt's `retries` before the answer is typed (a dialog, a
   * terminal prompt) — false when it reads the PIN without showing anything (a pipe). The flows
   * then send no getPINRetries before asking. Absent means shown.
   */
  readonly showsRetries?: boolean;
  /** Answer with the PIN; reject (CancelledError) or let the signal fire to cancel. */
  pin(prompt: PinPrompt, signal: AbortSignal): Promise<string>;
  confirm(prompt: ConfirmPrompt, signal: AbortSignal): Promise<boolean>;
  notify(prompt: NoticePrompt): void;
}

export interface PromptBridgeOptions {
  signal: AbortSignal;
  /** Prefix of the request ids (the operation's id), so ids are unique across operations. */
  idPrefix: string;
  now?: () => number;
}

/**
 * The flows' UserPrompts over a PromptHandler. Every request gets an id; touches with a deadline
 * get countdown ticks until they are dismissed; everything still pending is dismissed when the
 * operation ends (`close`).
 */
export class PromptBridge implements UserPrompts {
  private next = 0;
  private readonly pending = new Map<string, () => void>();
  private readonly now: () => number;
  readonly showsRetries: boolean;

  constructor(
    private readonly handler: PromptHandler,
    private readonly options: PromptBridgeOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.showsRetries = handler.showsRetries ?? true;
  }

  pin(request: PinRequest): Promise<string> {
    return this.handler.pin({ kind: 'pin', id: this.id(), ...request }, this.options.signal);
  }

  confirm(request: ConfirmRequest): Promise<boolean> {
    return this.handler.confirm({ kind: 'confirm', id: this.id(), ...request }, this.options.signal);
  }

  touch(request: TouchRequest): () => void {
    const id = this.id();
    this.handler.notify({ kind: 'touch', id, ...request });
    let timer: ReturnType<typeof setInterval> | undefined;
    if (request.deadline !== undefined) {
      const deadline = request.deadline;
      const tick = (): void => {
        const secondsLeft = Math.max(0, Math.ceil((deadline - this.now()) / 1000));
        this.handler.notify({ kind: 'countdown', id, deadline, secondsLeft });
        if (secondsLeft === 0 && timer) clearInterval(timer);
      };
      tick();
      timer = setInterval(tick, 1000);
      timer.unref?.();
    }
    return this.track(id, () => {
      if (timer) clearInterval(timer);
    });
  }

  reinsert(request: ReinsertRequest): () => void {
    const id = this.id();
    this.handler.notify({ kind: 'reinsert', id, ...request });
    return this.track(id, () => undefined);
  }

  progress(event: ProgressEvent): void {
    if (event.step === 'fingerprint-sample') {
      const { step: _step, ...sample } = event;
      this.handler.notify({ kind: 'sample', id: this.id(), ...sample });
      return;
    }
    this.handler.notify({ kind: 'progress', id: this.id(), event });
  }

  /** Dismiss whatever is still pending (the operation ended, however it ended). */
  close(): void {
    for (const dismiss of [...this.pending.values()]) dismiss();
  }

  private id(): string {
    this.next += 1;
    return `${this.options.idPrefix}.${this.next}`;
  }

  private track(id: string, stop: () => void): () => void {
    const dismiss = (): void => {
      if (!this.pending.delete(id)) return;
      stop();
      this.handler.notify({ kind: 'dismiss', id });
    };
    this.pending.set(id, dismiss);
    return dismiss;
  }
}
