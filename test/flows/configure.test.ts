/**
 * Settings flows (ctap/flows/configure.ts) against the virtual key through the production CTAPHID
 * transport: alwaysUv, minimum PIN length (only up), enterprise attestation — outcome, what the
 * person was told, and the key's state and getInfo afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../ctap/cbor.js';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { enableEnterpriseAttestation, setMinPinLength, toggleAlwaysUv } from '../../ctap/flows/configure.js';
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import type { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { concatBytes, openVirtualKey, scriptedPrompts, type VirtualHarness } from './manage-helpers.js';

const PIN = '123456';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function key(preset: string, pin: string | null = PIN): Promise<VirtualHarness> {
  const h = await openVirtualKey({ preset, ...(pin === null ? {} : { pin }) });
  harnesses.push(h);
  return h;
}

describe('setMinPinLength', () => {
  it('raises the minimum after explaining it only goes up; a longer minimum than the PIN forces a change', async () => {
    const h = await key('ctap21');
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await setMinPinLength({ session: h.session, prompts, minPinLength: 8 });
    expect(result).toEqual({ outcome: 'done', minPinLength: 8, forcePinChange: true });
    expect(prompts.log.confirms).toHaveLength(1);
    expect(prompts.log.confirms[0]!.consequences).toContainEqual({ code: 'min-pin-length-only-up' });
    expect(h.key.state.minPinLength).toBe(8);
    // The 6-digit PIN is now too short: the key demands a new one (§6.11.4).
    expect(h.key.state.forcePinChange).toBe(true);
    expect((await h.session.getInfo({ refresh: true })).minPINLength).toBe(8);
  });

  it('never lowers the minimum: refused on the host, and by the key if asked anyway', async () => {
    const h = await key('ctap21');
    await setMinPinLength({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), minPinLength: 6 });
    expect(h.key.state.minPinLength).toBe(6);
    expect(h.key.state.forcePinChange).toBe(false);

    h.sent.length = 0;
    const prompts = scriptedPrompts({ pins: [PIN] });
    const lower = await setMinPinLength({ session: h.session, prompts, minPinLength: 5 });
    expect(lower).toEqual({ outcome: 'not-allowed', reason: 'only-goes-up', current: 6 });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.sent).not.toContain(Ctap2Command.CONFIG);

    // A client that skipped the host check gets PIN_POLICY_VIOLATION and the key keeps 6.
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.acfg });
    const params = new Map([[1, 5]]);
    const message = concatBytes(new Uint8Array(32).fill(0xff), new Uint8Array([0x0d, 0x03]), encodeCanonical(params));
    const request = new Map<number, number | Map<number, number> | Uint8Array>([
      [1, 0x03],
      [2, params],
      [3, token.protocol.version],
      [4, token.protocol.authenticate(token.token, message)],
    ]);
    const refused = await h.session.send(Ctap2Command.CONFIG, request).catch((e: unknown) => e);
    expect((refused as CtapError).status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect(h.key.state.minPinLength).toBe(6);
    token.dispose();
  });

  it('stores the RP IDs, refusing more than maxRPIDsForSetMinPINLength before sending', async () => {
    const h = await key('ctap21');
    const tooMany = await setMinPinLength({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), rpIds: ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'] });
    expect(tooMany).toEqual({ outcome: 'not-allowed', reason: 'too-many-rp-ids', maxRpIds: 4 });
    const ok = await setMinPinLength({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), rpIds: ['login.example.com'] });
    expect(ok).toEqual({ outcome: 'done', minPinLength: 4, forcePinChange: false });
    expect(h.key.state.minPinLengthRpIds).toEqual(['login.example.com']);
  });

  it('forceChangePin makes the key demand a new PIN; then passkey tokens are refused until changed', async () => {
    const h = await key('ctap21');
    const prompts = scriptedPrompts({ pins: [PIN] });
    await expect(setMinPinLength({ session: h.session, prompts, forceChangePin: true })).resolves.toEqual({ outcome: 'done', minPinLength: 4, forcePinChange: true });
    expect(prompts.log.confirms[0]!.consequences).toContainEqual({ code: 'pin-must-change' });
    expect(h.key.state.forcePinChange).toBe(true);
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(listed.outcome).toBe('pin-change-required');
  });

  it('keeps the minimum when the person declines', async () => {
    const h = await key('ctap21');
    const prompts = scriptedPrompts({ pins: [PIN], confirm: false });
    await expect(setMinPinLength({ session: h.session, prompts, minPinLength: 10 })).resolves.toEqual({ outcome: 'declined' });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.key.state.minPinLength).toBe(4);
  });

  it('works without a PIN on a key that has none (provisioning order), asking for no PIN', async () => {
    const h = await key('ctap21', null);
    const prompts = scriptedPrompts();
    await expect(setMinPinLength({ session: h.session, prompts, minPinLength: 6 })).resolves.toEqual({ outcome: 'done', minPinLength: 6, forcePinChange: false });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.key.state.minPinLength).toBe(6);
  });
});

describe('toggleAlwaysUv', () => {
  it('turns alwaysUv on and off again, as getInfo then reports', async () => {
    const h = await key('ctap21');
    await expect(toggleAlwaysUv({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) })).resolves.toEqual({ outcome: 'done', alwaysUv: true });
    expect(h.key.state.alwaysUv).toBe(true);
    expect((await h.session.getInfo({ refresh: true })).options.makeCredUvNotRqd).toBe(false);
    await expect(toggleAlwaysUv({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) })).resolves.toEqual({ outcome: 'done', alwaysUv: false });
    expect(h.key.state.alwaysUv).toBe(false);
  });

  it('a wrong-permission token is refused by the key and nothing changes', async () => {
    const h = await key('ctap21');
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    const message = concatBytes(new Uint8Array(32).fill(0xff), new Uint8Array([0x0d, 0x02]));
    const request = new Map<number, number | Uint8Array>([[1, 0x02], [3, token.protocol.version], [4, token.protocol.authenticate(token.token, message)]]);
    const refused = await h.session.send(Ctap2Command.CONFIG, request).catch((e: unknown) => e);
    expect((refused as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    const unauthenticated = await h.session.send(Ctap2Command.CONFIG, new Map([[1, 0x02]])).catch((e: unknown) => e);
    expect((unauthenticated as CtapError).status).toBe(CtapStatus.PUAT_REQUIRED);
    expect(h.key.state.alwaysUv).toBe(false);
    token.dispose();
  });
});

describe('enableEnterpriseAttestation', () => {
  it('explains that a reset disables it again, then enables it', async () => {
    const h = await key('ctap21');
    const prompts = scriptedPrompts({ pins: [PIN] });
    await expect(enableEnterpriseAttestation({ session: h.session, prompts })).resolves.toEqual({ outcome: 'done', enabled: true });
    expect(prompts.log.confirms[0]!.consequences).toContainEqual({ code: 'enterprise-attestation-reset-off' });
    expect(h.key.state.enterpriseAttestation).toBe(true);
  });

  it('does nothing when declined', async () => {
    const h = await key('ctap21');
    const prompts = scriptedPrompts({ pins: [PIN], confirm: false });
    await expect(enableEnterpriseAttestation({ session: h.session, prompts })).resolves.toEqual({ outcome: 'declined' });
    expect(h.key.state.enterpriseAttestation).toBe(false);
    expect(h.sent).not.toContain(Ctap2Command.CONFIG);
  });
});

describe('keys without settings', () => {
  it.each(['ctap21-pre', 'ctap20'])('%s says in words that it has no settings, and sends no config command', async (preset) => {
    const h = await key(preset);
    const prompts = scriptedPrompts({ pins: [PIN] });
    for (const run of [toggleAlwaysUv, enableEnterpriseAttestation]) {
      const result = await run({ session: h.session, prompts });
      expect(result).toEqual({ outcome: 'unsupported', feature: 'authenticator-config' });
    }
    expect((await setMinPinLength({ session: h.session, prompts, minPinLength: 8 })).outcome).toBe('unsupported');
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.sent).not.toContain(Ctap2Command.CONFIG);
    expect(h.key.state.minPinLength).toBe(4);
  });
});
