/**
 * Hand-built CTAP2 requests to a VirtualAuthenticator, so handler tests can send what the
 * production clients refuse to (short PINs, wrong MACs, odd permissions) and read raw statuses.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeMap, encodeCanonical, type CborMap, type CborValue } from '../../../ctap/cbor.js';
import { ClientPinParam, ClientPinResponse, ClientPinSubCommand } from '../../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../../ctap/ctap2/commands.js';
import { pinProtocol, type PinProtocolVersion, type PinUvAuthProtocol } from '../../../ctap/ctap2/pin-protocol.js';
import type { AuthenticatorIo, VirtualAuthenticator } from '../../../ctap/virtual/authenticator.js';
import { VirtualAuthenticator as Authenticator } from '../../../ctap/virtual/authenticator.js';
import { presetConfig, type VirtualKeyConfig } from '../../../ctap/virtual/config.js';
import { Presence, type PresenceScript } from '../../../ctap/virtual/presence.js';
import { newState, type VirtualKeyState } from '../../../ctap/virtual/state.js';

export interface Answer {
  status: number;
  body: CborMap | undefined;
}

export function makeAuthenticator(options: {
  preset?: string;
  config?: Partial<VirtualKeyConfig>;
  state?: VirtualKeyState;
  presence?: PresenceScript;
  clock?: () => number;
} = {}): VirtualAuthenticator {
  return new Authenticator({
    config: { ...presetConfig(options.preset ?? 'ctap21'), ...options.config },
    state: options.state ?? newState(),
    presence: new Presence(options.presence ?? 'approve'),
    clock: options.clock ?? Date.now,
    onInternalError: (error) => {
      throw error;
    },
  });
}

export function usb(channel = 1, signal: AbortSignal = new AbortController().signal): AuthenticatorIo {
  return { transport: 'usb', channel, signal, keepalive: () => undefined };
}

export async function call(auth: VirtualAuthenticator, command: number, params?: Map<number | string, CborValue | undefined>, io = usb()): Promise<Answer> {
  const body = params ? encodeCanonical(params) : new Uint8Array(0);
  const request = new Uint8Array(1 + body.length);
  request[0] = command;
  request.set(body, 1);
  const response = await auth.handle(request, io);
  return { status: response[0]!, body: response.length > 1 ? decodeMap(response.subarray(1)) : undefined };
}

export function clientPin(auth: VirtualAuthenticator, params: Map<number, CborValue | undefined>, io = usb()): Promise<Answer> {
  return call(auth, Ctap2Command.CLIENT_PIN, params, io);
}

/** The platform half of a key agreement with the key (getKeyAgreement + encapsulate). */
export async function agree(auth: VirtualAuthenticator, version: PinProtocolVersion): Promise<{ protocol: PinUvAuthProtocol; keyAgreement: CborMap; sharedSecret: Uint8Array }> {
  const answer = await clientPin(auth, new Map([[ClientPinParam.pinUvAuthProtocol, version], [ClientPinParam.subCommand, ClientPinSubCommand.getKeyAgreement]]));
  const peer = answer.body?.get(ClientPinResponse.keyAgreement);
  if (!(peer instanceof Map)) throw new Error(`getKeyAgreement failed with status 0x${answer.status.toString(16)}`);
  const protocol = pinProtocol(version);
  return { protocol, ...protocol.encapsulate(peer) };
}

export function padPin(pin: string | Uint8Array, length = 64): Uint8Array {
  const bytes = typeof pin === 'string' ? new TextEncoder().encode(pin) : pin;
  const padded = new Uint8Array(length);
  padded.set(bytes.subarray(0, length));
  return padded;
}

export function pinHash(pin: string): Uint8Array {
  return sha256(new TextEncoder().encode(pin)).slice(0, 16);
}

export async function setPin(auth: VirtualAuthenticator, pin: string | Uint8Array, options: { version?: PinProtocolVersion; padded?: Uint8Array; badMac?: boolean } = {}): Promise<Answer> {
  const version = options.version ?? 2;
  const { protocol, keyAgreement, sharedSecret } = await agree(auth, version);
  const newPinEnc = protocol.encrypt(sharedSecret, options.padded ?? padPin(pin));
  const mac = protocol.authenticate(sharedSecret, newPinEnc);
  if (options.badMac) mac[0]! ^= 1;
  return clientPin(auth, new Map<number, CborValue>([
    [ClientPinParam.pinUvAuthProtocol, version],
    [ClientPinParam.subCommand, ClientPinSubCommand.setPin],
    [ClientPinParam.keyAgreement, keyAgreement],
    [ClientPinParam.newPinEnc, newPinEnc],
    [ClientPinParam.pinUvAuthParam, mac],
  ]));
}

export async function changePin(auth: VirtualAuthenticator, current: string, next: string, version: PinProtocolVersion = 2): Promise<Answer> {
  const { protocol, keyAgreement, sharedSecret } = await agree(auth, version);
  const pinHashEnc = protocol.encrypt(sharedSecret, pinHash(current));
  const newPinEnc = protocol.encrypt(sharedSecret, padPin(next));
  const message = new Uint8Array([...newPinEnc, ...pinHashEnc]);
  return clientPin(auth, new Map<number, CborValue>([
    [ClientPinParam.pinUvAuthProtocol, version],
    [ClientPinParam.subCommand, ClientPinSubCommand.changePin],
    [ClientPinParam.keyAgreement, keyAgreement],
    [ClientPinParam.pinHashEnc, pinHashEnc],
    [ClientPinParam.newPinEnc, newPinEnc],
    [ClientPinParam.pinUvAuthParam, protocol.authenticate(sharedSecret, message)],
  ]));
}

/** getPinToken (0x05) or, with `permissions`, getPinUvAuthTokenUsingPinWithPermissions (0x09). */
export async function pinToken(
  auth: VirtualAuthenticator,
  pin: string,
  options: { version?: PinProtocolVersion; permissions?: number; rpId?: string; subCommand?: number } = {},
): Promise<Answer & { token?: Uint8Array }> {
  const version = options.version ?? 2;
  const { protocol, keyAgreement, sharedSecret } = await agree(auth, version);
  const subCommand = options.subCommand ?? (options.permissions === undefined ? ClientPinSubCommand.getPinToken : ClientPinSubCommand.getPinUvAuthTokenUsingPinWithPermissions);
  const answer = await clientPin(auth, new Map<number, CborValue | undefined>([
    [ClientPinParam.pinUvAuthProtocol, version],
    [ClientPinParam.subCommand, subCommand],
    [ClientPinParam.keyAgreement, keyAgreement],
    [ClientPinParam.pinHashEnc, protocol.encrypt(sharedSecret, pinHash(pin))],
    [ClientPinParam.permissions, options.permissions],
    [ClientPinParam.rpId, options.rpId],
  ]));
  const encrypted = answer.body?.get(ClientPinResponse.pinUvAuthToken);
  return encrypted instanceof Uint8Array ? { ...answer, token: protocol.decrypt(sharedSecret, encrypted) } : answer;
}
