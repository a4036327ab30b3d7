/**
 * Simulated keys whose state lives in files (`skm --virtual STATE_FILE`, DESIGN.md "Virtual
 * key": "consecutive `skm --virtual FILE …` commands see the same key").
 *
 * - A missing file is created at once with a fresh key of the chosen preset; an existing file is
 *   loaded, and its stored preset wins over --virtual-preset.
 * - A damaged file is never overwritten: loading fails with STATE_FILE_CORRUPT and nothing is
 *   written (saves happen only for keys that loaded).
 * - Every state change is saved atomically (state.ts saveStateFile: temp file + rename); saves
 *   are serialised and `flush()` waits for the last one. Temp files a killed skm left behind
 *   are removed when the file is opened.
 * - Each file's key gets a serial derived from the file's absolute path (symlinks resolved), so two files are two
 *   different keys with stable ids ("virtual:<serial>") across runs.
 * - One process per file (state-lock.ts): a file is locked before it is read and released by
 *   `close()` after the last save, so two skm runs on one file never lose each other's changes.
 *
 * Simulated keys are used only when asked for: without --virtual, the CLI never falls back to
 * one (a scripting tool must not silently act on a simulated key).
 * @module
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { presetConfig, UnknownPresetError, DEFAULT_PRESET } from '../../ctap/virtual/config.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { loadStateFile, newState, removeStaleTempFiles, saveStateFile, VirtualStateError, type StateFile, type VirtualKeyState } from '../../ctap/virtual/state.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import type { FaultName } from '../../ctap/virtual/faults.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import { attachToVpcd, type VpcdStatus } from '../../ctap/virtual/vpcd.js';
import type { DiscoverySource } from './device-manager.js';
import { throwIfAborted } from '../../ctap/errors.js';
import { AppError } from './errors.js';
import { StateFileLock } from './state-lock.js';

export interface VirtualKeyFilesOptions {
  files: string[];
  /** Preset for files that do not exist yet (default ctap21). */
  preset?: string;
  /** How the simulated person answers touch requests (default: approve at once). */
  presence?: PresenceScript;
  /** Faults the keys show on purpose (ctap/virtual/faults.ts); not stored in the files. */
  faults?: FaultName[];
  /** What the simulated fingerprint sensor reads, one status per sample (good once it runs out). */
  sampleScript?: number[];
  signal?: AbortSignal;
}

/** One file-backed simulated key. */
export class VirtualKeyFile {
  readonly key: VirtualKey;
  private saving: Promise<void> = Promise.resolve();
  private failure: unknown;
  private dirty = false;

  constructor(
    readonly path: string,
    readonly preset: string,
    options: { state: VirtualKeyState; presence: PresenceScript; faults?: FaultName[] | undefined; sampleScript?: number[] },
  ) {
    const bio = options.sampleScript ? { bio: { ...presetConfig(preset).bio, sampleScript: options.sampleScript } } : {};
    this.key = VirtualKey.create({
      preset,
      config: { serial: serialFor(path), ...bio, ...(options.faults ? { faults: options.faults } : {}) },
      state: options.state,
      presence: options.presence,
      onStateChange: () => this.scheduleSave(),
    });
  }

  /** Queue a save of the current state; coalesces bursts of changes into one write. */
  scheduleSave(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.saving = this.saving.then(async () => {
      this.dirty = false;
      try {
        await saveStateFile(this.path, { preset: this.preset, state: this.key.state });
      } catch (error) {
        this.failure ??= error;
      }
    });
  }

  /** Wait until every change is on disk. @throws AppError FILE_ACCESS when a save failed. */
  async flush(): Promise<void> {
    await this.saving;
    if (this.failure !== undefined) {
      // Without the file the simulated key forgets the change at the end of this run.
      throw new AppError('FILE_ACCESS', {
        path: this.path,
        reason: 'state-file-not-saved',
        details: errorText(this.failure),
        cause: this.failure,
      });
    }
  }
}

export class VirtualKeyFiles {
  private constructor(
    readonly files: VirtualKeyFile[],
    readonly discovery: VirtualDiscovery,
    private readonly locks: StateFileLock[],
  ) {}

  /**
   * Lock and load (or create) every file's key. Nothing is written for a file that fails to
   * load, and every lock taken is released again when opening fails.
   * @throws AppError DEVICE_BUSY when another skm uses one of the files.
   */
  static async open(options: VirtualKeyFilesOptions): Promise<VirtualKeyFiles> {
    const files: VirtualKeyFile[] = [];
    const locks: StateFileLock[] = [];
    const seen = new Set<string>();
    try {
      for (const name of options.files) {
        // One file under two names (a symlink) is one key: one lock, one id, saved through the link.
        const path = await canonicalPath(name);
        if (seen.has(path)) throw new AppError('USAGE', { reason: 'virtual-file-twice', path: name });
        seen.add(path);
        const lock = await StateFileLock.acquire(path);
        locks.push(lock);
        // Only the lock holder saves, so temp files of dead writers can go (a killed save).
        if (lock.held) await removeStaleTempFiles(path);
        const stored = await load(path, options.preset ?? DEFAULT_PRESET, options.signal);
        const file = new VirtualKeyFile(path, stored.file.preset, {
          state: stored.file.state,
          presence: options.presence ?? 'approve',
          faults: options.faults,
          ...(options.sampleScript ? { sampleScript: options.sampleScript } : {}),
        });
        if (stored.created) file.scheduleSave();
        files.push(file);
      }
      const virtual = new VirtualKeyFiles(files, new VirtualDiscovery(files.map((f) => f.key)), locks);
      await virtual.flush();
      return virtual;
    } catch (error) {
      await Promise.all(locks.map((lock) => lock.release()));
      throw error;
    }
  }

  get keys(): VirtualKey[] {
    return this.files.map((f) => f.key);
  }

  /** A device-manager source over these keys (already loaded, so it cannot time out). */
  source(): DiscoverySource {
    return { transport: 'virtual', timeoutMs: 5_000, load: () => Promise.resolve(this.discovery) };
  }

  async flush(): Promise<void> {
    for (const file of this.files) await file.flush();
  }

  /** Wait for the last saves, then let other skm runs use the files; idempotent. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await Promise.all(this.locks.map((lock) => lock.release()));
    }
  }
}

async function load(path: string, preset: string, signal: AbortSignal | undefined): Promise<{ file: StateFile; created: boolean }> {
  try {
    return { file: await loadStateFile(path, { signal }), created: false };
  } catch (error) {
    // Ctrl-C while reading is a cancellation, not a file the person has to check.
    throwIfAborted(signal);
    if (error instanceof VirtualStateError) {
      throw new AppError('STATE_FILE_CORRUPT', { path, details: error.message, cause: error });
    }
    if (!isMissingFile(error)) throw new AppError('FILE_ACCESS', { path, details: errorText(error), cause: error });
  }
  try {
    // Validates the name before anything is written.
    presetConfig(preset);
  } catch (error) {
    if (error instanceof UnknownPresetError) throw new AppError('USAGE', { reason: 'unknown-preset', preset: error.preset, details: error.message, cause: error });
    throw error;
  }
  return { file: { preset, state: newState() }, created: true };
}

/**
 * The absolute path with symlinks resolved; for a file not created yet, its folder's (so the id
 * derived from it is the same before and after the file exists).
 */
async function canonicalPath(name: string): Promise<string> {
  const path = resolve(name);
  try {
    return await realpath(path);
  } catch {
    return realpath(dirname(path)).then(
      (dir) => join(dir, basename(path)),
      () => path,
    );
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "SIM" + 8 hex digits of SHA-256(absolute path): stable per file, different between files. */
function serialFor(path: string): string {
  return `SIM${bytesToHex(sha256(utf8ToBytes(path))).slice(0, 8).toUpperCase()}`;
}

export interface VpcdServeOptions {
  host: string;
  port: number;
  /** State file (loaded or created like --virtual); without it the key lives in memory only. */
  stateFile?: string;
  preset?: string;
  presence: PresenceScript;
  faults?: FaultName[];
  /** Stops serving (SIGINT/SIGTERM); state is saved before this resolves. */
  signal: AbortSignal;
  onStatus?: (status: VpcdStatus) => void;
}

/**
 * Put a simulated key into a vsmartcard vpcd reader as a contactless FIDO card until `signal`
 * fires (`skm virtual-key --vpcd`); real PC/SC clients then see it through pcscd.
 * @returns the key's id.
 */
export async function serveOnVpcd(options: VpcdServeOptions): Promise<{ serial: string; preset: string }> {
  let key: VirtualKey;
  let files: VirtualKeyFiles | undefined;
  if (options.stateFile !== undefined) {
    files = await VirtualKeyFiles.open({ files: [options.stateFile], preset: options.preset, presence: options.presence, faults: options.faults, signal: options.signal });
    key = files.keys[0]!;
  } else {
    try {
      key = VirtualKey.create({ preset: options.preset ?? DEFAULT_PRESET, presence: options.presence, ...(options.faults ? { config: { faults: options.faults } } : {}) });
    } catch (error) {
      if (error instanceof UnknownPresetError) throw new AppError('USAGE', { reason: 'unknown-preset', preset: error.preset, details: error.message, cause: error });
      throw error;
    }
  }
  const card = new VirtualCard({ authenticator: key.authenticator, config: key.config });
  try {
    await attachToVpcd({ card, signal: options.signal, host: options.host, port: options.port, onStatus: options.onStatus });
  } finally {
    await files?.close();
  }
  return { serial: key.config.serial, preset: key.config.preset };
}
