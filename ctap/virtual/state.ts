/**
 * Virtual key state: what survives a replug (credentials, PIN, retries, templates, settings),
 * and, apart from it, what a power cycle clears. Persistence to a file lives here too: versioned
 * JSON (bytes as lowercase hex), validated in full on load, written atomically (temp + rename) so
 * a crash mid-write never leaves a truncated key behind.
 *
 * Loading trusts nothing in the file: it must be a regular file below MAX_STATE_FILE_BYTES (a
 * FIFO would block the read, /dev/zero would never end), name a preset that exists, and describe
 * a state that key could be in (consistencyProblem). Temp files a killed process left behind are
 * removed by removeStaleTempFiles.
 * @module
 */
import { constants } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { bytesToHex, hexToBytes, randomBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { ProtocolError } from '../errors.js';
import { serializeLargeBlobArray } from '../ctap2/large-blobs.js';
import { generateKeyAgreementKeyPair, type KeyAgreementKeyPair } from '../ctap2/pin-protocol.js';
import { presets, type VirtualKeyConfig } from './config.js';

export interface StoredCredential {
  id: Uint8Array;
  rpId: string;
  rpName: string | null;
  userId: Uint8Array;
  userName: string | null;
  userDisplayName: string | null;
  /** P-256 secret scalar (ES256). */
  privateKey: Uint8Array;
  signCount: number;
  /** credProtect level 1–3 (§12.1). */
  credProtect: number;
  largeBlobKey: Uint8Array | null;
  discoverable: boolean;
  createdAt: number;
}

export interface BioTemplate {
  id: Uint8Array;
  friendlyName: string | null;
}

/** Survives removal and power cycles; persisted by `skm --virtual FILE`. */
export interface VirtualKeyState {
  /** LEFT(SHA-256(PIN), 16) as the spec stores it (§6.5.5.5), or null when no PIN is set. */
  pinHash: Uint8Array | null;
  /** Code points of the current PIN, to decide forcePINChange when minPINLength rises (§6.11.4). */
  pinLength: number | null;
  /** pinRetries counter, 8 at most (§6.5.2.1). */
  pinRetries: number;
  uvRetries: number;
  forcePinChange: boolean;
  minPinLength: number;
  minPinLengthRpIds: string[];
  alwaysUv: boolean;
  enterpriseAttestation: boolean;
  credentials: StoredCredential[];
  templates: BioTemplate[];
  /** The serialized large-blob array, hash included (§6.10.1); `80` ‖ its hash when empty. */
  largeBlobArray: Uint8Array;
}

/** Cleared by every power cycle (§6.5.2: per-power-up PIN block, new key agreement, new token). */
export interface PowerUpState {
  /** Clock time of power-up; the reset window counts from here. */
  poweredAt: number;
  /** Consecutive wrong PINs since power-up; 3 → PIN_AUTH_BLOCKED until power cycle. */
  consecutivePinFailures: number;
  consecutiveUvFailures: number;
  keyAgreement: KeyAgreementKeyPair;
  /** The pinUvAuthToken and its state (§6.5.2.1); null until one is issued. */
  token: {
    value: Uint8Array;
    protocol: number;
    permissions: number;
    rpId: string | null;
    userPresent: boolean;
    userVerified: boolean;
    /** Legacy getPinToken (0x05) tokens carry every permission implicitly. */
    legacy: boolean;
    /** Clock time of issue and of the last successful use (§6.5.2.1 usage timer). */
    issuedAt: number;
    usedAt: number | null;
  } | null;
  /** Reset is still allowed (window not expired, permission not revoked by a quirk). */
  resetPermission: boolean;
  /** Command-family iterators (credMgmt enumerate, getNextAssertion, bio enrollment in progress). */
  pending: { kind: string; data: unknown } | null;
}

// ── construction ────────────────────────────────────────────────────────────────────────────

/** pinRetries after a reset or a correct PIN (§6.5.2.1: "maximum value of 8"). */
export const MAX_PIN_RETRIES = 8;
/** uvRetries after a reset or a successful UV (Chromium's virtual device uses 5 as well). */
export const MAX_UV_RETRIES = 5;
/** §6.4 minPINLength default: 4 Unicode code points. */
export const DEFAULT_MIN_PIN_LENGTH = 4;
/** §6.5.5.1: a PIN is at most 63 bytes, so at most 63 code points. */
const MAX_PIN_CODE_POINTS = 63;

/** A factory-fresh key: no PIN, no credentials, no templates, default settings (§6.6 after reset). */
export function newState(): VirtualKeyState {
  return {
    pinHash: null,
    pinLength: null,
    pinRetries: MAX_PIN_RETRIES,
    uvRetries: MAX_UV_RETRIES,
    forcePinChange: false,
    minPinLength: DEFAULT_MIN_PIN_LENGTH,
    minPinLengthRpIds: [],
    alwaysUv: false,
    enterpriseAttestation: false,
    credentials: [],
    templates: [],
    largeBlobArray: serializeLargeBlobArray([]),
  };
}

/**
 * What a power-up starts with (§6.5.2 "Authenticator Configuration Operations Upon Power Up"):
 * a new key-agreement key pair, no token, the per-boot PIN counter at zero, reset allowed.
 */
export function newPowerUpState(now: number): PowerUpState {
  return {
    poweredAt: now,
    consecutivePinFailures: 0,
    consecutiveUvFailures: 0,
    keyAgreement: generateKeyAgreementKeyPair(),
    token: null,
    resetPermission: true,
    pending: null,
  };
}

// ── persistence ─────────────────────────────────────────────────────────────────────────────

/** The state file could not be read back: not JSON, wrong format or version, or a bad field. */
export class VirtualStateError extends ProtocolError {
  constructor(
    message: string,
    readonly path: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(path ? `Simulated key file ${path}: ${message}` : message, options);
  }
}

export const STATE_FILE_FORMAT = 'skm-virtual-key';
export const STATE_FILE_VERSION = 1;

const hex = z
  .string()
  .regex(/^(?:[0-9a-f]{2})*$/, 'must be lowercase hex')
  .transform((text) => hexToBytes(text));
const uint = z.number().int().nonnegative();

const credentialSchema = z.strictObject({
  id: hex,
  rpId: z.string().min(1),
  rpName: z.string().nullable(),
  userId: hex,
  userName: z.string().nullable(),
  userDisplayName: z.string().nullable(),
  privateKey: hex.refine((b) => b.length === 32, 'must be a 32-byte P-256 secret key'),
  signCount: uint,
  credProtect: z.number().int().min(1).max(3),
  largeBlobKey: hex.nullable(),
  discoverable: z.boolean(),
  createdAt: uint,
});

const stateSchema = z.strictObject({
  pinHash: hex.refine((b) => b.length === 16, 'must be 16 bytes').nullable(),
  pinLength: uint.nullable(),
  pinRetries: z.number().int().min(0).max(MAX_PIN_RETRIES),
  uvRetries: uint,
  forcePinChange: z.boolean(),
  minPinLength: z.number().int().min(DEFAULT_MIN_PIN_LENGTH).max(63),
  minPinLengthRpIds: z.array(z.string()),
  alwaysUv: z.boolean(),
  enterpriseAttestation: z.boolean(),
  credentials: z.array(credentialSchema),
  templates: z.array(z.strictObject({ id: hex, friendlyName: z.string().nullable() })),
  // Files written before the key had large blobs hold none: the initial empty array (§6.10.1).
  largeBlobArray: hex.default(() => new Uint8Array(serializeLargeBlobArray([]))),
});

const fileSchema = z.strictObject({
  format: z.literal(STATE_FILE_FORMAT),
  version: z.number().int(),
  preset: z.string().min(1),
  state: z.unknown(),
});

export interface StateFile {
  preset: string;
  state: VirtualKeyState;
}

/** JSON text of a state file (bytes as hex; stable key order for readable diffs). */
export function serializeState(file: StateFile): string {
  const replacer = (_key: string, value: unknown): unknown => (value instanceof Uint8Array ? bytesToHex(value) : value);
  return `${JSON.stringify({ format: STATE_FILE_FORMAT, version: STATE_FILE_VERSION, preset: file.preset, state: file.state }, replacer, 2)}\n`;
}

/**
 * Parse and validate a state file's text.
 * @throws VirtualStateError naming the first problem (not JSON, unknown version, bad field).
 */
export function parseStateFile(text: string, path: string | null = null): StateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VirtualStateError('is not valid JSON (the file is corrupt or not a simulated key).', path, { cause });
  }
  const header = fileSchema.safeParse(json);
  if (!header.success) {
    throw new VirtualStateError(`is not a simulated key file (${describeIssue(header.error)}).`, path);
  }
  if (header.data.version !== STATE_FILE_VERSION) {
    throw new VirtualStateError(`has format version ${header.data.version}; this version of the app reads version ${STATE_FILE_VERSION}.`, path);
  }
  const preset = header.data.preset;
  // Own properties only: "__proto__" or "toString" name no preset.
  const config = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
  if (!config) throw new VirtualStateError(`names a preset that does not exist (${JSON.stringify(preset.slice(0, 40))}).`, path);
  const state = stateSchema.safeParse(header.data.state);
  if (!state.success) throw new VirtualStateError(`holds an invalid key state (${describeIssue(state.error)}).`, path);
  const problem = consistencyProblem(state.data, config);
  if (problem) throw new VirtualStateError(`holds a key state no key could be in (${problem}).`, path);
  return { preset, state: state.data };
}

/** The first way `state` contradicts itself or its preset (CTAP 2.1 rules), or null. */
function consistencyProblem(state: VirtualKeyState, config: VirtualKeyConfig): string | null {
  if (state.credentials.length > config.credentialSlots) {
    return `${state.credentials.length} passkeys on a key with ${config.credentialSlots} slots`;
  }
  if (hasDuplicates(state.credentials.map((c) => bytesToHex(c.id)))) return 'two passkeys with the same credential id';
  if (hasDuplicates(state.templates.map((t) => bytesToHex(t.id)))) return 'two fingerprints with the same template id';
  if (state.pinHash === null) {
    // Without a PIN no wrong PIN can be tried (§6.5.5.7), and forcePINChange needs a PIN (§6.11.4).
    if (state.pinRetries !== MAX_PIN_RETRIES) return `pinRetries ${state.pinRetries} without a PIN`;
    if (state.pinLength !== null) return 'a PIN length without a PIN';
    if (state.forcePinChange) return 'forcePinChange without a PIN';
  } else if (state.pinLength === null || state.pinLength < DEFAULT_MIN_PIN_LENGTH || state.pinLength > MAX_PIN_CODE_POINTS) {
    return `a PIN of ${state.pinLength ?? 'unknown'} characters`;
  }
  if (state.uvRetries > MAX_UV_RETRIES) return `uvRetries ${state.uvRetries} above ${MAX_UV_RETRIES}`;
  return null;
}

function hasDuplicates(values: string[]): boolean {
  return new Set(values).size !== values.length;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown problem';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'top level';
  return `${where}: ${issue.message}`;
}

/** Far above a full key (100 passkeys ≈ 60 KB), far below what would hurt to read. */
export const MAX_STATE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Read and validate a state file. O_NONBLOCK so that opening a FIFO returns at once, then the
 * opened file itself (no race with a rename) must be a regular file within the size cap.
 * @throws VirtualStateError for a file that is not a regular file, too large, or invalid.
 */
export async function loadStateFile(path: string, options: { signal?: AbortSignal } = {}): Promise<StateFile> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let text: string;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new VirtualStateError('is not a regular file.', path);
    if (stat.size > MAX_STATE_FILE_BYTES) throw new VirtualStateError(`is larger than ${MAX_STATE_FILE_BYTES} bytes, too large for a simulated key.`, path);
    // Read at most one byte past the cap, in case the file grows while being read.
    const buffer = Buffer.alloc(MAX_STATE_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_STATE_FILE_BYTES) throw new VirtualStateError(`grew beyond ${MAX_STATE_FILE_BYTES} bytes while being read.`, path);
    }
    text = buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
  return parseStateFile(text, path);
}

/** The writer's pid of "<file>.<pid>.<8 hex>.tmp" (saveStateFile's temp names), else null. */
function tempFileWriter(name: string, base: string): number | null {
  if (!name.startsWith(`${base}.`) || !name.endsWith('.tmp')) return null;
  const match = /^(\d+)\.[0-9a-f]{8}$/.exec(name.slice(base.length + 1, -'.tmp'.length));
  return match ? Number(match[1]) : null;
}

/**
 * Delete temp files of `path` whose writer no longer runs (a save killed before its rename).
 * Call while holding the file's lock; files of live processes are left alone.
 * @returns how many were removed.
 */
export async function removeStaleTempFiles(path: string): Promise<number> {
  const base = basename(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const writer = tempFileWriter(name, base);
    if (writer === null || isProcessAlive(writer)) continue;
    await unlink(join(dirname(path), name)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Write a state file atomically: a temp file next to it, flushed to disk, then renamed over the
 * old one. A failure at any point leaves the old file exactly as it was.
 */
export async function saveStateFile(path: string, file: StateFile): Promise<void> {
  const text = serializeState(file);
  const temp = `${path}.${process.pid}.${bytesToHex(randomBytes(4))}.tmp`;
  try {
    const handle = await stateFileSystem.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await stateFileSystem.rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The file operations saves go through: a seam for fault tests (a full disk, ENOSPC). */
export const stateFileSystem = { open, rename };
