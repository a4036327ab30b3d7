/**
 * What every virtual-key command handler is given, and how it fails. One handler file per
 * command family, named as the client files in ctap/ctap2/ (DESIGN.md "Virtual key").
 * @module
 */
import type { CborKey, CborMap, CborValue } from '../../cbor.js';
import { CtapStatus } from '../../status.js';
import type { KeepaliveStatus } from '../../transport/transport.js';
import type { VirtualKeyConfig } from '../config.js';
import type { PowerUpState, VirtualKeyState } from '../state.js';

/** Thrown by a handler to answer with a CTAP status byte (the key's side of CtapError). */
export class StatusError extends Error {
  constructor(readonly status: number, message?: string) {
    super(message ?? `status 0x${status.toString(16)}`);
  }
}

export interface CommandContext {
  readonly config: VirtualKeyConfig;
  readonly state: VirtualKeyState;
  readonly powerUp: PowerUpState;
  /** Which transport the request came over (transportsForReset, NFC-specific behaviour). */
  readonly transport: 'usb' | 'nfc';
  /** CTAPHID channel id (0 for NFC); used by the other-channel reset quirk. */
  readonly channel: number;
  /** Fires when the host cancels (CTAPHID_CANCEL, NFC cancel) or the key is removed. */
  readonly signal: AbortSignal;
  keepalive(status: KeepaliveStatus): void;
  /**
   * Ask for a touch per the presence script, sending keepalive UPNEEDED while waiting.
   * @throws StatusError OPERATION_DENIED (declined), the configured timeout status, or KEEPALIVE_CANCEL.
   */
  userPresence(): Promise<void>;
  now(): number;
  /** Persist `state` after a change that must survive (credentials, PIN, settings). */
  commit(): void;
}

export type CommandHandler = (params: CborMap, ctx: CommandContext) => Promise<CborMap | undefined>;

// ── request parameters ──────────────────────────────────────────────────────────────────────
// CTAP 2.1 §8 / §6: a parameter of the wrong CBOR type is CTAP2_ERR_CBOR_UNEXPECTED_TYPE, a
// required one that is absent CTAP2_ERR_MISSING_PARAMETER. Every handler reads through these.

interface ParamTypes {
  uint: number;
  int: number;
  bytes: Uint8Array;
  text: string;
  bool: boolean;
  map: CborMap;
  array: CborValue[];
}
export type ParamType = keyof ParamTypes;

function isType(value: CborValue, type: ParamType): boolean {
  switch (type) {
    case 'uint':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'bytes':
      return value instanceof Uint8Array;
    case 'text':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'map':
      return value instanceof Map;
    case 'array':
      return Array.isArray(value);
  }
}

/** A parameter that may be absent. @throws StatusError CBOR_UNEXPECTED_TYPE for a wrong type. */
export function optionalParam<T extends ParamType>(params: CborMap, key: CborKey, type: T): ParamTypes[T] | undefined {
  const value = params.get(key);
  if (value === undefined) return undefined;
  if (!isType(value, type)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE, `parameter ${String(key)} must be ${type}`);
  return value as ParamTypes[T];
}

/** A parameter that must be present. @throws StatusError MISSING_PARAMETER / CBOR_UNEXPECTED_TYPE. */
export function requireParam<T extends ParamType>(params: CborMap, key: CborKey, type: T): ParamTypes[T] {
  const value = optionalParam(params, key, type);
  if (value === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER, `parameter ${String(key)} is missing`);
  return value;
}

/** A required byte string. @throws StatusError MISSING_PARAMETER / CBOR_UNEXPECTED_TYPE. */
export function requireBytes(value: CborValue | undefined): Uint8Array {
  if (value === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER);
  if (!(value instanceof Uint8Array)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value;
}

/** A required text string. @throws StatusError MISSING_PARAMETER / CBOR_UNEXPECTED_TYPE. */
export function requireText(value: CborValue | undefined): string {
  if (value === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER);
  if (typeof value !== 'string') throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value;
}

/** A required map. @throws StatusError MISSING_PARAMETER / CBOR_UNEXPECTED_TYPE. */
export function requireMap(value: CborValue | undefined): CborMap {
  if (value === undefined) throw new StatusError(CtapStatus.MISSING_PARAMETER);
  if (!(value instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value;
}

export function optionalBytes(value: CborValue | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : requireBytes(value);
}

export function optionalText(value: CborValue | undefined): string | null {
  return value === undefined ? null : requireText(value);
}

export function optionalUint(value: CborValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE);
  return value;
}
