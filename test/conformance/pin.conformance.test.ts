/**
 * clientPIN conformance — CTAP 2.1 §6.4 (getInfo), §6.5.2.1 (PIN retries), §6.5.5 (setPIN,
 * changePIN, tokens) — run over every registered authenticator under test, through the
 * production transports and the production ClientPin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { isCtap2, isCtap21Pre, isPinSet, supportsClientPin, supportsPermissions, type AuthenticatorInfo } from '../../ctap/ctap2/info.js';
import { pinProtocol, type PinProtocolVersion } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { PinPolicyError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { CtapTransport } from '../../ctap/transport/transport.js';
import { conformanceTargets, statusOf, type OpenTarget } from './targets.js';

const PIN = '314159';
const CM = { permissions: Permission.cm };

/** The status a promise was rejected with (fails the test if it resolved or threw something else). */
async function tokenWorks(session: Ctap2Session, pin: string): Promise<boolean> {
  const token = await new ClientPin(session).getToken(pin, CM);
  const ok = token.token.some((b) => b !== 0);
  token.dispose();
  return ok;
}

async function info(target: OpenTarget): Promise<AuthenticatorInfo> {
  return target.session.getInfo({ refresh: true });
}

/** A transport wrapper that records the command byte of every CTAP2 request. */
function recording(transport: CtapTransport): { transport: CtapTransport; commands: number[] } {
  const commands: number[] = [];
  return {
    commands,
    transport: {
      kind: transport.kind,
      capabilities: transport.capabilities,
      transact(command, data, options) {
        commands.push(data[0]!);
        return transport.transact(command, data, options);
      },
      wink: (options) => transport.wink(options),
      close: () => transport.close(),
    },
  };
}

describe.each(conformanceTargets)('clientPIN conformance: $name', (target) => {
  /** A person may have to replug and touch a real key in every test. */
  const timeout = target.timeoutMs;
  let key: OpenTarget;

  afterEach(async () => {
    await key?.close();
  }, timeout);

  describe('CTAP 2.1 key', () => {
    beforeEach(async () => {
      key = await target.open({ preset: 'ctap21' });
    }, timeout);

    it('getInfo is sane for a fresh key (§6.4)', { timeout }, async () => {
      const i = await info(key);
      expect(isCtap2(i)).toBe(true);
      expect(i.aaguid.length).toBe(16);
      expect(i.maxMsgSize).toBeGreaterThanOrEqual(1024);
      expect(supportsClientPin(i)).toBe(true);
      expect(isPinSet(i)).toBe(false);
      expect(i.pinUvAuthProtocols.length).toBeGreaterThan(0);
      expect(i.pinUvAuthProtocols.every((p) => p === 1 || p === 2)).toBe(true);
      expect(i.minPINLength).toBeGreaterThanOrEqual(4);
      expect(i.forcePINChange).toBe(false);
      expect((await new ClientPin(key.session).getPinRetries()).retries).toBe(8);
    });

    it('sets a PIN: clientPin becomes true and the PIN unlocks a token', { timeout }, async () => {
      await new ClientPin(key.session).setPin(PIN);
      expect(isPinSet(await info(key))).toBe(true);
      expect(await tokenWorks(key.session, PIN)).toBe(true);
      expect((await new ClientPin(key.session).getPinRetries()).retries).toBe(8);
    });

    it('refuses setPIN on a key that has a PIN (§6.5.5.5: PIN_AUTH_INVALID; NOT_ALLOWED before 2.1)', { timeout }, async () => {
      // A second session whose cached getInfo predates the PIN passes the host check, so the
      // key itself has to refuse.
      const stale = new Ctap2Session(key.session.transport);
      expect(isPinSet(await stale.getInfo())).toBe(false);
      await new ClientPin(key.session).setPin(PIN);
      // CTAP 2.1 §6.5.5.5 step 3: "If a PIN has already been set, authenticator returns
      // CTAP2_ERR_PIN_AUTH_INVALID error"; 2.0-era firmware answers NOT_ALLOWED.
      const expected = (await info(key)).versions.includes('FIDO_2_1') ? CtapStatus.PIN_AUTH_INVALID : CtapStatus.NOT_ALLOWED;
      expect(await statusOf(new ClientPin(stale).setPin('999999'))).toBe(expected);
      expect(await tokenWorks(key.session, PIN)).toBe(true);
    });

    it.for([1, 2] as PinProtocolVersion[])('changes the PIN with protocol %s', { timeout }, async (version, context) => {
      if (!(await info(key)).pinUvAuthProtocols.includes(version)) context.skip();
      await new ClientPin(key.session).setPin(PIN);
      await new ClientPin(key.session, pinProtocol(version)).changePin(PIN, '271828');
      expect(await tokenWorks(key.session, '271828')).toBe(true);
      expect(await statusOf(tokenWorks(key.session, PIN))).toBe(CtapStatus.PIN_INVALID);
    });

    it('gets a token with each protocol the key offers', { timeout }, async () => {
      await new ClientPin(key.session).setPin(PIN);
      for (const version of (await info(key)).pinUvAuthProtocols as PinProtocolVersion[]) {
        const token = await new ClientPin(key.session, pinProtocol(version)).getToken(PIN, CM);
        // §6.5.6: protocol 1 tokens are 16 or 32 bytes; §6.5.7: protocol 2 tokens are 32.
        expect(version === 1 ? [16, 32] : [32]).toContain(token.token.length);
        token.dispose();
      }
    });

    it('a wrong PIN costs one retry and the right one restores the counter (§6.5.2.1)', { timeout }, async () => {
      const pin = new ClientPin(key.session);
      await pin.setPin(PIN);
      expect(await statusOf(pin.getToken('000000', CM))).toBe(CtapStatus.PIN_INVALID);
      expect((await pin.getPinRetries()).retries).toBe(7);
      expect(await statusOf(pin.getToken('000001', CM))).toBe(CtapStatus.PIN_INVALID);
      expect((await pin.getPinRetries()).retries).toBe(6);
      expect(await tokenWorks(key.session, PIN)).toBe(true);
      expect((await pin.getPinRetries()).retries).toBe(8);
    });

    it('3 wrong PINs in one power-up block PIN entry until a power cycle (CTAP2_ERR_PIN_AUTH_BLOCKED)', { timeout }, async () => {
      await new ClientPin(key.session).setPin(PIN);
      const pin = new ClientPin(key.session);
      expect(await statusOf(pin.getToken('000000', CM))).toBe(CtapStatus.PIN_INVALID);
      expect(await statusOf(pin.getToken('000000', CM))).toBe(CtapStatus.PIN_INVALID);
      expect(await statusOf(pin.getToken('000000', CM))).toBe(CtapStatus.PIN_AUTH_BLOCKED);
      // Even the right PIN is refused now, and the refusal costs nothing.
      expect(await statusOf(pin.getToken(PIN, CM))).toBe(CtapStatus.PIN_AUTH_BLOCKED);
      const blocked = await pin.getPinRetries();
      expect(blocked.retries).toBe(5);
      if (blocked.powerCycleState !== null) expect(blocked.powerCycleState).toBe(true);

      await key.powerCycle();
      const after = new ClientPin(key.session);
      const fresh = await after.getPinRetries();
      expect(fresh.retries).toBe(5);
      if (fresh.powerCycleState !== null) expect(fresh.powerCycleState).toBe(false);
      expect(await tokenWorks(key.session, PIN)).toBe(true);
      expect((await after.getPinRetries()).retries).toBe(8);
    });

    it('8 wrong PINs in total block the PIN for good (CTAP2_ERR_PIN_BLOCKED), across power cycles', { timeout }, async () => {
      await new ClientPin(key.session).setPin(PIN);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 8; attempt++) {
        if (attempt > 0 && attempt % 3 === 0) await key.powerCycle();
        statuses.push(await statusOf(new ClientPin(key.session).getToken('000000', CM)));
      }
      expect(statuses.slice(0, 7)).toEqual([
        CtapStatus.PIN_INVALID, CtapStatus.PIN_INVALID, CtapStatus.PIN_AUTH_BLOCKED,
        CtapStatus.PIN_INVALID, CtapStatus.PIN_INVALID, CtapStatus.PIN_AUTH_BLOCKED,
        CtapStatus.PIN_INVALID,
      ]);
      expect(statuses[7]).toBe(CtapStatus.PIN_BLOCKED);
      expect((await new ClientPin(key.session).getPinRetries()).retries).toBe(0);
      await key.powerCycle();
      expect(await statusOf(new ClientPin(key.session).getToken(PIN, CM))).toBe(CtapStatus.PIN_BLOCKED);
      expect(await statusOf(new ClientPin(key.session).changePin(PIN, '271828'))).toBe(CtapStatus.PIN_BLOCKED);
    });

    it('forcePINChange: tokens are refused with CTAP2_ERR_PIN_POLICY_VIOLATION until the PIN is changed (§6.5.5.7)', { timeout }, async (context) => {
      // Only a simulated key can be told to want a new PIN without authenticatorConfig.
      if (!key.state || !supportsPermissions(await info(key))) context.skip();
      const state = key.state!;
      await new ClientPin(key.session).setPin(PIN);
      state.forcePinChange = true;
      expect((await info(key)).forcePINChange).toBe(true);
      expect(await statusOf(new ClientPin(key.session).getPinUvAuthTokenUsingPin(PIN, CM))).toBe(CtapStatus.PIN_POLICY_VIOLATION);
      await new ClientPin(key.session).changePin(PIN, '271828');
      expect((await info(key)).forcePINChange).toBe(false);
      expect(state.forcePinChange).toBe(false);
      expect(await tokenWorks(key.session, '271828')).toBe(true);
    });

    it('too-short and too-long (64-byte) PINs are refused before anything is sent (§6.5.1)', { timeout }, async () => {
      if (key.state) {
        // The simulated key is changed behind the platform's back, which no real key allows: over
        // NFC the answer to the applet probe's getInfo (kept for the first getInfo) predates it.
        await key.session.getInfo();
        key.state.minPinLength = 6;
      }
      const probe = recording(key.session.transport);
      const session = new Ctap2Session(probe.transport);
      const minimum = Math.max(4, (await session.getInfo()).minPINLength);
      if (key.state) expect(minimum).toBe(6);
      const pin = new ClientPin(session);
      await expect(pin.setPin('1'.repeat(minimum - 1))).rejects.toMatchObject({ reason: 'too-short' });
      await expect(pin.setPin('1'.repeat(64))).rejects.toMatchObject({ reason: 'too-long' });
      await expect(pin.setPin('\u00e9'.repeat(32))).rejects.toBeInstanceOf(PinPolicyError);
      // Only the getInfo that told us the rules went to the key.
      expect(probe.commands).toEqual([0x04]);
      expect(isPinSet(await info(key))).toBe(false);
    });
  });

  describe('CTAP 2.1-PRE key (legacy PIN token)', () => {
    beforeEach(async () => {
      key = await target.open({ preset: 'ctap21-pre' });
    }, timeout);

    it('sets and changes a PIN with protocol 1 and gets a legacy token; permission tokens are refused on the host', { timeout }, async (context) => {
      // A real key is whatever it is: this part is for 2.1-PRE keys only.
      if (!isCtap21Pre(await info(key))) context.skip();
      const pin = new ClientPin(key.session);
      await pin.setPin(PIN);
      await pin.changePin(PIN, '271828');
      const token = await pin.getToken('271828', CM);
      expect(token.legacy).toBe(true);
      expect(token.protocol.version).toBe(1);
      expect([16, 32]).toContain(token.token.length);
      token.dispose();
      await expect(pin.getPinUvAuthTokenUsingPin('271828', CM)).rejects.toBeInstanceOf(UnsupportedError);
    });
  });
});
