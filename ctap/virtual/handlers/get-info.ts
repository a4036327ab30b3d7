/**
 * authenticatorGetInfo (0x04) on the virtual key — CTAP 2.1 §6.4. Static fields come from the
 * configuration, dynamic ones from the key's state, so the answer always matches what the key
 * holds: clientPin (PIN set?), alwaysUv, ep, bioEnroll / uv (fingerprints enrolled?),
 * forcePINChange, minPINLength, remainingDiscoverableCredentials.
 * Like real firmware, a key reports only the fields of the spec version it implements: CTAP 2.0
 * keys the six 2.0 fields, 2.1-PRE keys (YubiKey 5.2–5.4) also 0x07–0x0A, 2.1 keys the rest.
 * @module
 */
import type { CborMap, CborValue } from '../../cbor.js';
import { InfoKey } from '../../ctap2/info.js';
import type { VirtualKeyConfig } from '../config.js';
import type { VirtualKeyState } from '../state.js';
import type { CommandHandler } from './context.js';

/** COSE ES256: the only algorithm the virtual key signs with (StoredCredential is P-256). */
const ES256 = -7;

/** Options whose value reflects the key's state; the configuration only says they exist. */
function dynamicOptions(config: VirtualKeyConfig, state: VirtualKeyState): Map<string, boolean> {
  const enrolled = state.templates.length > 0;
  const dynamic: Record<string, boolean> = {
    clientPin: state.pinHash !== null,
    alwaysUv: state.alwaysUv,
    ep: state.enterpriseAttestation,
    bioEnroll: enrolled,
    userVerificationMgmtPreview: enrolled,
    uv: enrolled,
  };
  const options = new Map<string, boolean>();
  for (const [name, capable] of Object.entries(config.options)) {
    // §7.2.5: with alwaysUv on, makeCredential without UV is no longer allowed.
    if (name === 'makeCredUvNotRqd') options.set(name, capable && !state.alwaysUv);
    else options.set(name, dynamic[name] ?? capable);
  }
  return options;
}

export function buildInfo(config: VirtualKeyConfig, state: VirtualKeyState): CborMap {
  const info: CborMap = new Map<number, CborValue>();
  const is21 = config.versions.includes('FIDO_2_1');
  const isPre = is21 || config.versions.includes('FIDO_2_1_PRE');
  info.set(InfoKey.versions, [...config.versions]);
  if (config.extensions.length > 0) info.set(InfoKey.extensions, [...config.extensions]);
  info.set(InfoKey.aaguid, config.aaguid.slice());
  info.set(InfoKey.options, dynamicOptions(config, state));
  info.set(InfoKey.maxMsgSize, config.maxMsgSize);
  if (config.supports.clientPin) info.set(InfoKey.pinUvAuthProtocols, [...config.pinUvAuthProtocols]);
  if (isPre) {
    info.set(InfoKey.maxCredentialCountInList, config.maxCredentialCountInList);
    info.set(InfoKey.maxCredentialIdLength, config.maxCredentialIdLength);
    info.set(InfoKey.transports, [...config.transports]);
    info.set(InfoKey.algorithms, [new Map<string, CborValue>([['alg', ES256], ['type', 'public-key']])]);
  }
  if (!is21) return info;

  if (config.supports.clientPin) info.set(InfoKey.forcePINChange, state.forcePinChange);
  if (config.options.setMinPINLength !== undefined) info.set(InfoKey.minPINLength, state.minPinLength);
  info.set(InfoKey.firmwareVersion, config.firmwareVersion);
  if (config.options.largeBlobs === true && config.maxSerializedLargeBlobArray !== undefined) {
    info.set(InfoKey.maxSerializedLargeBlobArray, config.maxSerializedLargeBlobArray);
  }
  if (config.extensions.includes('credBlob') && config.maxCredBlobLength !== undefined) info.set(InfoKey.maxCredBlobLength, config.maxCredBlobLength);
  if (config.options.setMinPINLength !== undefined && config.maxRPIDsForSetMinPINLength > 0) {
    info.set(InfoKey.maxRPIDsForSetMinPINLength, config.maxRPIDsForSetMinPINLength);
  }
  if (config.preferredPlatformUvAttempts !== undefined) info.set(InfoKey.preferredPlatformUvAttempts, config.preferredPlatformUvAttempts);
  if (config.uvModality !== undefined) info.set(InfoKey.uvModality, config.uvModality);
  const stored = state.credentials.filter((credential) => credential.discoverable).length;
  info.set(InfoKey.remainingDiscoverableCredentials, Math.max(0, config.credentialSlots - stored));
  if (config.reset.longTouchForReset) info.set(InfoKey.longTouchForReset, true);
  if (config.reset.transportsForReset) info.set(InfoKey.transportsForReset, [...config.reset.transportsForReset]);
  return info;
}

/** §6.4: getInfo takes no parameters and needs neither PIN nor presence. */
export const getInfo: CommandHandler = async (_params, ctx) => buildInfo(ctx.config, ctx.state);
