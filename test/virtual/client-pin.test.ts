// The virtual key's authenticatorClientPIN (CTAP 2.1 §6.5.5), through real protocol maths.
import { describe, expect, it } from 'vitest';
import { ClientPin, ClientPinParam, ClientPinResponse, ClientPinSubCommand, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { CborValue } from '../../ctap/cbor.js';
import { CtapStatus } from '../../ctap/status.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { DirectTransport } from './helpers/direct-transport.js';
import { agree, changePin, clientPin, makeAuthenticator, padPin, pinHash, pinToken, setPin } from './helpers/requests.js';

const retriesRequest = new Map([[ClientPinParam.subCommand, ClientPinSubCommand.getPinRetries]]);

describe('setPIN', () => {
  it.each([1, 2] as const)('stores LEFT(SHA-256(PIN), 16) with protocol %i', async (version) => {
    const auth = makeAuthenticator();
    expect((await setPin(auth, '123456', { version })).status).toBe(CtapStatus.OK);
    expect(auth.state.pinHash).toEqual(pinHash('123456'));
    expect(auth.state.pinLength).toBe(6);
    expect(auth.state.pinRetries).toBe(8);
  });

  it('refuses a second setPIN, a bad MAC, and a protocol the key does not offer', async () => {
    const auth = makeAuthenticator();
    expect((await setPin(auth, '1234', { badMac: true })).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(auth.state.pinHash).toBeNull();
    expect((await setPin(auth, '1234')).status).toBe(CtapStatus.OK);
    // CTAP 2.1 §6.5.5.5 step 3, verbatim: "If a PIN has already been set, authenticator returns
    // CTAP2_ERR_PIN_AUTH_INVALID error" (OpenSK does the same); NOT_ALLOWED is the pre-2.1 answer.
    expect((await setPin(auth, '5678')).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(auth.state.pinHash).toEqual(pinHash('1234'));
    expect(auth.state.pinRetries).toBe(8);

    const pre = makeAuthenticator({ preset: 'ctap21-pre' });
    expect((await setPin(pre, '1234', { version: 1 })).status).toBe(CtapStatus.OK);
    expect((await setPin(pre, '5678', { version: 1 })).status).toBe(CtapStatus.NOT_ALLOWED);
    expect(pre.state.pinHash).toEqual(pinHash('1234'));
    const answer = await clientPin(pre, new Map([[ClientPinParam.pinUvAuthProtocol, 2], [ClientPinParam.subCommand, ClientPinSubCommand.getKeyAgreement]]));
    expect(answer.status).toBe(CtapStatus.INVALID_PARAMETER);
    const missing = await clientPin(pre, new Map([[ClientPinParam.subCommand, ClientPinSubCommand.getKeyAgreement]]));
    expect(missing.status).toBe(CtapStatus.MISSING_PARAMETER);
  });

  it('applies the PIN policy: 4 code points at least, minPINLength, 63 bytes at most, 64-byte padding', async () => {
    const auth = makeAuthenticator();
    expect((await setPin(auth, '123')).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await setPin(auth, padPin('1234').subarray(0, 32), { padded: padPin('1234', 32) })).status).toBe(CtapStatus.INVALID_PARAMETER);
    expect((await setPin(auth, new Uint8Array(64).fill(0x31))).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await setPin(auth, Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc))).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect(auth.state.pinHash).toBeNull();
    // Four code points of four bytes each: long enough, counted in code points not bytes.
    expect((await setPin(auth, '😀😀😀😀')).status).toBe(CtapStatus.OK);
    expect(auth.state.pinLength).toBe(4);

    const strict = makeAuthenticator();
    strict.state.minPinLength = 6;
    expect((await setPin(strict, '12345')).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await setPin(strict, '123456')).status).toBe(CtapStatus.OK);
  });

  it('answers PIN_AUTH_INVALID for a newPinEnc that does not decrypt (not whole AES blocks)', async () => {
    const auth = makeAuthenticator();
    const { protocol, keyAgreement, sharedSecret } = await agree(auth, 1);
    const newPinEnc = new Uint8Array(40).fill(5);
    const answer = await clientPin(auth, new Map<number, CborValue>([
      [ClientPinParam.pinUvAuthProtocol, 1],
      [ClientPinParam.subCommand, ClientPinSubCommand.setPin],
      [ClientPinParam.keyAgreement, keyAgreement],
      [ClientPinParam.newPinEnc, newPinEnc],
      [ClientPinParam.pinUvAuthParam, protocol.authenticate(sharedSecret, newPinEnc)],
    ]));
    expect(answer.status).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(auth.state.pinHash).toBeNull();
  });

  it('rejects a keyAgreement that is not a P-256 point', async () => {
    const auth = makeAuthenticator();
    const { protocol, keyAgreement, sharedSecret } = await agree(auth, 2);
    const bad = new Map(keyAgreement);
    bad.set(-2, new Uint8Array(32).fill(1));
    const newPinEnc = protocol.encrypt(sharedSecret, padPin('1234'));
    const answer = await clientPin(auth, new Map<number, CborValue>([
      [ClientPinParam.pinUvAuthProtocol, 2],
      [ClientPinParam.subCommand, ClientPinSubCommand.setPin],
      [ClientPinParam.keyAgreement, bad],
      [ClientPinParam.newPinEnc, newPinEnc],
      [ClientPinParam.pinUvAuthParam, protocol.authenticate(sharedSecret, newPinEnc)],
    ]));
    expect(answer.status).toBe(CtapStatus.INVALID_PARAMETER);
  });
});

describe('retries', () => {
  it('3 wrong PINs block until a power cycle; a correct PIN then restores 8 tries', async () => {
    const auth = makeAuthenticator();
    const session = new Ctap2Session(new DirectTransport(auth));
    const pin = new ClientPin(session);
    await pin.setPin('123456');
    const wrong = (): Promise<unknown> => pin.getToken('654321', { permissions: Permission.cm });
    await expect(wrong()).rejects.toMatchObject({ status: CtapStatus.PIN_INVALID });
    await expect(wrong()).rejects.toMatchObject({ status: CtapStatus.PIN_INVALID });
    await expect(wrong()).rejects.toMatchObject({ status: CtapStatus.PIN_AUTH_BLOCKED });
    // Even the right PIN is refused now, and it does not cost a try.
    await expect(pin.getToken('123456', { permissions: Permission.cm })).rejects.toMatchObject({ status: CtapStatus.PIN_AUTH_BLOCKED });
    expect(await pin.getPinRetries()).toEqual({ retries: 5, powerCycleState: true });

    auth.powerUp();
    const token = await pin.getToken('123456', { permissions: Permission.cm });
    expect(token.permissions).toBe(Permission.cm);
    expect(await pin.getPinRetries()).toEqual({ retries: 8, powerCycleState: false });
  });

  it('the last wrong PIN blocks the PIN for good (PIN_BLOCKED) and the count survives power cycles', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    auth.state.pinRetries = 2;
    expect((await pinToken(auth, '000000')).status).toBe(CtapStatus.PIN_INVALID);
    auth.powerUp();
    expect(auth.state.pinRetries).toBe(1);
    expect((await pinToken(auth, '000000')).status).toBe(CtapStatus.PIN_BLOCKED);
    expect(auth.state.pinRetries).toBe(0);
    auth.powerUp();
    expect((await pinToken(auth, '123456')).status).toBe(CtapStatus.PIN_BLOCKED);
    expect((await clientPin(auth, retriesRequest)).body?.get(ClientPinResponse.pinRetries)).toBe(0);
  });

  it('a wrong PIN regenerates the key agreement (§6.5.5.6)', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    const before = auth.powerUpState.keyAgreement.cose;
    expect((await pinToken(auth, '999999')).status).toBe(CtapStatus.PIN_INVALID);
    expect(auth.powerUpState.keyAgreement.cose).not.toEqual(before);
  });

  it('a pinHashEnc that does not decrypt costs a try and counts as a wrong PIN (§6.5.5.7.2 steps 6–7.1)', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    const before = auth.powerUpState.keyAgreement.cose;
    const { keyAgreement } = await agree(auth, 1);
    const answer = await clientPin(auth, new Map<number, CborValue>([
      [ClientPinParam.pinUvAuthProtocol, 1],
      [ClientPinParam.subCommand, ClientPinSubCommand.getPinUvAuthTokenUsingPinWithPermissions],
      [ClientPinParam.keyAgreement, keyAgreement],
      // 20 bytes: not whole AES blocks, so decrypt() is an error.
      [ClientPinParam.pinHashEnc, new Uint8Array(20).fill(7)],
      [ClientPinParam.permissions, Permission.cm],
    ]));
    expect(answer.status).toBe(CtapStatus.PIN_INVALID);
    expect(auth.state.pinRetries).toBe(7);
    expect(auth.powerUpState.consecutivePinFailures).toBe(1);
    expect(auth.powerUpState.keyAgreement.cose).not.toEqual(before);
    expect(auth.powerUpState.token).toBeNull();
  });

  it('2.0 and 2.1-PRE keys do not send powerCycleState', async () => {
    const auth = makeAuthenticator({ preset: 'ctap21-pre' });
    const answer = await clientPin(auth, retriesRequest);
    expect([...answer.body!.keys()]).toEqual([ClientPinResponse.pinRetries]);
  });
});

describe('changePIN and forcePINChange', () => {
  it('changes the PIN, invalidates the token, and enforces a real change when forced', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    expect((await pinToken(auth, '123456', { permissions: Permission.cm })).status).toBe(CtapStatus.OK);
    expect(auth.powerUpState.token).not.toBeNull();
    expect((await changePin(auth, '123456', '24680'))).toEqual({ status: CtapStatus.OK, body: undefined });
    expect(auth.state.pinHash).toEqual(pinHash('24680'));
    expect(auth.powerUpState.token).toBeNull();

    auth.state.forcePinChange = true;
    expect((await pinToken(auth, '24680', { permissions: Permission.cm })).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await pinToken(auth, '24680')).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await changePin(auth, '24680', '24680')).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await changePin(auth, '24680', '135790')).status).toBe(CtapStatus.OK);
    expect(auth.state.forcePinChange).toBe(false);
    expect((await pinToken(auth, '135790', { permissions: Permission.cm })).status).toBe(CtapStatus.OK);
  });

  it('a wrong current PIN costs a try and changes nothing', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    expect((await changePin(auth, '111111', '222222')).status).toBe(CtapStatus.PIN_INVALID);
    expect(auth.state.pinHash).toEqual(pinHash('123456'));
    expect(auth.state.pinRetries).toBe(7);
  });

  it('needs a PIN to change', async () => {
    expect((await changePin(makeAuthenticator(), '1234', '5678')).status).toBe(CtapStatus.PIN_NOT_SET);
  });
});

describe('tokens and permissions', () => {
  it('issues a 32-byte token with exactly the permissions and RP ID asked for', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    const answer = await pinToken(auth, '123456', { permissions: Permission.mc | Permission.cm, rpId: 'example.com' });
    expect(answer.token).toHaveLength(32);
    expect(auth.powerUpState.token).toMatchObject({ permissions: Permission.mc | Permission.cm, rpId: 'example.com', legacy: false });
    expect(auth.powerUpState.token!.value).toEqual(answer.token);
    // Every issue replaces the token (§6.5.5.7: resetPinUvAuthToken).
    const next = await pinToken(auth, '123456', { permissions: Permission.cm });
    expect(next.token).not.toEqual(answer.token);
  });

  it.each([
    ['no permissions', 0, CtapStatus.INVALID_PARAMETER],
    ['bio enrollment on a key without a sensor', Permission.be, CtapStatus.UNAUTHORIZED_PERMISSION],
    ['large blob writes on a key without large blobs', Permission.lbw, CtapStatus.UNAUTHORIZED_PERMISSION],
    ['an undefined permission bit', 0x80, CtapStatus.UNAUTHORIZED_PERMISSION],
  ])('refuses %s', async (_what, permissions, status) => {
    const { largeBlobs: _, ...withoutLargeBlobs } = presetConfig('ctap21').options;
    const auth = makeAuthenticator({ config: { options: withoutLargeBlobs } });
    await setPin(auth, '123456');
    expect((await pinToken(auth, '123456', { permissions })).status).toBe(status);
    expect(auth.state.pinRetries).toBe(8);
  });

  it.each([
    ['mc', Permission.mc],
    ['ga', Permission.ga],
    ['mc with cm', Permission.mc | Permission.cm],
  ])('refuses a %s token without an rpId (§6.5.5.7 side note, OpenSK) and spends no try', async (_what, permissions) => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    expect((await pinToken(auth, '123456', { permissions })).status).toBe(CtapStatus.INVALID_PARAMETER);
    expect(auth.state.pinRetries).toBe(8);
    expect(auth.powerUpState.token).toBeNull();
    expect((await pinToken(auth, '123456', { permissions, rpId: 'example.com' })).status).toBe(CtapStatus.OK);
  });

  it('getPinToken on a 2.1 key gives mc+ga only and takes no permissions parameter', async () => {
    const auth = makeAuthenticator();
    await setPin(auth, '123456');
    expect((await pinToken(auth, '123456')).status).toBe(CtapStatus.OK);
    expect(auth.powerUpState.token).toMatchObject({ permissions: Permission.mc | Permission.ga, legacy: false });
    const withPermissions = await pinToken(auth, '123456', { permissions: Permission.cm, subCommand: ClientPinSubCommand.getPinToken });
    expect(withPermissions.status).toBe(CtapStatus.INVALID_PARAMETER);
  });

  it('2.1-PRE keys: legacy token for the whole power-up, and no permission subcommands', async () => {
    const auth = makeAuthenticator({ preset: 'ctap21-pre' });
    await setPin(auth, '123456', { version: 1 });
    const first = await pinToken(auth, '123456', { version: 1 });
    const second = await pinToken(auth, '123456', { version: 1 });
    expect(first.token).toEqual(second.token);
    expect(auth.powerUpState.token?.legacy).toBe(true);
    expect((await pinToken(auth, '123456', { version: 1, permissions: Permission.cm })).status).toBe(CtapStatus.INVALID_SUBCOMMAND);
    auth.powerUp();
    const third = await pinToken(auth, '123456', { version: 1 });
    expect(third.token).not.toEqual(first.token);
  });

  it('unknown subcommands are INVALID_SUBCOMMAND, a missing one MISSING_PARAMETER', async () => {
    const auth = makeAuthenticator();
    expect((await clientPin(auth, new Map([[ClientPinParam.subCommand, 0x08]]))).status).toBe(CtapStatus.INVALID_SUBCOMMAND);
    expect((await clientPin(auth, new Map([[ClientPinParam.subCommand, ClientPinSubCommand.getUvRetries]]))).status).toBe(CtapStatus.INVALID_SUBCOMMAND);
    expect((await clientPin(auth, new Map([[ClientPinParam.pinUvAuthProtocol, 2]]))).status).toBe(CtapStatus.MISSING_PARAMETER);
    expect((await clientPin(auth, new Map([[ClientPinParam.subCommand, 'one']]))).status).toBe(CtapStatus.CBOR_UNEXPECTED_TYPE);
  });
});

describe('built-in user verification (bio preset)', () => {
  it('needs an enrolled finger, counts failed matches, and resets uvRetries on a match', async () => {
    const auth = makeAuthenticator({ preset: 'bio', presence: 'deny' });
    const { keyAgreement } = await agree(auth, 2);
    const uvToken = new Map<number, CborValue>([
      [ClientPinParam.pinUvAuthProtocol, 2],
      [ClientPinParam.subCommand, ClientPinSubCommand.getPinUvAuthTokenUsingUvWithPermissions],
      [ClientPinParam.keyAgreement, keyAgreement],
      [ClientPinParam.permissions, Permission.mc],
      [ClientPinParam.rpId, 'example.com'],
    ]);
    expect((await clientPin(auth, uvToken)).status).toBe(CtapStatus.NOT_ALLOWED);

    auth.state.templates.push({ id: Uint8Array.of(1), friendlyName: 'thumb' });
    const pin = new ClientPin(new Ctap2Session(new DirectTransport(auth)));
    await expect(pin.getPinUvAuthTokenUsingUv({ permissions: Permission.mc, rpId: 'example.com' })).rejects.toMatchObject({ status: CtapStatus.UV_INVALID });
    expect(auth.state.uvRetries).toBe(4);
    expect(await pin.getUvRetries()).toEqual({ retries: 4 });

    auth.presence.script = 'approve';
    const token = await pin.getPinUvAuthTokenUsingUv({ permissions: Permission.be, rpId: undefined });
    expect(token.permissions).toBe(Permission.be);
    expect(auth.powerUpState.token).toMatchObject({ userVerified: true, permissions: Permission.be });
    expect(auth.state.uvRetries).toBe(5);
  });
});
