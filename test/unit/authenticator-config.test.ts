/**
 * authenticatorConfig client (CTAP 2.1 §6.11) against a scripted transport: exact request bytes,
 * the MAC over 32×0xff ‖ 0x0d ‖ subCommand ‖ subCommandParams, and the refusals made before
 * anything is sent.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { CborMap, CborValue } from '../../ctap/cbor.js';
import { AuthenticatorConfig } from '../../ctap/ctap2/authenticator-config.js';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { parseInfo } from '../../ctap/ctap2/info.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, PinPolicyError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { ScriptedTransport, concatBytes, ctap21Info, fixedToken, type Reply } from '../flows/manage-helpers.js';

const token = fixedToken({ version: 2, permissions: Permission.acfg });
const prefix = concatBytes(new Uint8Array(32).fill(0xff), new Uint8Array([0x0d]));
const mac = (sub: number, params = ''): string => bytesToHex(hmac(sha256, token.token, concatBytes(prefix, new Uint8Array([sub]), hexToBytes(params))));

/** A 2.1 key with config: minPINLength 6, room for 2 RP IDs. */
const configInfo = (options: Record<string, boolean> = {}, extra: [number, CborValue][] = []): CborMap =>
  ctap21Info({ authnrCfg: true, alwaysUv: false, setMinPINLength: true, ep: false, ...options }, [[0x0d, 6], [0x10, 2], ...extra]);

function setup(info: CborMap, reply: Reply = {}, withToken = true) {
  const transport = new ScriptedTransport(info, () => reply);
  return { transport, config: new AuthenticatorConfig(new Ctap2Session(transport), withToken ? token : undefined) };
}

describe('AuthenticatorConfig', () => {
  it('is supported only with authnrCfg', () => {
    expect(AuthenticatorConfig.isSupported(parseInfo(configInfo()))).toBe(true);
    expect(AuthenticatorConfig.isSupported(parseInfo(ctap21Info()))).toBe(false);
  });

  it('toggleAlwaysUv sends {1: 2, 3: 2, 4: MAC} on 0x0D', async () => {
    const { transport, config } = setup(configInfo());
    await config.toggleAlwaysUv();
    expect(transport.requests[0]!.command).toBe(0x0d);
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a301020302045820${mac(0x02)}`);
  });

  it('setMinPINLength sends all three params in canonical order and MACs them', async () => {
    const { transport, config } = setup(configInfo());
    await config.setMinPinLength({ minPinLength: 8, rpIds: ['example.com'], forceChangePin: true });
    // {1: 8, 2: ["example.com"], 3: true}
    const params = 'a30108 02816b6578616d706c652e636f6d 03f5'.replaceAll(' ', '');
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a4010302${params}0302045820${mac(0x03, params)}`);
  });

  it('enableEnterpriseAttestation sends only the sub-command on ep-capable keys', async () => {
    const { transport, config } = setup(configInfo({ ep: false }));
    await config.enableEnterpriseAttestation();
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a301010302045820${mac(0x01)}`);
  });

  it('sends no MAC without a token (a key with no PIN accepts that, §6.11)', async () => {
    const { transport, config } = setup(configInfo({ clientPin: false }), {}, false);
    await config.toggleAlwaysUv();
    expect(bytesToHex(transport.requests[0]!.body)).toBe('a10102');
  });

  it('refuses to lower the minimum PIN length, before sending', async () => {
    const { transport, config } = setup(configInfo());
    const error = await config.setMinPinLength({ minPinLength: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinPolicyError);
    expect((error as PinPolicyError).minLength).toBe(6);
    expect((error as Error).message).toMatch(/can only go up/);
    expect(transport.requests).toHaveLength(0);
  });

  it('refuses more RP IDs than maxRPIDsForSetMinPINLength, before sending', async () => {
    const { transport, config } = setup(configInfo());
    await expect(config.setMinPinLength({ rpIds: ['a.com', 'b.com', 'c.com'] })).rejects.toBeInstanceOf(UnsupportedError);
    expect(transport.requests).toHaveLength(0);
  });

  it('refuses sub-commands the key does not offer', async () => {
    const noEp = setup(configInfo({}, []));
    const info = configInfo();
    (info.get(0x04) as Map<string, boolean>).delete('ep');
    (info.get(0x04) as Map<string, boolean>).delete('alwaysUv');
    const missing = setup(info);
    await expect(missing.config.enableEnterpriseAttestation()).rejects.toBeInstanceOf(UnsupportedError);
    await expect(missing.config.toggleAlwaysUv()).rejects.toBeInstanceOf(UnsupportedError);
    expect(missing.transport.requests).toHaveLength(0);
    const notConfig = setup(ctap21Info());
    await expect(notConfig.config.toggleAlwaysUv()).rejects.toBeInstanceOf(UnsupportedError);
    await noEp.config.toggleAlwaysUv();
    expect(noEp.transport.requests).toHaveLength(1);
  });

  it('passes a key status through as CtapError', async () => {
    const { config } = setup(configInfo(), { status: CtapStatus.PIN_AUTH_INVALID });
    const error = await config.toggleAlwaysUv().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
  });
});
