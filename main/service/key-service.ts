/**
 * THE entry point both front ends drive (DESIGN.md "Service API"): the `skm` CLI and the
 * Electron IPC layer. It owns device discovery and its live events, key selection, the
 * one-operation-per-key lock, simulated keys and their files, and error mapping. Every call
 * returns a Result: `{ ok: true, value }` or `{ ok: false, error: { code, facts, details } }` —
 * data, never sentences (main/copy/ words them) and never a thrown error.
 *
 * Nothing here writes to a terminal or knows a flag name; prompts go out as typed events
 * (prompt-events.ts) to the front end's PromptHandler.
 * @module
 */
import { throwIfAborted } from '../../ctap/errors.js';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { supportsLargeBlobs } from '../../ctap/ctap2/large-blobs.js';
import type { Ctap2Session, TraceEvent } from '../../ctap/ctap2/session.js';
import type { DeviceDescriptor } from '../../ctap/transport/discovery.js';
import { virtualDeviceId } from '../../ctap/virtual/discovery.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { DeviceManager, type DiscoverySource } from './device-manager.js';
import { AppError, toAppError, type AppErrorFacts, type OperationKind, type ServiceError } from './errors.js';
import { hardwareSources } from './hardware.js';
import { listDevices, type DeviceSummary } from './operations/info.js';
import { operations, type OperationContext, type OperationInputs, type OperationName, type OperationOutputs } from './operations/registry.js';
import type { Replug } from './operations/reset.js';
import { PromptBridge, type PromptHandler } from './prompt-events.js';
import type { MdsIndex } from './provisioning/mds-index.js';
import { UnlockedKey, type UnlockLimits } from './unlocked-key.js';
import type { VirtualKeyFiles } from './virtual-keys.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

export type DeviceEvent = { type: 'added' | 'removed' | 'changed'; device: Pick<DeviceSummary, 'id' | 'transport' | 'name' | 'status' | 'reader'> };

export interface KeyServiceOptions {
  /** Simulated keys kept in these files; when given, no hardware is used at all. */
  virtualFiles?: string[];
  /** Preset for simulated key files that do not exist yet. */
  virtualPreset?: string;
  /** Practice: how the simulated person answers touch requests (default: approve at once). */
  virtualPresence?: PresenceScript;
  /** Practice: lastEnrollSampleStatus codes the simulated sensor reports, in order. */
  virtualSamples?: number[];
  /** USB + PC/SC discovery (tests replace it; the default loads native modules lazily). */
  hardwareSources?: () => DiscoverySource[];
  /** Every CTAP command and answer (trace.ts formats and redacts). */
  onTrace?: (event: TraceEvent) => void;
  /** A discovery source that failed or timed out (never fatal). */
  onWarning?: (message: string) => void;
  /**
   * Keep a key unlocked between its passkey operations (unlocked-key.ts), within these limits:
   * the app does, so the PIN is asked once; the CLI does not (one operation per process).
   */
  keepUnlocked?: boolean | UnlockLimits;
}

/** Operations that may borrow the unlocked key's token: passkeys and large blobs (cm, lbw). */
const USES_UNLOCKED_KEY = new Set<OperationName>(['passkeys.list', 'passkeys.delete', 'passkeys.updateUser', 'blobs.list', 'blobs.show', 'blobs.delete', 'blobs.prune']);
/** Operations that leave a held token valid: they get no token and change nothing it depends on. */
const LEAVES_UNLOCKED_KEY = new Set<OperationName>(['info', 'pin.status', 'wink', 'select']);

export interface RunOptions {
  /** The key to act on: an id or a unique start of one; omitted → the only key present. */
  deviceId?: string;
  prompts: PromptHandler;
  signal?: AbortSignal;
}

export class KeyService {
  private manager: DeviceManager | undefined;
  private opening: Promise<DeviceManager> | undefined;
  private readonly virtualKeys: VirtualKeyFiles[] = [];
  private operationCount = 0;
  private readonly unlocked: UnlockedKey | undefined;
  private stopWatchingUnlocked: (() => void) | undefined;
  private mds: MdsIndex | null = null;

  constructor(private readonly options: KeyServiceOptions = {}) {
    const { keepUnlocked } = options;
    if (keepUnlocked) this.unlocked = new UnlockedKey(keepUnlocked === true ? {} : keepUnlocked);
  }

  /** Whether this key's passkeys are unlocked now (a token is held for it; never the token). */
  isUnlocked(deviceId: string): boolean {
    return this.unlocked?.isUnlocked(deviceId) ?? false;
  }

  /** Drop and zero the token held for this key (any key when none is named): the app left its pages. */
  lock(deviceId?: string): void {
    this.unlocked?.lock(deviceId);
  }

  /**
   * Judge keys by this FIDO Metadata Service BLOB (already verified against its root): `info`
   * then carries the model's MDS facts and `attest` checks chains against its roots. null: none.
   */
  useMds(index: MdsIndex | null): void {
    this.mds = index;
  }

  /** Every key and reader, with model names from the AAGUID. */
  async listDevices(options: { signal?: AbortSignal } = {}): Promise<Result<DeviceSummary[]>> {
    return this.guard('list', async () => listDevices({ manager: await this.devices(options.signal), ...options }));
  }

  /**
   * Keys and readers coming and going, and changing: a reader whose card arrives or leaves is
   * `changed` (discovery reports it as the old descriptor removed and the new one added at once).
   * Returns the function that stops listening. Events carry what discovery knows without asking
   * the key; list again for models.
   */
  watchDevices(listener: (event: DeviceEvent) => void): () => void {
    let stop: (() => void) | undefined;
    let stopped = false;
    const removals = new Map<string, DeviceDescriptor>();
    const send = (type: DeviceEvent['type'], device: DeviceDescriptor): void => {
      if (!stopped) listener({ type, device: { id: device.id, transport: device.transport, name: device.name, status: device.status, reader: device.reader } });
    };
    void this.devices().then(
      (manager) => {
        if (stopped) return;
        stop = manager.watch((event) => {
          if (event.type === 'removed') {
            // Held for one microtask: an 'added' of the same id right behind it makes a change.
            removals.set(event.device.id, event.device);
            queueMicrotask(() => {
              const removed = removals.get(event.device.id);
              removals.delete(event.device.id);
              if (removed) send('removed', removed);
            });
            return;
          }
          const wasRemoved = removals.delete(event.device.id);
          send(wasRemoved ? 'changed' : 'added', event.device);
        });
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /**
   * Add a simulated key kept in `file` (created with `preset` when missing) next to whatever is
   * discovered already — the app's "Add a simulated key".
   */
  async addVirtualKey(options: { file: string; preset?: string; signal?: AbortSignal }): Promise<Result<DeviceSummary>> {
    return this.guard('virtual-key', async () => {
      const manager = await this.devices(options.signal);
      const { VirtualKeyFiles } = await import('./virtual-keys.js');
      const files = await VirtualKeyFiles.open({ files: [options.file], ...(options.preset !== undefined ? { preset: options.preset } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      this.virtualKeys.push(files);
      manager.addSource(files.source());
      const id = virtualDeviceId(files.keys[0]!);
      const summary = (await listDevices({ manager, ...(options.signal ? { signal: options.signal } : {}) })).find((d) => d.id === id);
      if (!summary) throw new AppError('INTERNAL', { details: `simulated key ${id} not listed after it was added` });
      return summary;
    });
  }

  /**
   * Run one operation on one key: select it, hold it (one operation per key), open it as the
   * operation needs, answer its prompts through `prompts`, save simulated keys, map errors.
   */
  async run<K extends OperationName>(operation: K, input: OperationInputs[K], options: RunOptions): Promise<Result<OperationOutputs[K]>> {
    const definition = operations[operation];
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    this.operationCount += 1;
    const prompts = new PromptBridge(options.prompts, { signal, idPrefix: `op${this.operationCount}` });
    const facts: AppErrorFacts = {};
    let lentTo: string | undefined;
    let result: Result<OperationOutputs[K]> | undefined;
    try {
      result = await this.guard(definition.kind, async () => {
        const manager = await this.devices(signal);
        const base = { manager, prompts, signal, mds: this.mds };
        if (definition.scope === 'all') return definition.run(base, input as never) as Promise<OperationOutputs[K]>;
        const device = await manager.select(options.deviceId, { signal });
        facts.deviceId = device.id;
        facts.transport = device.transport;
        // Only the reset ceremony replugs; other operations never need a simulated key's files.
        const replug = definition.kind === 'reset' ? this.replugFor(device) : undefined;
        const context: OperationContext = { ...base, device, ...(replug ? { replug } : {}) };
        // A token of its own, a new PIN or a reset ends the held token on the key (§6.5.5.7).
        if (!USES_UNLOCKED_KEY.has(operation) && !LEAVES_UNLOCKED_KEY.has(operation)) this.unlocked?.lock(device.id);
        if (definition.scope === 'device') {
          return manager.withDevice(device, () => definition.run(context, input as never), { signal }) as Promise<OperationOutputs[K]>;
        }
        return manager.withSession(
          device,
          async (session) => {
            const borrow = this.unlocked && USES_UNLOCKED_KEY.has(operation);
            const tokens = borrow ? this.lendTokens(manager, device.id, await alsoPermitFor(session, signal)) : undefined;
            if (borrow) lentTo = device.id;
            return definition.run({ ...context, session, ...(tokens ? { tokens } : {}) }, input as never);
          },
          { signal },
        ) as Promise<OperationOutputs[K]>;
      }, facts);
      return result;
    } finally {
      if (lentTo !== undefined) this.unlocked?.settle(lentTo, result !== undefined && keepsUnlocked(result));
      prompts.close();
      controller.abort();
    }
  }

  /** The held tokens for this key, watching (once) for it to go away. */
  private lendTokens(manager: DeviceManager, deviceId: string, alsoPermit: number): ReturnType<UnlockedKey['lend']> {
    const unlocked = this.unlocked!;
    // Removed (another card on the reader is a removal, then an addition): not the key unlocked.
    // Additions alone are left alone: a watcher's first poll may report keys present all along.
    this.stopWatchingUnlocked ??= manager.watch((event) => {
      if (event.type === 'removed') unlocked.lock(event.device.id);
    });
    return unlocked.lend(deviceId, alsoPermit);
  }

  /** Save simulated keys and wait for the saves; a failed save is an error (the change did not stick). */
  async flush(): Promise<Result<void>> {
    return this.guard('virtual-key', async () => {
      for (const files of this.virtualKeys) await files.flush();
    });
  }

  /** Save and unlock simulated keys, stop discovery. Idempotent. */
  async close(): Promise<Result<void>> {
    const result = await this.guard('virtual-key', async () => {
      // A discovery still opening (watchDevices started it) must finish first, or its simulated
      // key files would be locked after close() returned.
      await this.opening?.catch(() => undefined);
      this.unlocked?.lock();
      this.stopWatchingUnlocked?.();
      this.stopWatchingUnlocked = undefined;
      try {
        for (const files of this.virtualKeys.splice(0)) await files.close();
      } finally {
        await this.manager?.close();
        this.manager = undefined;
        this.opening = undefined;
      }
    });
    return result;
  }

  /** The device manager, created on first use: simulated keys only, or USB + NFC. */
  private devices(signal?: AbortSignal): Promise<DeviceManager> {
    this.opening ??= this.openDevices(signal).catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async openDevices(signal: AbortSignal | undefined): Promise<DeviceManager> {
    throwIfAborted(signal);
    const { virtualFiles = [], virtualPreset, virtualPresence, virtualSamples } = this.options;
    // Asked for a simulated key but named no file: acting on a connected real key instead
    // (a reset, a PIN) would be the worst reading of that request.
    if (virtualPreset !== undefined && virtualFiles.length === 0) throw new AppError('USAGE', { reason: 'virtual-preset-without-file' });
    let sources: DiscoverySource[];
    if (virtualFiles.length > 0) {
      // The simulator (and its state-file schema) is loaded only for simulated keys.
      const { VirtualKeyFiles } = await import('./virtual-keys.js');
      const files = await VirtualKeyFiles.open({
        files: virtualFiles,
        ...(virtualPreset !== undefined ? { preset: virtualPreset } : {}),
        ...(virtualPresence !== undefined ? { presence: virtualPresence } : {}),
        ...(virtualSamples !== undefined ? { sampleScript: virtualSamples } : {}),
        ...(signal ? { signal } : {}),
      });
      this.virtualKeys.push(files);
      sources = [files.source()];
    } else {
      sources = (this.options.hardwareSources ?? hardwareSources)();
    }
    this.manager = new DeviceManager({
      sources,
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
      ...(this.options.onTrace ? { onTrace: this.options.onTrace } : {}),
    });
    return this.manager;
  }

  /** A simulated key cannot be unplugged by a person: the reset ceremony does it through this. */
  private replugFor(device: DeviceDescriptor): Replug | undefined {
    if (device.transport !== 'virtual') return undefined;
    const key = this.virtualKeys.flatMap((files) => files.keys).find((k) => virtualDeviceId(k) === device.id);
    // Fail now rather than wait a minute for a removal nobody can make.
    if (!key) throw new AppError('INTERNAL', { details: `no simulated key behind ${device.id} to remove and reinsert` });
    return { remove: () => key.remove(), insert: () => key.insert() };
  }

  /** Run `work`; anything it throws becomes the Result's error (through the one table). */
  private async guard<T>(kind: OperationKind, work: () => Promise<T>, facts: AppErrorFacts = {}): Promise<Result<T>> {
    try {
      const value = await work();
      return { ok: true, value };
    } catch (error) {
      const mapped = toAppError(kind, error);
      return { ok: false, error: { ...mapped.toServiceError(), facts: { ...facts, ...mapped.facts } } };
    }
  }
}

/**
 * Whether the held token may outlive this result: success, a cancellation, and answers about the
 * data (no such passkey, unreadable or changed blob storage) say nothing against the token; a PIN
 * or token error, or anything unexpected, drops it.
 */
function keepsUnlocked(result: Result<unknown>): boolean {
  if (result.ok) return true;
  const { code, facts } = result.error;
  if (code === 'CANCELLED' || code === 'CREDENTIAL_NOT_FOUND' || code === 'NO_CREDENTIALS') return true;
  return facts.reason === 'blob-storage-unreadable' || facts.reason === 'blob-storage-changed';
}

/**
 * lbw beside cm on a key with large blobs and permission tokens: the Passkeys page reads blobs and
 * deletes them, and one token should serve both (§6.5.5.7 permissions are bits).
 */
async function alsoPermitFor(session: Ctap2Session, signal: AbortSignal): Promise<number> {
  const info = await session.getInfo({ signal });
  return supportsLargeBlobs(info) && info.options.pinUvAuthToken === true ? Permission.lbw : 0;
}

/** Unwrap a Result where a caller wants a throw (tests, scripts). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error.code, { ...result.error.facts, ...(result.error.details !== undefined ? { details: result.error.details } : {}) });
}
