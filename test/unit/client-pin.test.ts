/**
 * ClientPin (CTAP 2.1 §6.5.5) against a scripted transport: the exact request maps, what the
 * encrypted fields decrypt to on the key's side, tokens, errors, and what is never sent
 * (in the style of python-fido2 tests/test_ctap2.py).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeMap, encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { ClientPin, ClientPinSubCommand, Permission } from '../../ctap/ctap2/client-pin.js';
import { InfoKey } from '../../ctap/ctap2/info.js';
import { generateKeyAgreementKeyPair, PinProtocolV1, PinProtocolV2, pinProtocol, type PinUvAuthProtocol } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, PinPolicyError, ProtocolError, UnsupportedError } from '../../ctap/errors.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';

interface Request {
  command: number;
  params: CborMap;
  raw: Uint8Array;
}

type Reply = { status: number; body?: CborMap } | ((request: Request) => { status: number; body?: CborMap });

/** A transport that answers getInfo from a fixed map and clientPIN from a script, recording everything. */
class ScriptedKey implements CtapTransport {
  readonly kind = 'hid' as const;
  readonly capabilities = { cbor: true, msg: false, wink: false };
  readonly requests: Request[] = [];
  readonly keyPair = generateKeyAgreementKeyPair();
  private readonly replies: Reply[] = [];

  constructor(private readonly info: CborMap) {}

  /** Queue answers for the next clientPIN requests (getKeyAgreement answers itself). */
  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  async transact(command: number, data: Uint8Array): Promise<Uint8Array> {
    expect(command).toBe(0x10);
    const request: Request = { command: data[0]!, params: data.length > 1 ? decodeMap(data.subarray(1)) : new Map(), raw: data.slice() };
    this.requests.push(request);
    if (request.command === 0x04) return frame(0, this.info);
    expect(request.command).toBe(0x06);
    if (request.params.get(2) === ClientPinSubCommand.getKeyAgreement) return frame(0, new Map([[1, this.keyPair.cose]]));
    const next = this.replies.shift();
    if (!next) throw new Error('unexpected request');
    const { status, body } = typeof next === 'function' ? next(request) : next;
    return frame(status, body);
  }

  async wink(): Promise<void> {}
  async close(): Promise<void> {}

  /** clientPIN requests other than getKeyAgreement. */
  get pinRequests(): Request[] {
    return this.requests.filter((r) => r.command === 0x06 && r.params.get(2) !== ClientPinSubCommand.getKeyAgreement);
  }

  /** The key's side of the shared secret for a request carrying keyAgreement (0x03). */
  sharedSecret(request: Request): Uint8Array {
    const protocol = pinProtocol(request.params.get(1) as 1 | 2);
    return protocol.decapsulate(this.keyPair.secretKey, request.params.get(3) as CborMap);
  }
}

function frame(status: number, body?: CborMap): Uint8Array {
  const encoded = body ? encodeCanonical(body) : new Uint8Array(0);
  return new Uint8Array([status, ...encoded]);
}

function info(options: Record<string, boolean>, extra: [number, CborValue][] = []): CborMap {
  return new Map<number, CborValue>([
    [InfoKey.versions, options.pinUvAuthToken ? ['FIDO_2_0', 'FIDO_2_1'] : ['FIDO_2_0', 'FIDO_2_1_PRE']],
    [InfoKey.aaguid, new Uint8Array(16)],
    [InfoKey.options, new Map(Object.entries(options))],
    [InfoKey.pinUvAuthProtocols, options.pinUvAuthToken ? [2, 1] : [1]],
    ...extra,
  ]);
}

const CTAP21_NO_PIN = { rk: true, clientPin: false, pinUvAuthToken: true };
const CTAP21_PIN = { rk: true, clientPin: true, pinUvAuthToken: true };
const CTAP21_PRE_PIN = { rk: true, clientPin: true, credentialMgmtPreview: true };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const leftSha256 = (pin: string): Uint8Array => new Uint8Array(createHash('sha256').update(pin, 'utf8').digest().subarray(0, 16));
const sortedKeys = (map: CborMap): (number | string)[] => [...map.keys()].sort((a, b) => Number(a) - Number(b));

function setup(options: Record<string, boolean>, extra: [number, CborValue][] = [], protocol?: PinUvAuthProtocol) {
  const key = new ScriptedKey(info(options, extra));
  const session = new Ctap2Session(key);
  return { key, session, pin: new ClientPin(session, protocol) };
}

/** Wraps a protocol so the test can see the shared secrets it handed out (to check they are zeroed). */
function watching(protocol: PinUvAuthProtocol): { protocol: PinUvAuthProtocol; secrets: Uint8Array[] } {
  const secrets: Uint8Array[] = [];
  const wrapped: PinUvAuthProtocol = {
    version: protocol.version,
    encapsulate(peer) {
      const result = protocol.encapsulate(peer);
      secrets.push(result.sharedSecret);
      return result;
    },
    decapsulate: (sk, peer) => protocol.decapsulate(sk, peer),
    encrypt: (k, p) => protocol.encrypt(k, p),
    decrypt: (k, c) => protocol.decrypt(k, c),
    authenticate: (k, m) => protocol.authenticate(k, m),
    verify: (k, m, s) => protocol.verify(k, m, s),
  };
  return { protocol: wrapped, secrets };
}

describe('retries', () => {
  it('getPINRetries sends exactly 06 a2 01 02 02 01 on a protocol-2 key and reads retries + powerCycleState', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply({ status: 0, body: new Map<number, CborValue>([[3, 5], [4, true]]) });
    expect(await pin.getPinRetries()).toEqual({ retries: 5, powerCycleState: true });
    expect(hex(key.pinRequests[0]!.raw)).toBe('06a201020201');
  });

  it('reports powerCycleState as null when the key leaves it out, and uses protocol 1 when that is all it has', async () => {
    const { key, pin } = setup(CTAP21_PRE_PIN);
    key.reply({ status: 0, body: new Map([[3, 8]]) });
    expect(await pin.getPinRetries()).toEqual({ retries: 8, powerCycleState: null });
    expect(hex(key.pinRequests[0]!.raw)).toBe('06a201010201');
  });

  it('refuses a response without pinRetries', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply({ status: 0, body: new Map([[5, 1]]) });
    await expect(pin.getPinRetries()).rejects.toThrow(ProtocolError);
  });

  it('getUVRetries sends subcommand 7 and needs a UV-capable key', async () => {
    const { key, pin } = setup({ ...CTAP21_PIN, uv: true });
    key.reply({ status: 0, body: new Map([[5, 3]]) });
    expect(await pin.getUvRetries()).toEqual({ retries: 3 });
    expect(hex(key.pinRequests[0]!.raw)).toBe('06a201020207');
    const noUv = setup(CTAP21_PIN);
    await expect(noUv.pin.getUvRetries()).rejects.toThrow(UnsupportedError);
    expect(noUv.key.pinRequests).toHaveLength(0);
  });
});

describe.each([
  { name: 'protocol 2', protocol: new PinProtocolV2() },
  { name: 'protocol 1', protocol: new PinProtocolV1() },
])('setPIN and changePIN with $name', ({ protocol }) => {
  it('setPIN: keyAgreement, pinUvAuthParam = authenticate(shared, newPinEnc), newPinEnc = PIN padded to 64', async () => {
    const watch = watching(protocol);
    const { key, pin, session } = setup(CTAP21_NO_PIN, [], watch.protocol);
    key.reply({ status: 0 });
    await pin.setPin('caf\u0065\u0301 42');
    const [request] = key.pinRequests;
    expect(sortedKeys(request!.params)).toEqual([1, 2, 3, 4, 5]);
    expect(request!.params.get(1)).toBe(protocol.version);
    expect(request!.params.get(2)).toBe(ClientPinSubCommand.setPin);
    const shared = key.sharedSecret(request!);
    const newPinEnc = request!.params.get(5) as Uint8Array;
    expect(protocol.verify(shared, newPinEnc, request!.params.get(4) as Uint8Array)).toBe(true);
    const padded = protocol.decrypt(shared, newPinEnc);
    const expected = new Uint8Array(64);
    expected.set(new TextEncoder().encode('caf\u00e9 42'));
    expect(padded).toEqual(expected);
    // The shared secret is wiped on the host, and cached getInfo is dropped (clientPin changed).
    expect(watch.secrets).toHaveLength(1);
    expect(watch.secrets[0]!.every((b) => b === 0)).toBe(true);
    expect(session.cachedInfo).toBeUndefined();
  });

  it('changePIN: pinUvAuthParam over newPinEnc ‖ pinHashEnc; pinHashEnc = LEFT(SHA-256(current), 16)', async () => {
    const { key, pin } = setup(CTAP21_PIN, [], protocol);
    key.reply({ status: 0 });
    await pin.changePin('1234', '987654');
    const [request] = key.pinRequests;
    expect(sortedKeys(request!.params)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(request!.params.get(2)).toBe(ClientPinSubCommand.changePin);
    const shared = key.sharedSecret(request!);
    const newPinEnc = request!.params.get(5) as Uint8Array;
    const pinHashEnc = request!.params.get(6) as Uint8Array;
    const message = new Uint8Array([...newPinEnc, ...pinHashEnc]);
    expect(protocol.verify(shared, message, request!.params.get(4) as Uint8Array)).toBe(true);
    expect(protocol.decrypt(shared, pinHashEnc)).toEqual(leftSha256('1234'));
    expect(new TextDecoder().decode(protocol.decrypt(shared, newPinEnc).subarray(0, 6))).toBe('987654');
  });
});

describe('host-side checks: nothing reaches the key', () => {
  it('refuses a PIN shorter than the key minPINLength before sending', async () => {
    const { key, pin } = setup(CTAP21_NO_PIN, [[InfoKey.minPINLength, 6]]);
    await expect(pin.setPin('12345')).rejects.toMatchObject({ reason: 'too-short', minLength: 6 });
    expect(key.requests.map((r) => r.command)).toEqual([0x04]);
  });

  it('refuses a 64-byte PIN before sending', async () => {
    const { key, pin } = setup(CTAP21_NO_PIN);
    await expect(pin.setPin('1'.repeat(64))).rejects.toBeInstanceOf(PinPolicyError);
    expect(key.pinRequests).toHaveLength(0);
  });

  it('setPIN on a key that has a PIN, changePIN on one without: UnsupportedError', async () => {
    const withPin = setup(CTAP21_PIN);
    await expect(withPin.pin.setPin('1234')).rejects.toBeInstanceOf(UnsupportedError);
    const withoutPin = setup(CTAP21_NO_PIN);
    await expect(withoutPin.pin.changePin('1234', '5678')).rejects.toBeInstanceOf(UnsupportedError);
    expect(withPin.key.pinRequests.length + withoutPin.key.pinRequests.length).toBe(0);
  });

  it('changePIN to the same PIN (after NFC normalisation) is refused', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    await expect(pin.changePin('caf\u00e9', 'cafe\u0301')).rejects.toMatchObject({ reason: 'same-as-current' });
    expect(key.pinRequests).toHaveLength(0);
  });

  it('the current PIN is only held to the spec floor: a 4-digit PIN still unlocks a key whose minimum rose to 8', async () => {
    const { key, pin } = setup(CTAP21_PIN, [[InfoKey.minPINLength, 8], [InfoKey.forcePINChange, true]]);
    key.reply({ status: 0 });
    await pin.changePin('1234', '12345678');
    expect(key.pinRequests).toHaveLength(1);
    await expect(pin.changePin('1234', '1234567')).rejects.toMatchObject({ reason: 'too-short' });
  });

  it('a key without clientPin, or a protocol the key does not offer: UnsupportedError', async () => {
    const none = setup({ rk: true });
    await expect(none.pin.getPinRetries()).rejects.toBeInstanceOf(UnsupportedError);
    const pre = setup(CTAP21_PRE_PIN, [], new PinProtocolV2());
    await expect(pre.pin.getPinRetries()).rejects.toBeInstanceOf(UnsupportedError);
    expect(none.key.pinRequests.length + pre.key.pinRequests.length).toBe(0);
  });

  it('permissions must be non-zero; mc/ga need an rpId', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: 0 })).rejects.toThrow(RangeError);
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.mc })).rejects.toThrow(RangeError);
    expect(key.requests).toHaveLength(0);
  });
});

/** Answers a token request with `token` encrypted under the request's shared secret. */
function tokenReply(key: ScriptedKey, token: Uint8Array): Reply {
  return (request) => {
    const protocol = pinProtocol(request.params.get(1) as 1 | 2);
    return { status: 0, body: new Map([[2, protocol.encrypt(key.sharedSecret(request), token)]]) };
  };
}

describe('tokens', () => {
  it('getPinUvAuthTokenUsingPinWithPermissions (0x09) sends permissions and rpId and returns the decrypted token', async () => {
    const watch = watching(new PinProtocolV2());
    const { key, pin } = setup(CTAP21_PIN, [], watch.protocol);
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    key.reply(tokenReply(key, secret));
    const token = await pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm | Permission.acfg, rpId: 'example.com' });
    const [request] = key.pinRequests;
    expect(sortedKeys(request!.params)).toEqual([1, 2, 3, 6, 9, 10]);
    expect(request!.params.get(2)).toBe(0x09);
    expect(request!.params.get(9)).toBe(0x24);
    expect(request!.params.get(10)).toBe('example.com');
    expect(new PinProtocolV2().decrypt(key.sharedSecret(request!), request!.params.get(6) as Uint8Array)).toEqual(leftSha256('1234'));
    expect(token.token).toEqual(secret);
    expect(token.permissions).toBe(0x24);
    expect(token.rpId).toBe('example.com');
    expect(token.legacy).toBe(false);
    expect(token.protocol.version).toBe(2);
    expect(watch.secrets[0]!.every((b) => b === 0)).toBe(true);
    token.dispose();
    expect(token.token.every((b) => b === 0)).toBe(true);
  });

  it('getToken uses the legacy getPinToken (0x05) without permissions on a 2.1-PRE key', async () => {
    const { key, pin } = setup(CTAP21_PRE_PIN);
    key.reply(tokenReply(key, new Uint8Array(16).fill(7)));
    const token = await pin.getToken('1234', { permissions: Permission.cm });
    const [request] = key.pinRequests;
    expect(sortedKeys(request!.params)).toEqual([1, 2, 3, 6]);
    expect(request!.params.get(2)).toBe(ClientPinSubCommand.getPinToken);
    expect(token.legacy).toBe(true);
    expect(token.token).toEqual(new Uint8Array(16).fill(7));
    expect(token.permissions & Permission.cm).toBe(Permission.cm);
  });

  it('getToken uses the permissions token on a 2.1 key', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply(tokenReply(key, new Uint8Array(32).fill(1)));
    await pin.getToken('1234', { permissions: Permission.be });
    expect(key.pinRequests[0]!.params.get(2)).toBe(0x09);
    expect(key.pinRequests[0]!.params.get(9)).toBe(Permission.be);
    expect(key.pinRequests[0]!.params.has(10)).toBe(false);
  });

  it('getPinUvAuthTokenUsingUvWithPermissions (0x06) sends no PIN and needs uv', async () => {
    const { key, pin } = setup({ ...CTAP21_PIN, uv: true });
    key.reply(tokenReply(key, new Uint8Array(32).fill(9)));
    const token = await pin.getPinUvAuthTokenUsingUv({ permissions: Permission.ga, rpId: 'example.com' });
    expect(sortedKeys(key.pinRequests[0]!.params)).toEqual([1, 2, 3, 9, 10]);
    expect(key.pinRequests[0]!.params.get(2)).toBe(0x06);
    expect(token.token).toEqual(new Uint8Array(32).fill(9));
    const noUv = setup(CTAP21_PIN);
    await expect(noUv.pin.getPinUvAuthTokenUsingUv({ permissions: Permission.cm })).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('mc/ga with the PIN on a key with noMcGaPermissionsWithClientPin: UnsupportedError; cm still works', async () => {
    const { key, pin } = setup({ ...CTAP21_PIN, uv: true, noMcGaPermissionsWithClientPin: true });
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.ga, rpId: 'example.com' })).rejects.toMatchObject({
      feature: 'noMcGaPermissionsWithClientPin',
    });
    expect(key.pinRequests).toHaveLength(0);
    key.reply(tokenReply(key, new Uint8Array(32).fill(5)));
    expect((await pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm })).token).toEqual(new Uint8Array(32).fill(5));
  });

  it('permission tokens on a 2.1-PRE key: UnsupportedError', async () => {
    const { key, pin } = setup(CTAP21_PRE_PIN);
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm })).rejects.toBeInstanceOf(UnsupportedError);
    expect(key.pinRequests).toHaveLength(0);
  });

  it.each([
    { protocol: new PinProtocolV2(), length: 16 },
    { protocol: new PinProtocolV1(), length: 48 },
  ])('refuses a $length-byte token under protocol $protocol.version', async ({ protocol, length }) => {
    const { key, pin } = setup(CTAP21_PIN, [], protocol);
    key.reply(tokenReply(key, new Uint8Array(length).fill(3)));
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm })).rejects.toThrow(ProtocolError);
  });

  it('a response without a token is a ProtocolError', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply({ status: 0, body: new Map([[3, 8]]) });
    await expect(pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm })).rejects.toThrow(ProtocolError);
  });
});

describe('key statuses', () => {
  it.each([
    [0x31, 'CTAP2_ERR_PIN_INVALID'],
    [0x34, 'CTAP2_ERR_PIN_AUTH_BLOCKED'],
    [0x32, 'CTAP2_ERR_PIN_BLOCKED'],
  ])('status 0x%s surfaces as CtapError %s from command 0x06', async (status, name) => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply({ status });
    const error = await pin.getPinUvAuthTokenUsingPin('1234', { permissions: Permission.cm }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect(error).toMatchObject({ status, command: 0x06, statusName: name });
  });

  it('a policy violation from the key on changePIN is a CtapError too', async () => {
    const { key, pin } = setup(CTAP21_PIN);
    key.reply({ status: 0x37 });
    await expect(pin.changePin('1234', '5678')).rejects.toMatchObject({ status: 0x37 });
  });
});
