/**
 * The virtual key's CTAP2 authenticator: request bytes in, response bytes out — CTAP 2.1 §8
 * "Message Encoding" (command byte + CBOR map → status byte + CBOR map), §6 command dispatch,
 * §6.6 reset window, plus the firmware quirks a preset names. Transports (hid-device.ts,
 * card.ts) only move bytes to `handle()`; every protocol decision is made here or in handlers/.
 * @module
 */
import { decodeStrict, encodeCanonical, type CborMap } from '../cbor.js';
import { Ctap2Command } from '../ctap2/commands.js';
import { CancelledError } from '../errors.js';
import { CtapStatus } from '../status.js';
import type { KeepaliveStatus } from '../transport/transport.js';
import type { VirtualKeyConfig } from './config.js';
import { handleAuthenticatorConfig } from './handlers/authenticator-config.js';
import { handleBioEnrollment, handleBioEnrollmentPreview } from './handlers/bio-enrollment.js';
import { clientPin } from './handlers/client-pin.js';
import { StatusError, type CommandContext, type CommandHandler } from './handlers/context.js';
import { handleCredentialManagement, handleCredentialManagementPreview } from './handlers/credential-management.js';
import { handleGetAssertion, handleGetNextAssertion } from './handlers/get-assertion.js';
import { getInfo } from './handlers/get-info.js';
import { handleLargeBlobs } from './handlers/large-blobs.js';
import { handleMakeCredential } from './handlers/make-credential.js';
import { handleReset, handleSelection } from './handlers/reset.js';
import { invalidateToken } from './handlers/token.js';
import { FaultPlan } from './faults.js';
import type { Presence } from './presence.js';
import { newPowerUpState, type PowerUpState, type VirtualKeyState } from './state.js';

/** What the transport tells the authenticator about one request. */
export interface AuthenticatorIo {
  transport: 'usb' | 'nfc';
  /** CTAPHID channel id; 0 for NFC. */
  channel: number;
  /** Fires on CTAPHID_CANCEL / NFC cancel / removal. */
  signal: AbortSignal;
  /** The transport turns this into CTAPHID_KEEPALIVE frames or NFC 0x9100 status. */
  keepalive(status: KeepaliveStatus): void;
}

export interface VirtualAuthenticatorOptions {
  config: VirtualKeyConfig;
  state: VirtualKeyState;
  presence: Presence;
  clock: () => number;
  /** Called after every change that must survive a replug (the state file is written here). */
  onStateChange?: (state: VirtualKeyState) => void;
  /**
   * A handler failed with something other than StatusError — a simulator bug. The key answers
   * CTAP1_ERR_OTHER as real firmware does on an internal fault; tests hook this to fail loudly.
   */
  onInternalError?: (error: unknown) => void;
}

/** One line per command byte; each family's handler lives in handlers/. */
const builtInHandlers: [number, CommandHandler][] = [
  [Ctap2Command.GET_INFO, getInfo],
  [Ctap2Command.CLIENT_PIN, clientPin],
  [Ctap2Command.CREDENTIAL_MANAGEMENT, handleCredentialManagement],
  [Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, handleCredentialManagementPreview],
  [Ctap2Command.BIO_ENROLLMENT, handleBioEnrollment],
  [Ctap2Command.BIO_ENROLLMENT_PREVIEW, handleBioEnrollmentPreview],
  [Ctap2Command.CONFIG, handleAuthenticatorConfig],
  [Ctap2Command.MAKE_CREDENTIAL, handleMakeCredential],
  [Ctap2Command.GET_ASSERTION, handleGetAssertion],
  [Ctap2Command.GET_NEXT_ASSERTION, handleGetNextAssertion],
  [Ctap2Command.RESET, handleReset],
  [Ctap2Command.SELECTION, handleSelection],
  [Ctap2Command.LARGE_BLOBS, handleLargeBlobs],
];

/**
 * Commands that leave the reset permission alone on keys that drop it after any other command
 * (OpenSK: getInfo and selection are allowed before reset, and reset itself).
 */
const resetNeutralCommands = new Set<number>([Ctap2Command.GET_INFO, Ctap2Command.SELECTION, Ctap2Command.RESET]);

/**
 * Whether this key implements `command` at all. A 2.1-PRE key has only the preview commands
 * 0x40/0x41 and a 2.1 key only 0x09/0x0A (as this preset set models them); anything absent
 * is answered CTAP1_ERR_INVALID_COMMAND as by a real key (§8.2).
 */
function implemented(config: VirtualKeyConfig, command: number): boolean {
  const { supports } = config;
  if (!supports.ctap2) return false;
  switch (command) {
    case Ctap2Command.CLIENT_PIN:
      return supports.clientPin;
    case Ctap2Command.CREDENTIAL_MANAGEMENT:
      return supports.credMgmt === 'full';
    case Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW:
      return supports.credMgmt === 'preview';
    case Ctap2Command.BIO_ENROLLMENT:
      return supports.bio === 'full';
    case Ctap2Command.BIO_ENROLLMENT_PREVIEW:
      return supports.bio === 'preview';
    case Ctap2Command.CONFIG:
      return supports.config;
    case Ctap2Command.SELECTION:
      return supports.selection;
    case Ctap2Command.LARGE_BLOBS:
      return config.options.largeBlobs === true;
    default:
      return true;
  }
}

export class VirtualAuthenticator {
  readonly config: VirtualKeyConfig;
  readonly state: VirtualKeyState;
  /** Replaceable between requests (VirtualKey.presence forwards here). */
  presence: Presence;
  /** The faults switched on in `config` (faults.ts); the transports consult it too. */
  readonly faults: FaultPlan;
  readonly #clock: () => number;
  readonly #onStateChange: ((state: VirtualKeyState) => void) | undefined;
  readonly #onInternalError: ((error: unknown) => void) | undefined;
  readonly #handlers = new Map<number, CommandHandler>(builtInHandlers);
  #powerUp: PowerUpState;
  /** The first CTAPHID channel that spoke after power-up (the other-channel reset quirk). */
  #firstChannel: number | null = null;
  /** The command that may continue `powerUp.pending` (GetNext…); any other command drops it. */
  #pendingContinuation: number | null = null;

  constructor(options: VirtualAuthenticatorOptions) {
    this.config = options.config;
    this.state = options.state;
    this.presence = options.presence;
    this.#clock = options.clock;
    this.#onStateChange = options.onStateChange;
    this.#onInternalError = options.onInternalError;
    this.#powerUp = newPowerUpState(this.#clock());
    this.faults = new FaultPlan({ names: options.config.faults, afterCommands: options.config.faultAfterCommands, delayMs: options.config.faultDelayMs });
  }

  /** The per-power-up state, with the reset window brought up to date. */
  get powerUpState(): PowerUpState {
    this.#refreshResetWindow();
    return this.#powerUp;
  }

  /**
   * Power the key up (insertion, NFC field on): §6.5.2 new key agreement and no token, the
   * per-boot PIN counter cleared, and the reset window (§6.6) starting now.
   */
  powerUp(): void {
    invalidateToken({ powerUp: this.#powerUp });
    this.#powerUp.keyAgreement.secretKey.fill(0);
    this.#powerUp = newPowerUpState(this.#clock());
    this.#firstChannel = null;
  }

  /** Add or replace the handler of one command byte (vendor commands, fault injection in tests). */
  registerHandler(command: number, handler: CommandHandler): void {
    if (!Number.isInteger(command) || command < 0 || command > 0xff) throw new RangeError(`command must be a byte, got ${command}`);
    this.#handlers.set(command, handler);
  }

  /**
   * Note CTAPHID traffic on `channel` (any command, not only CBOR). OpenSK-like keys revoke the
   * reset permission once a second channel speaks after power-up.
   */
  observeChannel(channel: number): void {
    if (this.#firstChannel === null) {
      this.#firstChannel = channel;
    } else if (channel !== this.#firstChannel && this.config.reset.dropsPermissionOnOtherChannel) {
      this.#powerUp.resetPermission = false;
    }
  }

  /** Answer one CTAP2 request (command byte + CBOR) with status byte + CBOR. Never rejects. */
  async handle(request: Uint8Array, io: AuthenticatorIo): Promise<Uint8Array> {
    if (request.length === 0) return statusOnly(CtapStatus.INVALID_LENGTH);
    const command = request[0]!;
    const subCommand = command === Ctap2Command.CLIENT_PIN ? clientPinSubCommand(request) : undefined;
    const refusal = this.faults.refusal(command, subCommand);
    const answer = refusal !== null ? statusOnly(refusal) : this.faults.rewrite(command, subCommand, await this.#answer(command, request, io));
    this.faults.countCommand();
    return answer;
  }

  async #answer(command: number, request: Uint8Array, io: AuthenticatorIo): Promise<Uint8Array> {
    if (io.transport === 'usb') this.observeChannel(io.channel);
    this.#refreshResetWindow();
    if (this.config.reset.dropsPermissionAfterOtherCommands && !resetNeutralCommands.has(command)) {
      this.#powerUp.resetPermission = false;
    }

    // §6.3, §6.7, §6.8: an enumeration, assertion batch or enrollment lives only until the
    // platform sends anything else (real keys drop it; FIDO2Applet#54 shows clients must not
    // interleave commands).
    if (this.#powerUp.pending && command !== this.#pendingContinuation) this.#powerUp.pending = null;

    const handler = this.#handlers.get(command);
    if (!handler || !implemented(this.config, command)) return statusOnly(CtapStatus.INVALID_COMMAND);
    if (request.length > this.config.maxMsgSize) return statusOnly(CtapStatus.REQUEST_TOO_LARGE);

    try {
      const params = decodeParams(request.subarray(1));
      const result = await handler(params, this.#context(io));
      this.#pendingContinuation = command === Ctap2Command.GET_ASSERTION ? Ctap2Command.GET_NEXT_ASSERTION : command;
      if (!result) return statusOnly(CtapStatus.OK);
      const body = encodeCanonical(result);
      const response = new Uint8Array(1 + body.length);
      response.set(body, 1);
      return response;
    } catch (error) {
      if (error instanceof StatusError) return statusOnly(error.status);
      if (io.signal.aborted) return statusOnly(CtapStatus.KEEPALIVE_CANCEL);
      this.#onInternalError?.(error);
      return statusOnly(CtapStatus.OTHER);
    }
  }

  /** §6.6: reset only within `windowMs` of power-up; computed lazily from the injected clock. */
  #refreshResetWindow(): void {
    if (this.#clock() - this.#powerUp.poweredAt > this.config.reset.windowMs) this.#powerUp.resetPermission = false;
  }

  #context(io: AuthenticatorIo): CommandContext {
    return {
      config: this.config,
      state: this.state,
      powerUp: this.#powerUp,
      transport: io.transport,
      channel: io.channel,
      signal: io.signal,
      keepalive: (status) => io.keepalive(status),
      userPresence: () => this.#userPresence(io),
      now: () => this.#clock(),
      commit: () => this.#onStateChange?.(this.state),
    };
  }

  /**
   * A test of user presence: keepalive UPNEEDED while waiting (§11.2.9.2.1), then touched → ok,
   * declined → OPERATION_DENIED, nothing within the touch timeout → the preset's status (0x2F
   * per spec, 0x3A on YubiKeys), host cancel → KEEPALIVE_CANCEL (§11.2.9.1.5).
   */
  async #userPresence(io: AuthenticatorIo): Promise<void> {
    if (io.signal.aborted) throw new StatusError(CtapStatus.KEEPALIVE_CANCEL);
    io.keepalive('user-presence-needed');
    let result: Awaited<ReturnType<Presence['wait']>>;
    try {
      result = await this.presence.wait({ signal: io.signal, timeoutMs: this.config.touchTimeoutMs });
    } catch (error) {
      if (error instanceof CancelledError) throw new StatusError(CtapStatus.KEEPALIVE_CANCEL);
      throw error;
    } finally {
      io.keepalive('processing');
    }
    if (result === 'denied') throw new StatusError(CtapStatus.OPERATION_DENIED, 'the user declined');
    if (result === 'timeout') throw new StatusError(this.config.touchTimeoutStatus, 'no touch in time');
  }
}

/** clientPIN's subCommand (§6.5.5.1 key 0x02), for the faults that refuse PIN use; undefined when unreadable. */
function clientPinSubCommand(request: Uint8Array): unknown {
  try {
    return decodeParams(request.subarray(1)).get(0x02);
  } catch {
    return undefined;
  }
}

function statusOnly(status: number): Uint8Array {
  return Uint8Array.of(status);
}

/**
 * §8: the parameters are one CBOR map (or nothing). Malformed or non-canonical CBOR →
 * INVALID_CBOR; a well-formed item that is not a map → CBOR_UNEXPECTED_TYPE.
 */
function decodeParams(body: Uint8Array): CborMap {
  if (body.length === 0) return new Map();
  let value;
  try {
    value = decodeStrict(body);
  } catch {
    throw new StatusError(CtapStatus.INVALID_CBOR, 'request CBOR is malformed or not canonical');
  }
  if (!(value instanceof Map)) throw new StatusError(CtapStatus.CBOR_UNEXPECTED_TYPE, 'request parameters must be a map');
  return value;
}
