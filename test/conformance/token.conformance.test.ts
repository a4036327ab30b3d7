/**
 * pinUvAuthToken conformance — CTAP 2.1 §6.5.2 (a power-up makes a new token), §6.5.5.7 (each
 * new token replaces the previous one; permissions), §6.8 (credentialManagement needs cm) — run
 * over every registered authenticator under test. A token is used through getCredsMetadata,
 * the cheapest command that checks one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { CredentialManagement } from '../../ctap/ctap2/credential-management.js';
import { bioEnrollmentSupport, credentialManagementSupport, supportsPermissions } from '../../ctap/ctap2/info.js';
import { CtapStatus } from '../../ctap/status.js';
import { conformanceTargets, statusOf, type OpenTarget } from './targets.js';

const PIN = '314159';

describe.each(conformanceTargets)('pinUvAuthToken conformance: $name', (target) => {
  const timeout = target.timeoutMs;
  let key: OpenTarget;

  beforeEach(async (context) => {
    key = await target.open({ preset: 'ctap21' });
    const info = await key.session.getInfo({ refresh: true });
    // These rules are CTAP 2.1's; a real key without permission tokens or credMgmt is skipped.
    if (!supportsPermissions(info) || credentialManagementSupport(info) !== 'full') context.skip();
    await new ClientPin(key.session).setPin(PIN);
  }, timeout);

  afterEach(async () => {
    await key?.close();
  }, timeout);

  it('a cm token manages credentials', { timeout }, async () => {
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    const metadata = await new CredentialManagement(key.session, token).getMetadata();
    expect(metadata.existingResidentCredentialsCount).toBe(0);
    expect(metadata.maxPossibleRemainingResidentCredentialsCount).toBeGreaterThan(0);
  });

  it('getting a new token invalidates the previous one (§6.5.5.7 resetPinUvAuthToken)', { timeout }, async () => {
    const first = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    const second = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    expect(second.token).not.toEqual(first.token);
    expect(await statusOf(new CredentialManagement(key.session, first).getMetadata())).toBe(CtapStatus.PIN_AUTH_INVALID);
    await new CredentialManagement(key.session, second).getMetadata();
  });

  it('a power cycle invalidates the token (§6.5.2)', { timeout }, async () => {
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm });
    await key.powerCycle();
    expect(await statusOf(new CredentialManagement(key.session, token).getMetadata())).toBe(CtapStatus.PIN_AUTH_INVALID);
  });

  it('a token without the cm permission cannot manage credentials (§6.8)', { timeout }, async () => {
    const token = await new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.acfg });
    // 2.1 firmware answers PIN_AUTH_INVALID; some answer the later UNAUTHORIZED_PERMISSION.
    expect([CtapStatus.PIN_AUTH_INVALID, CtapStatus.UNAUTHORIZED_PERMISSION]).toContain(
      await statusOf(new CredentialManagement(key.session, token).getMetadata()),
    );
  });

  it('a permission for a feature the key lacks is refused (§6.5.5.7: be without bioEnroll → UNAUTHORIZED_PERMISSION)', { timeout }, async (context) => {
    if (bioEnrollmentSupport(await key.session.getInfo()) !== 'none') context.skip();
    expect(await statusOf(new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.be }))).toBe(
      CtapStatus.UNAUTHORIZED_PERMISSION,
    );
  });
});
