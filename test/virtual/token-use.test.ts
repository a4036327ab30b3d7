// A pinUvAuthToken serves one ceremony: CTAP 2.1 §6.1.2 step 14 and §6.2.2 step 9 call
// clearUserPresentFlag(), clearUserVerifiedFlag() and clearPinUvAuthTokenPermissionsExceptLbw()
// once user presence was collected, so a second makeCredential / getAssertion (or any other
// permission) with the same token fails with PIN_AUTH_INVALID on real 2.1 firmware.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { decodeMap, encodeCanonical, type CborMap } from '../../ctap/cbor.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { buildGetAssertionParams } from '../../ctap/ctap2/get-assertion.js';
import { buildMakeCredentialParams } from '../../ctap/ctap2/make-credential.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapStatus } from '../../ctap/status.js';
import type { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { DirectTransport } from './helpers/direct-transport.js';
import { makeAuthenticator, usb } from './helpers/requests.js';

const RP = 'example.com';
const PIN = '123456';
const clientDataHash = sha256(Uint8Array.of(4, 5, 6));

async function status(auth: VirtualAuthenticator, command: number, params: CborMap): Promise<number> {
  const response = await auth.handle(Uint8Array.from([command, ...encodeCanonical(params)]), usb());
  if (response.length > 1) decodeMap(response.subarray(1));
  return response[0]!;
}

async function keyWithPin(preset = 'ctap21'): Promise<{ auth: VirtualAuthenticator; pin: ClientPin }> {
  const auth = makeAuthenticator({ preset });
  const pin = new ClientPin(new Ctap2Session(new DirectTransport(auth)));
  await pin.setPin(PIN);
  return { auth, pin };
}

const mc = (token: PinUvAuthToken, user: number): CborMap =>
  buildMakeCredentialParams({ clientDataHash, rp: { id: RP }, user: { id: Uint8Array.of(user) }, residentKey: true, token });
const ga = (token: PinUvAuthToken): CborMap => buildGetAssertionParams({ rpId: RP, clientDataHash, token });

describe('token permissions after a ceremony (§6.1.2 step 14, §6.2.2 step 9)', () => {
  it('a makeCredential clears every permission but lbw: the same token cannot make a second credential or get an assertion', async () => {
    const { auth, pin } = await keyWithPin();
    const token = await pin.getToken(PIN, { permissions: Permission.mc | Permission.ga | Permission.cm, rpId: RP });
    expect(await status(auth, 0x01, mc(token, 1))).toBe(CtapStatus.OK);
    expect(auth.powerUpState.token).toMatchObject({ permissions: 0, userPresent: false, userVerified: false });
    expect(await status(auth, 0x01, mc(token, 2))).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(await status(auth, 0x02, ga(token))).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(auth.state.credentials).toHaveLength(1);

    // A fresh token per step works, as python-fido2 and the app's flows do it.
    const next = await pin.getToken(PIN, { permissions: Permission.ga, rpId: RP });
    expect(await status(auth, 0x02, ga(next))).toBe(CtapStatus.OK);
    expect(await status(auth, 0x02, ga(next))).toBe(CtapStatus.PIN_AUTH_INVALID);
  });

  it('a silent getAssertion (up = false) collects no presence and leaves the token as it was', async () => {
    const { auth, pin } = await keyWithPin();
    const mcToken = await pin.getToken(PIN, { permissions: Permission.mc, rpId: RP });
    expect(await status(auth, 0x01, mc(mcToken, 1))).toBe(CtapStatus.OK);
    const token = await pin.getToken(PIN, { permissions: Permission.ga, rpId: RP });
    const silent = buildGetAssertionParams({ rpId: RP, clientDataHash, token, userPresence: false });
    expect(await status(auth, 0x02, silent)).toBe(CtapStatus.OK);
    expect(auth.powerUpState.token?.permissions).toBe(Permission.ga);
    expect(await status(auth, 0x02, ga(token))).toBe(CtapStatus.OK);
  });

  it('a legacy 2.1-PRE pinToken keeps working for the whole power-up', async () => {
    const { auth, pin } = await keyWithPin('ctap21-pre');
    const token = await pin.getToken(PIN, { permissions: Permission.mc | Permission.ga, rpId: RP });
    expect(await status(auth, 0x01, mc(token, 1))).toBe(CtapStatus.OK);
    expect(await status(auth, 0x01, mc(token, 2))).toBe(CtapStatus.OK);
    expect(await status(auth, 0x02, ga(token))).toBe(CtapStatus.OK);
  });
});
