/**
 * clientPIN answers real keys give that the CTAP 2.1 text alone does not make obvious (reference:
 * Chromium device/fido pin.cc, python-fido2 pin.py). Each test failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import type { CborMap } from '../../ctap/cbor.js';
import { ClientPin, ClientPinSubCommand, Permission } from '../../ctap/ctap2/client-pin.js';
import { generateKeyAgreementKeyPair, PinProtocolV1 } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { ProtocolError } from '../../ctap/errors.js';
import { infoMap, ScriptedTransport, type RecordedRequest, type Reply } from '../flows/manage-helpers.js';

/** A CTAP 2.0 key (PIN protocol 1 only, PIN set) that hands out `token` as its pinToken. */
function ctap20KeyWithToken(token: Uint8Array) {
  const keyPair = generateKeyAgreementKeyPair();
  const protocol = new PinProtocolV1();
  const info = infoMap({ versions: ['U2F_V2', 'FIDO_2_0'], options: { clientPin: true, rk: true }, extra: [[0x06, [1]]] });
  const transport = new ScriptedTransport(info, (request: RecordedRequest): Reply => {
    const params = request.params!;
    if (params.get(0x02) === ClientPinSubCommand.getKeyAgreement) return { body: new Map([[0x01, keyPair.cose]]) };
    const shared = protocol.decapsulate(keyPair.secretKey, params.get(0x03) as CborMap);
    // An empty token cannot be encrypted; such a key sends an empty byte string.
    return { body: new Map([[0x02, token.length === 0 ? token : protocol.encrypt(shared, token)]]) };
  });
  return { transport, session: new Ctap2Session(transport) };
}

describe('PIN protocol 1 tokens (CTAP 2.0 §5.5.4: any multiple of 16 bytes; Chromium pin.cc TokenResponse)', () => {
  it('accepts a 64-byte pinToken from a CTAP 2.0 key and authenticates with all of it', async () => {
    const tokenBytes = new Uint8Array(64).map((_, i) => i + 1);
    const { transport, session } = ctap20KeyWithToken(tokenBytes);
    const token = await new ClientPin(session).getPinToken('1234');
    expect(token.legacy).toBe(true);
    expect(token.token).toEqual(tokenBytes);
    const sent = transport.requests.find((r) => r.params?.get(0x02) === ClientPinSubCommand.getPinToken);
    expect(sent?.params?.get(0x01)).toBe(1);
  });

  it('still refuses an empty protocol 1 token', async () => {
    const { session } = ctap20KeyWithToken(new Uint8Array(0));
    await expect(new ClientPin(session).getPinToken('1234')).rejects.toThrow(ProtocolError);
  });
});

describe('getPinToken (0x05) on a CTAP 2.1 key (§6.5.5.7.1)', () => {
  it('reports only the mc and ga permissions the key gives a superseded token', async () => {
    const keyPair = generateKeyAgreementKeyPair();
    const protocol = new PinProtocolV1();
    const info = infoMap({ versions: ['FIDO_2_0', 'FIDO_2_1'], options: { clientPin: true, pinUvAuthToken: true }, extra: [[0x06, [1]]] });
    const transport = new ScriptedTransport(info, (request: RecordedRequest): Reply => {
      const params = request.params!;
      if (params.get(0x02) === ClientPinSubCommand.getKeyAgreement) return { body: new Map([[0x01, keyPair.cose]]) };
      const shared = protocol.decapsulate(keyPair.secretKey, params.get(0x03) as CborMap);
      return { body: new Map([[0x02, protocol.encrypt(shared, new Uint8Array(32).fill(9))]]) };
    });
    const token = await new ClientPin(new Ctap2Session(transport)).getPinToken('1234');
    expect(token.legacy).toBe(true);
    expect(token.permissions).toBe(Permission.mc | Permission.ga);
    expect(transport.requests.at(-1)?.params?.has(0x09)).toBe(false);
  });

  it('a pre-2.1 key still reports every permission (it checks none)', async () => {
    const { session } = ctap20KeyWithToken(new Uint8Array(16).fill(4));
    const token = await new ClientPin(session).getPinToken('1234');
    expect(token.permissions & (Permission.cm | Permission.be | Permission.acfg)).toBe(Permission.cm | Permission.be | Permission.acfg);
  });
});
