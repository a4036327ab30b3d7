/**
 * Minimum PIN length and forced PIN change through authenticatorConfig — CTAP 2.1 §6.11.4
 * setMinPINLength, §6.4 (minPINLength 0x0D, forcePINChange 0x0C), §6.5.5.7 (no token while a
 * change is due) — run over every registered authenticator under test that has authnrCfg.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticatorConfig } from '../../ctap/ctap2/authenticator-config.js';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { supportsConfig, supportsPermissions } from '../../ctap/ctap2/info.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { conformanceTargets, statusOf, type OpenTarget } from './targets.js';

const SHORT_PIN = '2468';

describe.each(conformanceTargets)('minPINLength conformance: $name', (target) => {
  const timeout = target.timeoutMs;
  let key: OpenTarget;

  beforeEach(async (context) => {
    key = await target.open({ preset: 'ctap21' });
    const info = await key.session.getInfo({ refresh: true });
    if (!supportsConfig(info) || !supportsPermissions(info)) context.skip();
    await new ClientPin(key.session).setPin(SHORT_PIN);
  }, timeout);

  afterEach(async () => {
    await key?.close();
  }, timeout);

  async function configure(options: { minPinLength?: number; forceChangePin?: boolean }): Promise<void> {
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(SHORT_PIN, { permissions: Permission.acfg });
    try {
      await new AuthenticatorConfig(key.session, token).setMinPinLength(options);
    } finally {
      token.dispose();
    }
    // getInfo changed (minPINLength, forcePINChange): read it again, as the configure flow does.
    await key.session.getInfo({ refresh: true });
  }

  it('raising the minimum above the current PIN forces a change (§6.11.4)', { timeout }, async () => {
    await configure({ minPinLength: 6 });
    const info = await key.session.getInfo({ refresh: true });
    expect(info.minPINLength).toBe(6);
    expect(info.forcePINChange).toBe(true);
  });

  it('while a change is due no token is given; the old short PIN still changes the PIN, to one of the new length', { timeout }, async () => {
    await configure({ minPinLength: 6, forceChangePin: true });
    const pin = new ClientPin(key.session);
    expect(await statusOf(pin.getPinUvAuthTokenUsingPin(SHORT_PIN, { permissions: Permission.cm }))).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    await expect(pin.changePin(SHORT_PIN, '12345')).rejects.toMatchObject({ reason: 'too-short', minLength: 6 });
    await pin.changePin(SHORT_PIN, '135790');
    const info = await key.session.getInfo({ refresh: true });
    expect(info.forcePINChange).toBe(false);
    expect(info.minPINLength).toBe(6);
    const token = await pin.getPinUvAuthTokenUsingPin('135790', { permissions: Permission.cm });
    expect(token.token.length).toBe(32);
    token.dispose();
  });

  it('forceChangePin alone sets forcePINChange without changing the minimum', { timeout }, async () => {
    const before = (await key.session.getInfo({ refresh: true })).minPINLength;
    await configure({ forceChangePin: true });
    const info = await key.session.getInfo({ refresh: true });
    expect(info.forcePINChange).toBe(true);
    expect(info.minPINLength).toBe(before);
  });

  it('the minimum cannot be lowered (§6.11.4: CTAP2_ERR_PIN_POLICY_VIOLATION)', { timeout }, async () => {
    await configure({ minPinLength: 6 });
    await new ClientPin(key.session).changePin(SHORT_PIN, '135790');
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin('135790', { permissions: Permission.acfg });
    const lowering = new AuthenticatorConfig(key.session, token).setMinPinLength({ minPinLength: 5 });
    // The client may refuse this on the host; if it reaches the key, the key must refuse it.
    const error = await lowering.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    if (error instanceof CtapError) expect(error.status).toBe(CtapStatus.PIN_POLICY_VIOLATION);
    expect((await key.session.getInfo({ refresh: true })).minPINLength).toBe(6);
    token.dispose();
  });
});
