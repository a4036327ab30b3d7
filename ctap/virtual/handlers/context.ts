/**
 * What every virtual-key command handler is given, and how it fails. One handler file per
 * command family, named as the client files in ctap/ctap2/ (DESIGN.md "Virtual key").
 * @module
 */
import type { CborMap } from '../../cbor.js';
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
