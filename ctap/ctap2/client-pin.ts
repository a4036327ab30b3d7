/**
 * authenticatorClientPIN (0x06), platform side — CTAP 2.1 §6.5.5: PIN and UV retries, key
 * agreement, setPIN, changePIN, and pinUvAuthTokens (with permissions on 2.1 keys, the legacy
 * getPinToken on 2.0 / 2.1-PRE keys). Modelled on python-fido2's ClientPin.
 *
 * PINs are normalised and checked on the host (ctap2/pin.ts) before anything is sent, so a PIN the
 * key must refuse never costs a retry. PIN bytes, hashes and shared secrets are zeroed after use;
 * a token's bytes are zeroed by its `dispose()`.
 * @module
 */
import { equalBytes } from '../bytes.js';
import { concatBytes } from '@noble/hashes/utils.js';
import type { CborMap, CborValue } from '../cbor.js';
import { PinPolicyError, ProtocolError, UnsupportedError } from '../errors.js';
import type { KeepaliveStatus } from '../transport/transport.js';
import { Ctap2Command } from './commands.js';
import { isPinSet, preferredPinProtocols, supportsClientPin, supportsPermissions, type AuthenticatorInfo } from './info.js';
import { MIN_PIN_CODE_POINTS, padPin, preparePin } from './pin.js';
import { pinProtocol, type PinUvAuthProtocol } from './pin-protocol.js';
import { responseParser } from './parse.js';
import type { Ctap2Session } from './session.js';
import { sha256 } from './sha256.js';

const { requireUint } = responseParser('clientPIN');

/** §6.5.5.7 pinUvAuthToken permissions. */
export const Permission = { mc: 0x01, ga: 0x02, cm: 0x04, be: 0x08, lbw: 0x10, acfg: 0x20 } as const;

/** Every permission bit this code knows; a legacy token from a pre-2.1 key acts with all of them. */
const ALL_PERMISSIONS = Object.values(Permission).reduce((all, bit) => all | bit, 0);

/** §6.5.5.1 subCommand values (0x08 is unused by the spec). */
export const ClientPinSubCommand = {
  getPinRetries: 0x01,
  getKeyAgreement: 0x02,
  setPin: 0x03,
  changePin: 0x04,
  getPinToken: 0x05,
  getPinUvAuthTokenUsingUvWithPermissions: 0x06,
  getUvRetries: 0x07,
  getPinUvAuthTokenUsingPinWithPermissions: 0x09,
} as const;

/** §6.5.5.1 request parameter keys. */
export const ClientPinParam = {
  pinUvAuthProtocol: 0x01,
  subCommand: 0x02,
  keyAgreement: 0x03,
  pinUvAuthParam: 0x04,
  newPinEnc: 0x05,
  pinHashEnc: 0x06,
  permissions: 0x09,
  rpId: 0x0a,
} as const;

/** §6.5.5.1 response keys. */
export const ClientPinResponse = {
  keyAgreement: 0x01,
  pinUvAuthToken: 0x02,
  pinRetries: 0x03,
  powerCycleState: 0x04,
  uvRetries: 0x05,
} as const;

/** A pinUvAuthToken held by the platform. It never leaves the ctap/main layer. */
export interface PinUvAuthToken {
  readonly protocol: PinUvAuthProtocol;
  /** The token bytes; all zero after `dispose()`. */
  readonly token: Uint8Array;
  /**
   * Permissions granted (§6.5.5.7). A legacy token reports every bit on a pre-2.1 key (which has
   * no permissions), but only mc and ga on a 2.1 key (§6.5.5.7.1).
   */
  readonly permissions: number;
  readonly rpId?: string;
  /** Obtained with the pre-2.1 getPinToken (no permissions, accepted by 2.1-PRE preview commands). */
  readonly legacy: boolean;
  /** Zero the token bytes. */
  dispose(): void;
}

export interface ClientPinCallOptions {
  signal?: AbortSignal;
}

export interface TokenOptions extends ClientPinCallOptions {
  /** Permission bits (Permission.*); at least one is required (§6.5.5.7 step 1). */
  permissions: number;
  /** Required by mc/ga, optional for cm (scopes the token to one RP). */
  rpId?: string;
}

export interface UvTokenOptions extends TokenOptions {
  /** A UV-capable key may wait for a finger; keepalive changes are reported here. */
  onKeepalive?: (status: KeepaliveStatus) => void;
}

export interface PinRetries {
  retries: number;
  /** §6.5.5.2: true when the key wants a power cycle before it accepts a PIN again; null if not reported. */
  powerCycleState: boolean | null;
}

/** One shared secret with the key: the platform's keyAgreement to send and the secret to use. */
interface Agreement {
  keyAgreement: CborMap;
  sharedSecret: Uint8Array;
}

export class ClientPin {
  /** True when the key has the clientPin capability at all (a PIN may or may not be set). */
  static isSupported(info: AuthenticatorInfo): boolean {
    return supportsClientPin(info);
  }

  constructor(
    private readonly session: Ctap2Session,
    /** Defaults to the best protocol the key offers (2, then 1), decided at first use. */
    private readonly protocolOverride?: PinUvAuthProtocol,
  ) {}

  /** §6.5.5.2 getPINRetries. */
  async getPinRetries(options: ClientPinCallOptions = {}): Promise<PinRetries> {
    const { protocol } = await this.prepare(options.signal);
    const response = await this.call(protocol, ClientPinSubCommand.getPinRetries, new Map(), options);
    const powerCycleState = response.get(ClientPinResponse.powerCycleState);
    if (powerCycleState !== undefined && typeof powerCycleState !== 'boolean') {
      throw new ProtocolError('clientPIN: powerCycleState must be a boolean.');
    }
    return { retries: requireUint(response, ClientPinResponse.pinRetries, 'pinRetries'), powerCycleState: powerCycleState ?? null };
  }

  /** §6.5.5.3 getUVRetries: built-in user verification attempts left. */
  async getUvRetries(options: ClientPinCallOptions = {}): Promise<{ retries: number }> {
    const { info, protocol } = await this.prepare(options.signal);
    if (info.options.uv === undefined) throw new UnsupportedError('uv', 'This security key has no built-in user verification (such as a fingerprint sensor).');
    const response = await this.call(protocol, ClientPinSubCommand.getUvRetries, new Map(), options);
    return { retries: requireUint(response, ClientPinResponse.uvRetries, 'uvRetries') };
  }

  /** §6.5.5.5 setPIN: only when no PIN is set yet. */
  async setPin(pin: string, options: ClientPinCallOptions = {}): Promise<void> {
    const { info, protocol } = await this.prepare(options.signal);
    if (isPinSet(info)) throw new UnsupportedError('setPin', 'This security key already has a PIN. Change it instead.');
    const pinBytes = preparePin(pin, { minLength: info.minPINLength, maxBytes: info.maxPINLength });
    const padded = padPin(pinBytes);
    pinBytes.fill(0);
    let agreement: Agreement | undefined;
    try {
      agreement = await this.agree(protocol, options);
      const newPinEnc = protocol.encrypt(agreement.sharedSecret, padded);
      const params = new Map<number, CborValue>([
        [ClientPinParam.keyAgreement, agreement.keyAgreement],
        [ClientPinParam.pinUvAuthParam, protocol.authenticate(agreement.sharedSecret, newPinEnc)],
        [ClientPinParam.newPinEnc, newPinEnc],
      ]);
      await this.call(protocol, ClientPinSubCommand.setPin, params, options);
    } finally {
      padded.fill(0);
      agreement?.sharedSecret.fill(0);
    }
  }

  /** §6.5.5.6 changePIN: `current` is checked only against the spec's floor (the key's minimum may have risen since). */
  async changePin(current: string, next: string, options: ClientPinCallOptions = {}): Promise<void> {
    const { info, protocol } = await this.prepare(options.signal);
    this.requirePinSet(info, 'changePin');
    const currentBytes = prepareCurrentPin(current, info);
    let nextBytes: Uint8Array;
    try {
      nextBytes = preparePin(next, { minLength: info.minPINLength, maxBytes: info.maxPINLength });
    } catch (error) {
      currentBytes.fill(0);
      throw error;
    }
    if (equalBytes(currentBytes, nextBytes)) {
      currentBytes.fill(0);
      nextBytes.fill(0);
      throw new PinPolicyError('same-as-current', Math.max(MIN_PIN_CODE_POINTS, info.minPINLength), 'The new PIN must be different from the current one.');
    }
    const padded = padPin(nextBytes);
    nextBytes.fill(0);
    const pinHash = leftHash(currentBytes);
    currentBytes.fill(0);
    let agreement: Agreement | undefined;
    try {
      agreement = await this.agree(protocol, options);
      const pinHashEnc = protocol.encrypt(agreement.sharedSecret, pinHash);
      const newPinEnc = protocol.encrypt(agreement.sharedSecret, padded);
      // §6.5.5.6: pinUvAuthParam = authenticate(sharedSecret, newPinEnc ‖ pinHashEnc).
      const params = new Map<number, CborValue>([
        [ClientPinParam.keyAgreement, agreement.keyAgreement],
        [ClientPinParam.pinUvAuthParam, protocol.authenticate(agreement.sharedSecret, concatBytes(newPinEnc, pinHashEnc))],
        [ClientPinParam.newPinEnc, newPinEnc],
        [ClientPinParam.pinHashEnc, pinHashEnc],
      ]);
      await this.call(protocol, ClientPinSubCommand.changePin, params, options);
    } finally {
      padded.fill(0);
      pinHash.fill(0);
      agreement?.sharedSecret.fill(0);
    }
  }

  /** §6.5.5.7.1 getPinToken (0x05): the pre-2.1 token without permissions. */
  async getPinToken(pin: string, options: ClientPinCallOptions = {}): Promise<PinUvAuthToken> {
    const { info, protocol } = await this.prepare(options.signal);
    this.requirePinSet(info, 'getPinToken');
    // §6.5.5.7.1: a 2.1 key still answers the superseded getPinToken, but its token carries only
    // mc and ga; pre-2.1 keys have no permissions, so the token does everything.
    const permissions = supportsPermissions(info) ? Permission.mc | Permission.ga : ALL_PERMISSIONS;
    return this.tokenWithPin({ protocol, info, pin, subCommand: ClientPinSubCommand.getPinToken, permissions, options });
  }

  /** §6.5.5.7.2 getPinUvAuthTokenUsingPinWithPermissions (0x09), CTAP 2.1 keys only. */
  async getPinUvAuthTokenUsingPin(pin: string, options: TokenOptions): Promise<PinUvAuthToken> {
    checkPermissions(options);
    const { info, protocol } = await this.prepare(options.signal);
    this.requirePermissionTokens(info);
    this.requirePinSet(info, 'getPinUvAuthTokenUsingPin');
    // §6.4 noMcGaPermissionsWithClientPin: such a key signs in only with its built-in UV.
    if (info.options.noMcGaPermissionsWithClientPin === true && (options.permissions & (Permission.mc | Permission.ga)) !== 0) {
      throw new UnsupportedError('noMcGaPermissionsWithClientPin', 'This security key does not accept its PIN for signing in; use its fingerprint sensor instead.');
    }
    return this.tokenWithPin({
      protocol,
      info,
      pin,
      subCommand: ClientPinSubCommand.getPinUvAuthTokenUsingPinWithPermissions,
      permissions: options.permissions,
      rpId: options.rpId,
      options,
    });
  }

  /** §6.5.5.7.3 getPinUvAuthTokenUsingUvWithPermissions (0x06): the key verifies the user itself. */
  async getPinUvAuthTokenUsingUv(options: UvTokenOptions): Promise<PinUvAuthToken> {
    checkPermissions(options);
    const { info, protocol } = await this.prepare(options.signal);
    this.requirePermissionTokens(info);
    if (info.options.uv !== true) {
      throw new UnsupportedError('uv', 'This security key cannot verify you by itself (no fingerprint enrolled or no sensor).');
    }
    const agreement = await this.agree(protocol, options);
    try {
      const params = new Map<number, CborValue>([
        [ClientPinParam.keyAgreement, agreement.keyAgreement],
        [ClientPinParam.permissions, options.permissions],
      ]);
      if (options.rpId !== undefined) params.set(ClientPinParam.rpId, options.rpId);
      const response = await this.call(protocol, ClientPinSubCommand.getPinUvAuthTokenUsingUvWithPermissions, params, options);
      return decryptToken({ protocol, sharedSecret: agreement.sharedSecret, response, permissions: options.permissions, rpId: options.rpId, legacy: false });
    } finally {
      agreement.sharedSecret.fill(0);
    }
  }

  /**
   * A token for `permissions` with the PIN: permission-scoped on CTAP 2.1 keys (option
   * pinUvAuthToken), the legacy getPinToken on 2.0 and 2.1-PRE keys (python-fido2 does the same).
   */
  async getToken(pin: string, options: TokenOptions): Promise<PinUvAuthToken> {
    checkPermissions(options);
    const info = await this.session.getInfo({ signal: options.signal });
    return supportsPermissions(info) ? this.getPinUvAuthTokenUsingPin(pin, options) : this.getPinToken(pin, options);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private async prepare(signal: AbortSignal | undefined): Promise<{ info: AuthenticatorInfo; protocol: PinUvAuthProtocol }> {
    const info = await this.session.getInfo({ signal });
    if (!supportsClientPin(info)) throw new UnsupportedError('clientPin', 'This security key does not support a PIN.');
    const offered = preferredPinProtocols(info);
    if (this.protocolOverride) {
      if (!offered.includes(this.protocolOverride.version)) {
        throw new UnsupportedError('pinUvAuthProtocol', `This security key does not offer PIN protocol ${this.protocolOverride.version}.`);
      }
      return { info, protocol: this.protocolOverride };
    }
    const best = offered[0];
    if (best === undefined) throw new UnsupportedError('pinUvAuthProtocol', 'This security key offers no PIN protocol this app knows.');
    return { info, protocol: pinProtocol(best) };
  }

  private requirePinSet(info: AuthenticatorInfo, feature: string): void {
    if (!isPinSet(info)) throw new UnsupportedError(feature, 'This security key has no PIN yet. Set one first.');
  }

  private requirePermissionTokens(info: AuthenticatorInfo): void {
    if (!supportsPermissions(info)) {
      throw new UnsupportedError('pinUvAuthToken', 'This security key does not support permission-scoped PIN tokens (CTAP 2.1).');
    }
  }

  /** §6.5.5.4 getKeyAgreement, then encapsulate: a fresh ephemeral key and shared secret per operation. */
  private async agree(protocol: PinUvAuthProtocol, options: ClientPinCallOptions): Promise<Agreement> {
    const response = await this.call(protocol, ClientPinSubCommand.getKeyAgreement, new Map(), options);
    const peer = response.get(ClientPinResponse.keyAgreement);
    if (!(peer instanceof Map)) throw new ProtocolError('clientPIN: keyAgreement missing from the response.');
    return protocol.encapsulate(peer);
  }

  private async tokenWithPin(args: {
    protocol: PinUvAuthProtocol;
    info: AuthenticatorInfo;
    pin: string;
    subCommand: number;
    permissions: number;
    rpId?: string;
    options: ClientPinCallOptions;
  }): Promise<PinUvAuthToken> {
    const { protocol, subCommand } = args;
    const pinBytes = prepareCurrentPin(args.pin, args.info);
    const pinHash = leftHash(pinBytes);
    pinBytes.fill(0);
    let agreement: Agreement | undefined;
    try {
      agreement = await this.agree(protocol, args.options);
      const params = new Map<number, CborValue>([
        [ClientPinParam.keyAgreement, agreement.keyAgreement],
        [ClientPinParam.pinHashEnc, protocol.encrypt(agreement.sharedSecret, pinHash)],
      ]);
      const legacy = subCommand === ClientPinSubCommand.getPinToken;
      if (!legacy) {
        params.set(ClientPinParam.permissions, args.permissions);
        if (args.rpId !== undefined) params.set(ClientPinParam.rpId, args.rpId);
      }
      const response = await this.call(protocol, subCommand, params, args.options);
      return decryptToken({ protocol, sharedSecret: agreement.sharedSecret, response, permissions: args.permissions, rpId: legacy ? undefined : args.rpId, legacy });
    } finally {
      pinHash.fill(0);
      agreement?.sharedSecret.fill(0);
    }
  }

  private async call(
    protocol: PinUvAuthProtocol,
    subCommand: number,
    params: Map<number, CborValue>,
    options: ClientPinCallOptions & { onKeepalive?: (status: KeepaliveStatus) => void },
  ): Promise<CborMap> {
    // §6.5.5.1: pinUvAuthProtocol accompanies every subcommand (python-fido2 and libfido2 send it for retries too).
    params.set(ClientPinParam.pinUvAuthProtocol, protocol.version);
    params.set(ClientPinParam.subCommand, subCommand);
    const response = await this.session.send(Ctap2Command.CLIENT_PIN, params, { signal: options.signal, onKeepalive: options.onKeepalive });
    return response ?? new Map();
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

/** The PIN the key already has: only the spec's floor applies (the key's minimum may have risen). */
function prepareCurrentPin(pin: string, info: AuthenticatorInfo): Uint8Array {
  return preparePin(pin, { minLength: MIN_PIN_CODE_POINTS, maxBytes: info.maxPINLength });
}

/** §6.5.5.5: the key stores and compares LEFT(SHA-256(pin), 16). */
function leftHash(pinBytes: Uint8Array): Uint8Array {
  const digest = sha256(pinBytes);
  const left = digest.slice(0, 16);
  digest.fill(0);
  return left;
}

function checkPermissions(options: TokenOptions): void {
  if (!Number.isInteger(options.permissions) || options.permissions <= 0 || options.permissions > 0xff) {
    // §6.5.5.7: a zero permissions value is CTAP1_ERR_INVALID_PARAMETER on the key; refuse it here.
    throw new RangeError('permissions must be a non-zero set of Permission bits.');
  }
  if ((options.permissions & (Permission.mc | Permission.ga)) !== 0 && options.rpId === undefined) {
    throw new RangeError('The mc and ga permissions need an rpId (§6.5.5.7).');
  }
}

function decryptToken(args: {
  protocol: PinUvAuthProtocol;
  sharedSecret: Uint8Array;
  response: CborMap;
  permissions: number;
  rpId: string | undefined;
  legacy: boolean;
}): PinUvAuthToken {
  const encrypted = args.response.get(ClientPinResponse.pinUvAuthToken);
  if (!(encrypted instanceof Uint8Array)) throw new ProtocolError('clientPIN: pinUvAuthToken missing from the response.');
  const token = args.protocol.decrypt(args.sharedSecret, encrypted);
  // §6.5.7: protocol 2 tokens are 32 bytes; §6.5.6: protocol 1 tokens from a 2.1 key are 16 or
  // 32 bytes. The legacy getPinToken also serves CTAP 2.0 keys, whose spec (§5.5.4) allowed any
  // multiple of 16 bytes: accept every whole number of AES blocks there (Chromium's
  // TokenResponse::Parse does the same).
  const valid =
    args.protocol.version === 2
      ? token.length === 32
      : args.legacy
        ? token.length > 0 && token.length % 16 === 0
        : token.length === 16 || token.length === 32;
  if (!valid) {
    token.fill(0);
    throw new ProtocolError(`clientPIN: a protocol ${args.protocol.version} token cannot be ${token.length} bytes.`);
  }
  return {
    protocol: args.protocol,
    token,
    permissions: args.permissions,
    ...(args.rpId !== undefined ? { rpId: args.rpId } : {}),
    legacy: args.legacy,
    dispose: () => token.fill(0),
  };
}
