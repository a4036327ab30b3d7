/**
 * authenticatorConfig — CTAP 2.1 §6.11 (command 0x0D): enterprise attestation (§6.11.1),
 * alwaysUv (§6.11.2) and minimum PIN length (§6.11.4). Shape after python-fido2 `Config`.
 * Requests the key would refuse anyway are refused here first, with words, because some of
 * them cannot be undone (the minimum PIN length only goes up until a reset).
 * @module
 */
import type { CborMap, CborValue } from '../cbor.js';
import { PinPolicyError, UnsupportedError, throwIfAborted } from '../errors.js';
import type { TransactOptions } from '../transport/transport.js';
import type { PinUvAuthToken } from './client-pin.js';
import { Ctap2Command } from './commands.js';
import { supportsConfig, type AuthenticatorInfo } from './info.js';
import { pinUvAuth, subCommandMessage } from './pin-uv-auth-param.js';
import type { Ctap2Session } from './session.js';

/** §6.11 request map keys. */
export const ConfigRequestKey = {
  subCommand: 0x01,
  subCommandParams: 0x02,
  pinUvAuthProtocol: 0x03,
  pinUvAuthParam: 0x04,
} as const;

/** §6.11 sub-commands. */
export const ConfigSubCommand = {
  enableEnterpriseAttestation: 0x01,
  toggleAlwaysUv: 0x02,
  setMinPINLength: 0x03,
} as const;

/** §6.11.4 setMinPINLength subCommandParams keys. */
export const SetMinPinLengthParam = {
  newMinPINLength: 0x01,
  minPinLengthRPIDs: 0x02,
  forceChangePin: 0x03,
} as const;

export interface SetMinPinLengthOptions extends TransactOptions {
  /** New minimum in Unicode code points; must not be lower than the key's current one. */
  minPinLength?: number;
  /** RP IDs allowed to read the minimum through the minPinLength extension (replaces the list). */
  rpIds?: string[];
  /** Make the key demand a new PIN before it can be used again. */
  forceChangePin?: boolean;
}

export class AuthenticatorConfig {
  /** authnrCfg option (§6.4). */
  static isSupported(info: AuthenticatorInfo): boolean {
    return supportsConfig(info);
  }

  /**
   * @param token a pinUvAuthToken with the `acfg` permission. A key with no PIN and alwaysUv off
   *   accepts config commands without one (§6.11 step 4).
   */
  constructor(
    private readonly session: Ctap2Session,
    private readonly token?: PinUvAuthToken,
  ) {}

  /** §6.11.1: only on keys that report the `ep` option (enterprise attestation capable). */
  async enableEnterpriseAttestation(options: TransactOptions = {}): Promise<void> {
    const info = await this.requireConfig(options);
    if (info.options.ep === undefined) {
      throw new UnsupportedError('ep', 'This key does not offer enterprise attestation.');
    }
    await this.call({ subCommand: ConfigSubCommand.enableEnterpriseAttestation }, options);
  }

  /** §6.11.2: flips alwaysUv; only on keys that report the `alwaysUv` option. */
  async toggleAlwaysUv(options: TransactOptions = {}): Promise<void> {
    const info = await this.requireConfig(options);
    if (info.options.alwaysUv === undefined) {
      throw new UnsupportedError('alwaysUv', 'This key cannot be set to always require a PIN or fingerprint.');
    }
    await this.call({ subCommand: ConfigSubCommand.toggleAlwaysUv }, options);
  }

  /**
   * §6.11.4 setMinPINLength. Refused before sending when the key lacks the option, when the new
   * minimum is below the current one (the key would answer PIN_POLICY_VIOLATION: it only goes up
   * until reset), or when there are more RP IDs than maxRPIDsForSetMinPINLength.
   */
  async setMinPinLength(options: SetMinPinLengthOptions): Promise<void> {
    const { minPinLength, rpIds, forceChangePin } = options;
    if (minPinLength === undefined && rpIds === undefined && forceChangePin === undefined) {
      throw new TypeError('setMinPinLength needs a new minimum, RP IDs or forceChangePin.');
    }
    const info = await this.requireConfig(options);
    if (info.options.setMinPINLength !== true) {
      throw new UnsupportedError('setMinPINLength', 'This key cannot change its minimum PIN length.');
    }
    if (minPinLength !== undefined) {
      if (!Number.isInteger(minPinLength) || minPinLength < 4 || minPinLength > 63) {
        throw new TypeError('minPinLength must be an integer from 4 to 63.');
      }
      if (minPinLength < info.minPINLength) {
        throw new PinPolicyError(
          'too-short',
          info.minPINLength,
          `The minimum PIN length is ${info.minPINLength} and can only go up until the key is reset.`,
        );
      }
    }
    if (rpIds !== undefined) {
      if (!rpIds.every((id) => typeof id === 'string' && id.length > 0)) throw new TypeError('rpIds must be non-empty text.');
      const max = info.maxRPIDsForSetMinPINLength ?? 0;
      if (rpIds.length > max) {
        throw new UnsupportedError(
          'maxRPIDsForSetMinPINLength',
          max === 0
            ? 'This key cannot share its minimum PIN length with websites.'
            : `This key can share its minimum PIN length with at most ${max} websites.`,
        );
      }
    }
    const params: CborMap = new Map<number, CborValue>();
    if (minPinLength !== undefined) params.set(SetMinPinLengthParam.newMinPINLength, minPinLength);
    if (rpIds !== undefined) params.set(SetMinPinLengthParam.minPinLengthRPIDs, [...rpIds]);
    if (forceChangePin !== undefined) params.set(SetMinPinLengthParam.forceChangePin, forceChangePin);
    await this.call({ subCommand: ConfigSubCommand.setMinPINLength, params }, options);
  }

  private async requireConfig(options: TransactOptions): Promise<AuthenticatorInfo> {
    const info = await this.session.getInfo(options);
    if (!supportsConfig(info)) throw new UnsupportedError('authnrCfg', 'This key has no settings that can be changed.');
    return info;
  }

  private async call(call: { subCommand: number; params?: CborMap }, options: TransactOptions): Promise<void> {
    const { subCommand, params } = call;
    throwIfAborted(options.signal);
    const request: CborMap = new Map<number, CborValue>([[ConfigRequestKey.subCommand, subCommand]]);
    if (params) request.set(ConfigRequestKey.subCommandParams, params);
    if (this.token) {
      // §6.11 step 4: authenticate(token, 32×0xff ‖ 0x0d ‖ subCommand ‖ subCommandParams).
      const prefix = new Uint8Array(33).fill(0xff);
      prefix[32] = Ctap2Command.CONFIG;
      const auth = pinUvAuth(this.token, subCommandMessage(prefix, subCommand, params));
      request.set(ConfigRequestKey.pinUvAuthProtocol, auth.protocol);
      request.set(ConfigRequestKey.pinUvAuthParam, auth.param);
    }
    await this.session.send(Ctap2Command.CONFIG, request, options);
  }
}
