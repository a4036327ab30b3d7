/**
 * All keys from all transports behind one object (DESIGN.md main/service "discovery of all
 * transports, stable ids, hotplug, one operation per key").
 *
 * - Sources are loaded lazily and each within its own time limit: a transport whose OS service
 *   is missing (no pcscd, no libudev) counts as "no keys there" and never blocks the others.
 * - Ids are the discoveries' ids ("usb:…", "nfc:…", "virtual:…"); `find` takes an exact id or a
 *   unique prefix of one.
 * - One operation per key: a second concurrent operation on the same key fails at once with
 *   DEVICE_BUSY instead of interleaving CTAP commands (a reset must be the first command after
 *   power-up; a clientPIN key agreement must not be interleaved with another's).
 * @module
 */
import type { TraceEvent } from '../../ctap/ctap2/session.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CancelledError, throwIfAborted, TransportError } from '../../ctap/errors.js';
import type { DeviceDescriptor, DeviceTransportName, Discovery, DiscoveryEvent, ListOptions } from '../../ctap/transport/discovery.js';
import { AppError, type DeviceFact } from './errors.js';

/** One transport's discovery, loaded on first use. */
export interface DiscoverySource {
  readonly transport: DeviceTransportName;
  /** Import and start the discovery (native modules are loaded here, not at startup). */
  load(): Promise<Discovery>;
  /** How long loading and listing may take before this source counts as empty. */
  readonly timeoutMs: number;
}

export interface DeviceManagerOptions {
  sources: DiscoverySource[];
  /** Passed to every session (main/service/trace.ts formats and redacts). */
  onTrace?: (event: TraceEvent) => void;
  /** A source that failed or timed out (shown with --verbose; never fatal). */
  onWarning?: (message: string) => void;
}

export interface SignalOption {
  signal?: AbortSignal;
}

/** Also a Discovery over every source, so flows that watch for removal (reset) can take it as is. */
export class DeviceManager implements Discovery {
  private readonly discoveries = new Map<DiscoverySource, Promise<Discovery | null>>();
  private readonly busy = new Set<string>();
  /** Each running watch(): how it subscribes to one more source (see addSource). */
  private readonly watchers = new Set<(source: DiscoverySource) => void>();
  private closed = false;

  private readonly sources: DiscoverySource[];

  constructor(private readonly options: DeviceManagerOptions) {
    this.sources = [...options.sources];
  }

  /** Add a source after start (a simulated key added from the app); watchers see it from now on. */
  addSource(source: DiscoverySource): void {
    this.sources.push(source);
    for (const subscribe of this.watchers) subscribe(source);
  }

  /** Every device of every source, in source order (USB, NFC, virtual as configured). */
  async list(options: SignalOption & ListOptions = {}): Promise<DeviceDescriptor[]> {
    return this.listSources(this.sources, options.signal, options.wanted);
  }

  /**
   * The device with this exact id, or the only one whose id starts with it. Every id starts with
   * its source's transport name and a colon ("nfc:…"), so only the sources whose ids can start
   * with `query` are scanned: `--device nfc:…` loads no USB library and enumerates no USB bus,
   * `--device usb:…` never waits for the card readers.
   */
  async find(query: string, options: SignalOption = {}): Promise<DeviceDescriptor> {
    const devices = await this.listSources(
      this.sources.filter(({ transport }) => `${transport}:`.startsWith(query) || query.startsWith(`${transport}:`)),
      options.signal,
      // An exact id needs no settled list: the card readers may answer as soon as it is ready.
      (device) => device.id === query,
    );
    const exact = devices.find((d) => d.id === query);
    if (exact) return exact;
    const matches = devices.filter((d) => d.id.startsWith(query));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new AppError('DEVICE_NOT_FOUND', { deviceId: shorten(query) });
    throw new AppError('SEVERAL_DEVICES', { reason: 'ambiguous-device', deviceId: shorten(query), devices: matches.map(describe), details: `matches ${matches.length} ids` });
  }

  /**
   * The device to act on: `query` when given; otherwise the only key that is ready (readers
   * without a card are not keys). None → NO_DEVICE, several → SEVERAL_DEVICES listing them.
   */
  async select(query: string | undefined, options: SignalOption = {}): Promise<DeviceDescriptor> {
    if (query !== undefined) return this.find(query, options);
    const ready = (await this.list(options)).filter((d) => d.status === 'ready');
    if (ready.length === 0) throw new AppError('NO_DEVICE');
    if (ready.length > 1) throw new AppError('SEVERAL_DEVICES', { devices: ready.map(describe) });
    return ready[0]!;
  }

  /**
   * Open a CTAP2 session on `device`, run `work`, and close the transport whatever happens.
   * @throws AppError DEVICE_BUSY when another operation holds this key.
   */
  async withSession<T>(device: DeviceDescriptor, work: (session: Ctap2Session) => Promise<T>, options: SignalOption = {}): Promise<T> {
    return this.withDevice(
      device,
      async () => {
        const session = await this.openSession(device, options);
        try {
          // Capability first: a U2F-only key (no CTAPHID CBOR / no FIDO2 applet) gets no CTAP2 command.
          if (!session.transport.capabilities.cbor) {
            throw new TransportError('not-fido', `${device.name} speaks only U2F (CTAP1), not FIDO2 (CTAP2).`);
          }
          return await work(session);
        } finally {
          await session.transport.close();
        }
      },
      options,
    );
  }

  /**
   * Hold `device` for one operation without opening it, for flows that open sessions themselves
   * (the reset ceremony reopens the key after it is reinserted; selection opens several keys).
   * @throws AppError DEVICE_BUSY when another operation holds this key.
   */
  async withDevice<T>(device: DeviceDescriptor, work: () => Promise<T>, options: SignalOption = {}): Promise<T> {
    throwIfAborted(options.signal);
    if (this.busy.has(device.id)) throw new AppError('DEVICE_BUSY', { details: `an operation on ${device.id} is in progress` });
    this.busy.add(device.id);
    try {
      return await work();
    } finally {
      this.busy.delete(device.id);
    }
  }

  /**
   * Open a session and send nothing (the flows' `openSession`: a reset must be the first command
   * after power-up). The caller closes it with `session.transport.close()`.
   */
  async openSession(device: DeviceDescriptor, options: SignalOption = {}): Promise<Ctap2Session> {
    throwIfAborted(options.signal);
    const transport = await device.open();
    return new Ctap2Session(transport, this.options.onTrace ? { onTrace: this.options.onTrace } : {});
  }

  /** Whether an operation currently holds this key. */
  isBusy(id: string): boolean {
    return this.busy.has(id);
  }

  /** Added/removed events from every source; returns a function that stops them all. */
  watch(listener: (event: DiscoveryEvent) => void): () => void {
    const stops: (() => void)[] = [];
    let stopped = false;
    const subscribe = (source: DiscoverySource): void => {
      void this.discovery(source).then((discovery) => {
        if (discovery && !stopped) stops.push(discovery.watch(listener));
      });
    };
    for (const source of this.sources) subscribe(source);
    this.watchers.add(subscribe);
    return () => {
      stopped = true;
      this.watchers.delete(subscribe);
      for (const stop of stops.splice(0)) stop();
    };
  }

  /** Release every loaded discovery (pollers, PC/SC context). Late loads are closed on arrival. */
  async close(): Promise<void> {
    this.closed = true;
    const loaded = await Promise.all([...this.discoveries.values()].map((p) => withTimeout(p, 0).catch(() => null)));
    await Promise.all(loaded.map((d) => d?.close().catch(() => undefined)));
  }

  private async listSources(sources: DiscoverySource[], signal: AbortSignal | undefined, wanted?: ListOptions['wanted']): Promise<DeviceDescriptor[]> {
    throwIfAborted(signal);
    const perSource = await Promise.all(sources.map((source) => this.listSource(source, signal, wanted)));
    throwIfAborted(signal);
    return perSource.flat();
  }

  private async listSource(source: DiscoverySource, signal: AbortSignal | undefined, wanted: ListOptions['wanted']): Promise<DeviceDescriptor[]> {
    try {
      const discovery = await withTimeout(this.discovery(source), source.timeoutMs, signal);
      if (!discovery) return [];
      return await withTimeout(discovery.list(wanted ? { wanted } : {}), source.timeoutMs, signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.options.onWarning?.(`${source.transport}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private discovery(source: DiscoverySource): Promise<Discovery | null> {
    let pending = this.discoveries.get(source);
    if (!pending) {
      pending = source.load().then(
        async (discovery) => {
          // Loaded after close() (it outlived its time limit): release it at once.
          if (this.closed) {
            await discovery.close().catch(() => undefined);
            return null;
          }
          return discovery;
        },
        (error: unknown) => {
          this.options.onWarning?.(`${source.transport}: ${error instanceof Error ? error.message : String(error)}`);
          return null;
        },
      );
      this.discoveries.set(source, pending);
    }
    return pending;
  }
}

/** Input echoed back in an error, cut to a readable length (an id pasted by mistake can be huge). */
export function shorten(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A key as an error names it (the front end words the list). */
export function describe(device: DeviceDescriptor): DeviceFact {
  return { id: device.id, name: device.name };
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Settle with `promise` or fail after `ms` (0 = only if already settled) or on abort. The
 * underlying work is not stopped; callers make sure late results are released.
 */
function withTimeout<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new TimeoutError(ms))), ms);
    const onAbort = (): void => finish(() => reject(new CancelledError()));
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
