/**
 * The virtual key's authenticatorConfig handler (CTAP 2.1 §6.11) on its edges: when a token is
 * required, unsupported sub-commands, the limits of setMinPINLength. Requests are built by hand
 * (the client refuses most of these before sending) and go through the production HID transport.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { openVirtualKey, type VirtualHarness } from '../flows/manage-helpers.js';

const PIN = '112358';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function key(options: { pin?: string; config?: Partial<VirtualKeyConfig> } = {}): Promise<VirtualHarness> {
  const h = await openVirtualKey({ preset: 'ctap21', ...options });
  harnesses.push(h);
  return h;
}

/** authenticatorConfig request; with a token, pinUvAuthParam over 32×0xff ‖ 0x0d ‖ sub ‖ params. */
function send(h: VirtualHarness, call: { subCommand: number; params?: CborMap; token?: PinUvAuthToken }): Promise<unknown> {
  const { subCommand, params, token } = call;
  const request = new Map<number, CborValue>([[1, subCommand]]);
  if (params) request.set(2, params);
  if (token) {
    const encoded = params ? encodeCanonical(params) : new Uint8Array(0);
    const message = new Uint8Array([...new Uint8Array(32).fill(0xff), 0x0d, subCommand, ...encoded]);
    request.set(3, token.protocol.version);
    request.set(4, token.protocol.authenticate(token.token, message));
  }
  return h.session.send(Ctap2Command.CONFIG, request).catch((e: unknown) => e);
}

function status(result: unknown): number {
  if (!(result instanceof CtapError)) throw new Error(`expected a CtapError, got ${String(result)}`);
  return result.status;
}

describe('virtual authenticatorConfig handler', () => {
  it('accepts commands without a token on an unprotected key, until alwaysUv is on', async () => {
    const h = await key();
    expect(await send(h, { subCommand: 0x02 })).toBeUndefined();
    expect(h.key.state.alwaysUv).toBe(true);
    expect(status(await send(h, { subCommand: 0x02 }))).toBe(CtapStatus.PUAT_REQUIRED);
    expect(h.key.state.alwaysUv).toBe(true);
  });

  it('answers INVALID_SUBCOMMAND for sub-commands it does not know', async () => {
    const h = await key({ pin: PIN });
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.acfg });
    expect(status(await send(h, { subCommand: 0x05, token }))).toBe(CtapStatus.INVALID_SUBCOMMAND);
  });

  it('refuses enterprise attestation on a key that is not capable (INVALID_PARAMETER)', async () => {
    const h = await key({ config: { supports: { ...presetConfig('ctap21').supports, enterpriseAttestation: false } } });
    expect(status(await send(h, { subCommand: 0x01 }))).toBe(CtapStatus.INVALID_PARAMETER);
    expect(h.key.state.enterpriseAttestation).toBe(false);
  });

  it('setMinPINLength: forceChangePin without a PIN, too many RP IDs, a minimum no PIN can meet', async () => {
    const h = await key();
    expect(status(await send(h, { subCommand: 0x03, params: new Map([[3, true]]) }))).toBe(CtapStatus.PIN_NOT_SET);
    const rpIds = ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'];
    expect(status(await send(h, { subCommand: 0x03, params: new Map<number, CborValue>([[2, rpIds]]) }))).toBe(CtapStatus.KEY_STORE_FULL);
    expect(status(await send(h, { subCommand: 0x03, params: new Map([[1, 64]]) }))).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect(h.key.state.minPinLength).toBe(4);
    expect(h.key.state.minPinLengthRpIds).toEqual([]);
    expect(h.key.state.forcePinChange).toBe(false);
  });

  it('does not force a PIN change when the current PIN already meets the new minimum', async () => {
    const h = await key({ pin: PIN });
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.acfg });
    expect(await send(h, { subCommand: 0x03, params: new Map([[1, 6]]), token })).toBeUndefined();
    expect(h.key.state.minPinLength).toBe(6);
    expect(h.key.state.forcePinChange).toBe(false);
  });
});
