/**
 * The provisioning run: waits for keys, works on every key that arrives at the same time as
 * the others (a USB hub), and stops after `count` keys or when its signal fires. Each key runs
 * through key-worker.ts; this file only decides which key to start and when the run is over.
 *
 * - A key that is already being worked on is not started twice: the reset ceremony's own
 *   removal and reinsertion arrive here as events too, and a key without a USB serial number
 *   comes back under a new id. So no key is started while another key is in its reset (until
 *   its worker says where the key went), and that new id belongs to the same worker.
 * - A key finished in this run (done, rejected) is left alone when it comes back; one that was
 *   pulled before it was finished is picked up again and resumed.
 * - Keys skipped as "already done" do not count towards `count`.
 * - On stop (Ctrl-C) the keys in progress are cancelled through the signal; their records say
 *   what was done, and the run returns once every record is written.
 * - A report that cannot be written stops the run (the keys in progress are cancelled) and the
 *   run fails with that error: keys must not be changed while nobody can record how.
 * @module
 */
import type { KeyService } from '../key-service.js';
import { provisionKey, type KeyOutcome, type KeyWorkerContext, type ProvisionEvent } from './key-worker.js';
import type { Profile } from './profile.js';
import type { MdsIndex } from './mds.js';
import type { UniformInt } from './random-pin.js';
import type { ProvisionReport } from './report.js';

export interface ProvisionOptions {
  service: KeyService;
  profile: Profile;
  report: ProvisionReport;
  sharedPin?: string | null;
  /** How many keys to provision (skipped keys do not count); null: until the signal fires. */
  count: number | null;
  redo?: boolean;
  mds?: MdsIndex | null;
  signal: AbortSignal;
  onEvent?: (event: ProvisionEvent | { type: 'waiting'; finished: number; count: number | null }) => void;
  drawPin?: UniformInt;
  now?: () => Date;
}

export interface ProvisionSummary {
  outcomes: Record<KeyOutcome, number>;
  /** Whether the run ended because its signal fired. */
  stopped: boolean;
}

export async function provisionKeys(options: ProvisionOptions): Promise<ProvisionSummary> {
  const outcomes: Record<KeyOutcome, number> = { done: 0, incomplete: 0, rejected: 0, failed: 0, skipped: 0, unidentified: 0 };
  const active = new Map<string, Promise<void>>();
  /** Keys plugged in now; one not started for lack of a slot is started when a slot frees up. */
  const present = new Set<string>();
  /** Ids taken by a worker: the one a key arrived with and the ones it came back with. */
  const claimed = new Map<string, string>();
  const resetting = new Set<string>();
  const settled = new Set<string>();
  let finished = 0;
  let labelNumber = options.report.all().length;
  const notify = options.onEvent ?? (() => undefined);
  const emit = (event: ProvisionEvent | { type: 'waiting'; finished: number; count: number | null }): void => {
    if (event.type === 'step') {
      if (event.step === 'reset') resetting.add(event.deviceId);
      else resetting.delete(event.deviceId);
    }
    if (event.type === 'moved') claimed.set(event.to, event.deviceId);
    if (event.type === 'finished') resetting.delete(event.deviceId);
    notify(event);
    if (resetting.size === 0 && (event.type === 'step' || event.type === 'finished')) for (const id of present) consider(id);
  };
  // The attestation check judges each key by the run's BLOB.
  if (options.mds) options.service.useMds(options.mds);
  const failure = new AbortController();
  let fatal: unknown;
  const signal = AbortSignal.any([options.signal, failure.signal]);
  const context: KeyWorkerContext = {
    service: options.service,
    profile: options.profile,
    report: options.report,
    sharedPin: options.sharedPin ?? null,
    redo: options.redo ?? false,
    mds: options.mds ?? null,
    signal,
    onEvent: emit,
    nextNumber: () => (labelNumber += 1),
    severalAtOnce: () => active.size > 1,
    ...(options.drawPin ? { drawPin: options.drawPin } : {}),
    ...(options.now ? { now: options.now } : {}),
  };

  let resolveEnd!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnd = resolve));
  const full = (): boolean => options.count !== null && finished + active.size >= options.count;
  const checkEnd = (): void => {
    if (active.size > 0) return;
    if (signal.aborted || (options.count !== null && finished >= options.count)) resolveEnd();
    else emit({ type: 'waiting', finished, count: options.count });
  };

  const consider = (deviceId: string): void => {
    if (signal.aborted || claimed.has(deviceId) || settled.has(deviceId) || resetting.size > 0 || full()) return;
    claimed.set(deviceId, deviceId);
    const work = provisionKey(context, deviceId)
      .catch((error: unknown) => {
        fatal ??= error;
        failure.abort();
        return 'failed' as const;
      })
      .then((outcome) => {
        outcomes[outcome] += 1;
        active.delete(deviceId);
        resetting.delete(deviceId);
        const ids = [...claimed].filter(([, owner]) => owner === deviceId).map(([id]) => id);
        for (const id of ids) {
          claimed.delete(id);
          if (outcome === 'done' || outcome === 'rejected' || outcome === 'skipped') settled.add(id);
        }
        if (outcome !== 'skipped' && outcome !== 'unidentified') finished += 1;
        for (const id of present) consider(id);
        checkEnd();
      });
    active.set(deviceId, work);
  };

  // Keys that arrive while the first list is read wait for it: listing reads each key's
  // getInfo, and a key opened by both at once would be busy for one of them.
  let arrivedWhileListing: string[] | null = [];
  const stopWatching = options.service.watchDevices((event) => {
    if (event.type === 'removed' || event.device.status !== 'ready') {
      present.delete(event.device.id);
      return;
    }
    present.add(event.device.id);
    if (arrivedWhileListing) arrivedWhileListing.push(event.device.id);
    else consider(event.device.id);
  });
  const onAbort = (): void => checkEnd();
  signal.addEventListener('abort', onAbort);
  try {
    const listed = await options.service.listDevices({ signal });
    const listedIds = listed.ok ? listed.value.filter((d) => d.status === 'ready').map((d) => d.id) : [];
    for (const id of listedIds) present.add(id);
    const arrived = arrivedWhileListing;
    arrivedWhileListing = null;
    for (const id of [...listedIds, ...arrived]) consider(id);
    checkEnd();
    await ended;
    await Promise.all(active.values());
  } finally {
    stopWatching();
    signal.removeEventListener('abort', onAbort);
  }
  if (fatal !== undefined) throw fatal;
  return { outcomes, stopped: options.signal.aborted };
}
