/**
 * Typed errors of the protocol library. Every failure that leaves ctap/ is a FidoError subclass
 * with a stable `code`, so main/ can map it to plain words in one table (DESIGN.md "Errors").
 * Library-internal failures are kept apart from statuses the key sent (as libfido2 does).
 * @module
 */
import { statusName } from './status.js';
import { hex } from './bytes.js';

export type FidoErrorCode =
  | 'CTAP_STATUS'
  | 'TRANSPORT'
  | 'PROTOCOL'
  | 'UNSUPPORTED'
  | 'PIN_POLICY'
  | 'CANCELLED';

export abstract class FidoError extends Error {
  abstract readonly code: FidoErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The key answered a command with a non-zero CTAP status byte. */
export class CtapError extends FidoError {
  readonly code = 'CTAP_STATUS' as const;
  readonly statusName: string;
  constructor(
    readonly status: number,
    /** The CTAP command byte that failed (authenticatorClientPIN = 0x06 …), or -1 when unknown. */
    readonly command: number,
    options?: { cause?: unknown },
  ) {
    super(`${statusName(status)} (${hex(status)}) from command ${hex(command)}`, options);
    this.statusName = statusName(status);
  }
}

export type TransportErrorKind =
  /** The device went away (unplugged, card lifted, reader removed). */
  | 'disconnected'
  /** No (complete) answer in time. */
  | 'timeout'
  /** Another client holds the device/channel and it stayed busy. */
  | 'busy'
  /** The OS refused access (Linux hidraw permissions, Windows FIDO elevation). */
  | 'permission'
  /** Any other read/write failure of the OS layer. */
  | 'io'
  /** The device answered with a malformed transport frame (bad CID, sequence, length). */
  | 'framing'
  /** An ISO 7816 status word that is not success. */
  | 'status-word'
  /** A CTAPHID ERROR frame (CTAP1 error code in `ctapStatus`). */
  | 'hid-error'
  /** The device does not speak the protocol we need (no FIDO applet, U2F only, …). */
  | 'not-fido';

/** Below CTAP: the bytes could not be moved, or the frame around them was wrong. */
export class TransportError extends FidoError {
  readonly code = 'TRANSPORT' as const;
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly details: { sw?: number; ctapStatus?: number; guidance?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The key's answer decoded but broke the protocol (non-canonical CBOR, wrong types, bad MAC). */
export class ProtocolError extends FidoError {
  readonly code = 'PROTOCOL' as const;
}

/** The key lacks a capability the operation needs (decided from getInfo before sending). */
export class UnsupportedError extends FidoError {
  readonly code = 'UNSUPPORTED' as const;
  constructor(
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}

export type PinPolicyReason = 'too-short' | 'too-long' | 'not-a-string' | 'same-as-current';

/** A PIN was refused on the host, before anything was sent to the key. */
export class PinPolicyError extends FidoError {
  readonly code = 'PIN_POLICY' as const;
  constructor(
    readonly reason: PinPolicyReason,
    readonly minLength: number,
    message: string,
  ) {
    super(message);
  }
}

/** The caller's AbortSignal fired; the key was told to cancel where the transport allows it. */
export class CancelledError extends FidoError {
  readonly code = 'CANCELLED' as const;
  constructor(message = 'The operation was cancelled.') {
    super(message);
  }
}

/** Throw CancelledError if the signal has fired; call at every await point that can block. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Settle with `promise`, or reject with CancelledError as soon as the signal fires — for waits
 * that cannot themselves be interrupted (an OS read, a queued transaction).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
