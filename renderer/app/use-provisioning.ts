/**
 * One Prepare keys run as the renderer follows it: the queue of keys (each with its current step,
 * the prompt the key waits for, its outcome), the report's records (never with a PIN: main sends
 * none), "waiting for keys", and the run's end. The run is started and stopped in main; its
 * progress arrives as `provision` events matched by run id. A shared PIN is asked for through the
 * run's `prompt` events and answered with answerPrompt, like any PIN: never kept in state.
 * @module
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { ProvisionRunSummary, ProvisionUpdate, PromptEvent, PublicRecord, ServiceError, StepName } from '../../main/ipc/contract.js';
import type { PinQuestion, ReinsertNotice, TouchNotice } from './operations.js';
import { newRunId, skm } from './skm.js';

type Finished = Extract<ProvisionUpdate, { type: 'finished' }>;

export interface QueuedKey {
  deviceId: string;
  label: string | null;
  model: string | null;
  state: 'identifying' | 'working' | 'finished' | 'skipped' | 'unidentified';
  step?: StepName;
  record?: PublicRecord;
  rejection?: Finished['rejection'];
  /** Why an unreadable key could not be read. */
  code?: string;
  /** What the key waits for from the person now. */
  touch?: TouchNotice;
  reinsert?: ReinsertNotice;
  secondsLeft?: number;
  /** Seconds the reset window had when its countdown started. */
  windowSeconds?: number;
}

export interface RunState {
  runId: string | null;
  keys: QueuedKey[];
  records: PublicRecord[];
  /** Rejection facts by key identity, for the report table's words. */
  rejections: Record<string, NonNullable<Finished['rejection']>>;
  waiting: { finished: number; count: number | null } | null;
  stopping: boolean;
  summary: ProvisionRunSummary | null;
  error: ServiceError | null;
  /** The shared-PIN question of this run, while it waits for an answer. */
  question: PinQuestion | null;
}

type Action =
  | { type: 'start'; runId: string }
  | { type: 'update'; update: ProvisionUpdate; records: PublicRecord[] }
  | { type: 'prompt'; event: PromptEvent }
  | { type: 'stopping' }
  | { type: 'answered' }
  | { type: 'end'; summary: ProvisionRunSummary | null; error: ServiceError | null };

const initial: RunState = { runId: null, keys: [], records: [], rejections: {}, waiting: null, stopping: false, summary: null, error: null, question: null };

function withKey(keys: QueuedKey[], deviceId: string, change: (key: QueuedKey) => QueuedKey): QueuedKey[] {
  const index = keys.findIndex((k) => k.deviceId === deviceId);
  const current: QueuedKey = index >= 0 ? keys[index]! : { deviceId, label: null, model: null, state: 'identifying' };
  const next = change(current);
  return index >= 0 ? keys.map((k, i) => (i === index ? next : k)) : [...keys, next];
}

function onUpdate(state: RunState, update: ProvisionUpdate): RunState {
  switch (update.type) {
    case 'waiting':
      return { ...state, waiting: { finished: update.finished, count: update.count } };
    case 'identified':
      return { ...state, keys: withKey(state.keys, update.deviceId, (k) => ({ ...k, label: update.label, model: update.model })) };
    case 'step':
      return { ...state, waiting: null, keys: withKey(state.keys, update.deviceId, (k) => ({ ...k, label: update.label, state: 'working', step: update.step })) };
    case 'prompt': {
      const prompt = update.prompt;
      return {
        ...state,
        keys: withKey(state.keys, update.deviceId, (k) => {
          const key = update.label ? { ...k, label: update.label } : k;
          switch (prompt.kind) {
            case 'touch':
              return { ...key, touch: prompt, secondsLeft: undefined, windowSeconds: undefined };
            case 'reinsert':
              return { ...key, reinsert: prompt };
            case 'countdown':
              return key.touch?.id === prompt.id ? { ...key, secondsLeft: prompt.secondsLeft, windowSeconds: key.windowSeconds ?? prompt.secondsLeft } : key;
            case 'dismiss':
              if (key.touch?.id === prompt.id) return { ...key, touch: undefined, secondsLeft: undefined, windowSeconds: undefined };
              return key.reinsert?.id === prompt.id ? { ...key, reinsert: undefined } : key;
            default:
              return key;
          }
        }),
      };
    }
    case 'skipped':
      return { ...state, keys: withKey(state.keys, update.deviceId, (k) => ({ ...k, label: update.record.label, state: 'skipped', record: update.record })) };
    case 'finished': {
      const { record, rejection } = update;
      const rejections = rejection ? { ...state.rejections, [record.identity]: rejection } : state.rejections;
      const keys = withKey(state.keys, update.deviceId, (k) => ({ ...k, label: record.label, state: 'finished', record, rejection, touch: undefined, reinsert: undefined, secondsLeft: undefined, windowSeconds: undefined }));
      return { ...state, keys, rejections };
    }
    case 'unidentified':
      return { ...state, keys: withKey(state.keys, update.deviceId, (k) => ({ ...k, state: 'unidentified', code: update.code })) };
    case 'moved':
      // Events keep naming the key by the id it arrived with.
      return state;
  }
}

function reduce(state: RunState, action: Action): RunState {
  switch (action.type) {
    case 'start':
      return { ...initial, runId: action.runId };
    case 'update':
      return { ...onUpdate(state, action.update), records: action.records };
    case 'prompt':
      if (action.event.kind === 'pin') return { ...state, question: action.event };
      return state;
    case 'stopping':
      return { ...state, stopping: true };
    case 'answered':
      return { ...state, question: null };
    case 'end':
      return { ...state, runId: null, waiting: null, stopping: false, question: null, summary: action.summary, error: action.error };
  }
}

export interface StartInput {
  profile: string;
  profileName: string | undefined;
  reportPath: string;
  count: number | null;
}

export interface Provisioning {
  state: RunState;
  running: boolean;
  start(input: StartInput): Promise<void>;
  stop(): void;
  answerPin(pin: string): void;
  cancelPin(): void;
}

export function useProvisioning(): Provisioning {
  const [state, dispatch] = useReducer(reduce, initial);
  const runId = useRef<string | null>(null);

  useEffect(() => {
    const offProvision = skm().on('provision', (payload) => {
      if (payload.runId === runId.current) dispatch({ type: 'update', update: payload.update, records: payload.records });
    });
    const offPrompt = skm().on('prompt', (payload) => {
      if (payload.runId === runId.current) dispatch({ type: 'prompt', event: payload.event });
    });
    return () => {
      offProvision();
      offPrompt();
    };
  }, []);

  const start = useCallback(async (input: StartInput): Promise<void> => {
    const id = newRunId('provision');
    runId.current = id;
    dispatch({ type: 'start', runId: id });
    const result = await skm().startProvisioning({ runId: id, profile: input.profile, reportPath: input.reportPath, count: input.count, ...(input.profileName ? { profileName: input.profileName } : {}) });
    runId.current = null;
    dispatch({ type: 'end', summary: result.ok ? result.value : null, error: result.ok ? null : result.error });
  }, []);

  const stop = useCallback((): void => {
    if (!runId.current) return;
    dispatch({ type: 'stopping' });
    void skm().stopProvisioning({ runId: runId.current });
  }, []);

  const question = state.question;
  const answerPin = useCallback(
    (pin: string): void => {
      if (!question) return;
      dispatch({ type: 'answered' });
      void skm().answerPrompt({ kind: 'pin', id: question.id, pin });
    },
    [question],
  );
  const cancelPin = useCallback((): void => {
    if (!question) return;
    dispatch({ type: 'answered' });
    void skm().cancelPrompt({ id: question.id });
  }, [question]);

  return { state, running: state.runId !== null, start, stop, answerPin, cancelPin };
}
