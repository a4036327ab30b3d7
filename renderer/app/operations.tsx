/**
 * Running operations on a key and following their prompts. A view calls `run(operation, input)`;
 * the run's prompt events (`window.skm.on('prompt')`, matched by run id) become a RunView that
 * the OperationDialog renders: a PIN question, a confirmation, a touch with its countdown, the
 * reinsert steps of a reset, fingerprint samples. Answers go back with answerPrompt; closing a
 * dialog cancels the prompt (and so the run, which aborts the key operation).
 *
 * A PIN passes through `answerPin` only as an argument: it is never put in state.
 * @module
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import type { OperationInputs, OperationName, OperationOutputs, PromptEvent, Result } from '../../main/ipc/contract.js';
import { newRunId, skm } from './skm.js';

type Extract2<K extends PromptEvent['kind']> = Extract<PromptEvent, { kind: K }>;
export type PinQuestion = Extract2<'pin'>;
export type ConfirmQuestion = Extract2<'confirm'>;
export type TouchNotice = Extract2<'touch'>;
export type ReinsertNotice = Extract2<'reinsert'>;
export type SampleNotice = Extract2<'sample'>;
export type ProgressNotice = Extract2<'progress'>;

/** What a running operation currently asks of the person, as its events said. */
export interface RunView {
  runId: string;
  operation: OperationName;
  /** A question waiting for an answer. */
  question?: PinQuestion | ConfirmQuestion;
  /** The key waits for a touch. */
  touch?: TouchNotice;
  /** Seconds left of the pending touch's window (reset), from countdown events. */
  secondsLeft?: number;
  /** Seconds the window had when the countdown started, for the progress bar. */
  windowSeconds?: number;
  /** The reinsert step the person is on (remove / insert). */
  reinsert?: ReinsertNotice;
  /** Reinsert phases already asked for in this run, in order. */
  phasesSeen: ReinsertNotice['phase'][];
  /** Fingerprint samples so far. */
  samples: SampleNotice[];
  progress?: ProgressNotice;
  /** Something was shown: the dialog stays open until the run ends, so focus is not lost between steps. */
  shown: boolean;
}

type Action =
  | { type: 'start'; runId: string; operation: OperationName }
  | { type: 'end'; runId: string }
  | { type: 'event'; runId: string; event: PromptEvent }
  | { type: 'answered'; runId: string; id: string };

type Runs = Record<string, RunView>;

function onEvent(view: RunView, event: PromptEvent): RunView {
  switch (event.kind) {
    case 'pin':
    case 'confirm':
      return { ...view, question: event };
    case 'touch':
      return { ...view, touch: event, secondsLeft: undefined, windowSeconds: undefined };
    case 'countdown':
      if (view.touch?.id !== event.id) return view;
      return { ...view, secondsLeft: event.secondsLeft, windowSeconds: view.windowSeconds ?? event.secondsLeft };
    case 'reinsert':
      return { ...view, reinsert: event, phasesSeen: [...view.phasesSeen, event.phase] };
    case 'dismiss':
      if (view.touch?.id === event.id) return { ...view, touch: undefined, secondsLeft: undefined };
      if (view.reinsert?.id === event.id) return { ...view, reinsert: undefined };
      return view;
    case 'sample':
      return { ...view, samples: [...view.samples, event] };
    case 'progress':
      return { ...view, progress: event };
  }
}

function reduce(runs: Runs, action: Action): Runs {
  switch (action.type) {
    case 'start':
      return { ...runs, [action.runId]: { runId: action.runId, operation: action.operation, phasesSeen: [], samples: [], shown: false } };
    case 'end': {
      const { [action.runId]: _ended, ...rest } = runs;
      return rest;
    }
    case 'event': {
      const view = runs[action.runId];
      // Events of runs this page did not start, or that already ended, are not ours to show.
      if (!view) return runs;
      const next = onEvent(view, action.event);
      return { ...runs, [action.runId]: SHOWS_DIALOG.has(action.event.kind) ? { ...next, shown: true } : next };
    }
    case 'answered': {
      const view = runs[action.runId];
      if (!view || view.question?.id !== action.id) return runs;
      return { ...runs, [action.runId]: { ...view, question: undefined } };
    }
  }
}

export interface Operations {
  run<K extends OperationName>(operation: K, input: OperationInputs[K], deviceId?: string): Promise<Result<OperationOutputs[K]>>;
  /** The run a dialog should show now (the newest that showed something), if any. */
  visible: RunView | undefined;
  /** Whether any run is going on (views disable their actions meanwhile). */
  busy: boolean;
  answerPin(runId: string, id: string, pin: string): void;
  answerConfirm(runId: string, id: string, yes: boolean): void;
  /** Cancel whatever the run waits for; the run ends with CANCELLED. */
  cancel(run: RunView): void;
}

/** Events that open the run's dialog; it stays open until the run ends, so focus is not lost between steps. */
const SHOWS_DIALOG: ReadonlySet<PromptEvent['kind']> = new Set(['pin', 'confirm', 'touch', 'reinsert', 'sample']);
const DIALOG = '[role="dialog"], [role="alertdialog"]';
/** Polls (50 ms apart) that must find no dialog before focus is judged: Fluent's restorer has acted by then. */
const SETTLED_POLLS = 2;

/** A field the person types in: Fluent's restorer only ever lands on buttons, so focus here is the person's. */
function isTextField(element: Element): boolean {
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement || (element instanceof HTMLElement && element.isContentEditable);
}

function takesFocusBack(active: Element | null, opener: HTMLElement, showedDialog: boolean): boolean {
  if (active === opener) return false;
  if (active === null || active === document.body) return true;
  if (active.closest(DIALOG) !== null) return false;
  return showedDialog && !isTextField(active);
}

/**
 * Put focus back on `opener` once dialogs are gone. The run's dialog unmounts a few frames after
 * the run ends, and on its way out Fluent's focus restorer may put focus on whatever opened the
 * dialog first (another button of the page) or leave it on the page body; so this waits until no
 * dialog has been seen for two polls, then judges once (within half a second in all). It never
 * takes focus from where the person moved it (a key press or a click after the run ended, or any
 * text field), nor from another dialog; after a run that showed no dialog it only picks focus up
 * from the page body.
 */
function restoreFocus(opener: HTMLElement, showedDialog: boolean, attempts = 10): void {
  let personMoved = false;
  const moved = (): void => {
    personMoved = true;
  };
  window.addEventListener('keydown', moved, true);
  window.addEventListener('pointerdown', moved, true);
  const stop = (): void => {
    window.removeEventListener('keydown', moved, true);
    window.removeEventListener('pointerdown', moved, true);
  };
  let pollsWithoutDialog = 0;
  const look = (left: number): void => {
    setTimeout(() => {
      pollsWithoutDialog = document.querySelector(DIALOG) === null ? pollsWithoutDialog + 1 : 0;
      const judge = pollsWithoutDialog >= SETTLED_POLLS || left <= 1;
      if (judge && !personMoved && opener.isConnected && takesFocusBack(document.activeElement, opener, showedDialog)) opener.focus();
      if (judge || personMoved) stop();
      else look(left - 1);
    }, 50);
  };
  look(attempts);
}

const OperationsContext = createContext<Operations | null>(null);

export function OperationsProvider({ children }: { children: ReactNode }): ReactNode {
  const [runs, dispatch] = useReducer(reduce, {});
  const order = useRef<string[]>([]);
  /** This page's runs that have shown their dialog. */
  const showedDialog = useRef(new Set<string>());

  useEffect(
    () =>
      skm().on('prompt', ({ runId, event }) => {
        if (SHOWS_DIALOG.has(event.kind) && order.current.includes(runId)) showedDialog.current.add(runId);
        dispatch({ type: 'event', runId, event });
      }),
    [],
  );

  const run = useCallback(async <K extends OperationName>(operation: K, input: OperationInputs[K], deviceId?: string): Promise<Result<OperationOutputs[K]>> => {
    const runId = newRunId(operation);
    // Focus goes back where the person started the operation once its dialog is gone.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    order.current.push(runId);
    dispatch({ type: 'start', runId, operation });
    try {
      const request = { operation, runId, input, ...(deviceId !== undefined ? { deviceId } : {}) };
      return (await skm().runOperation(request as never)) as Result<OperationOutputs[K]>;
    } finally {
      order.current = order.current.filter((id) => id !== runId);
      const showed = showedDialog.current.delete(runId);
      dispatch({ type: 'end', runId });
      // The run's dialog, if it showed one, is still mounted now and leaves in a few frames.
      if (opener) restoreFocus(opener, showed);
    }
  }, []);

  const answerPin = useCallback((runId: string, id: string, pin: string): void => {
    dispatch({ type: 'answered', runId, id });
    void skm().answerPrompt({ kind: 'pin', id, pin });
  }, []);

  const answerConfirm = useCallback((runId: string, id: string, yes: boolean): void => {
    dispatch({ type: 'answered', runId, id });
    void skm().answerPrompt({ kind: 'confirm', id, yes });
  }, []);

  const cancel = useCallback((view: RunView): void => {
    if (view.question) void skm().cancelPrompt({ id: view.question.id });
    else void skm().cancelOperation({ runId: view.runId });
  }, []);

  const visible = [...order.current].reverse().map((id) => runs[id]).find((view) => view?.shown);
  const busy = Object.keys(runs).length > 0;
  const value = useMemo(() => ({ run, visible, busy, answerPin, answerConfirm, cancel }), [run, visible, busy, answerPin, answerConfirm, cancel]);
  return <OperationsContext.Provider value={value}>{children}</OperationsContext.Provider>;
}

export function useOperations(): Operations {
  const operations = useContext(OperationsContext);
  if (!operations) throw new Error('useOperations outside OperationsProvider');
  return operations;
}
