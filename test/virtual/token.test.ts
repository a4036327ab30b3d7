// verifyPinUvAuthParam: the pinUvAuthParam check every virtual handler shares (CTAP 2.1 §6.8 steps 2–4).
import { describe, expect, it } from 'vitest';
import { Permission } from '../../ctap/ctap2/client-pin.js';
import { pinProtocol } from '../../ctap/ctap2/pin-protocol.js';
import { CtapStatus } from '../../ctap/status.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { StatusError, type CommandContext } from '../../ctap/virtual/handlers/context.js';
import { invalidateToken, issueToken, TOKEN_INITIAL_USAGE_LIMIT_MS, TOKEN_MAX_USAGE_PERIOD_MS, verifyPinUvAuthParam, type VerifyOptions } from '../../ctap/virtual/handlers/token.js';
import { newPowerUpState, newState } from '../../ctap/virtual/state.js';

function context(preset = 'ctap21', clock: () => number = () => 0): CommandContext {
  return {
    config: presetConfig(preset),
    state: newState(),
    powerUp: newPowerUpState(0),
    transport: 'usb',
    channel: 1,
    signal: new AbortController().signal,
    keepalive: () => undefined,
    userPresence: async () => undefined,
    now: clock,
    commit: () => undefined,
  };
}

const message = Uint8Array.of(1, 2, 3);

function statusOf(ctx: CommandContext, options: VerifyOptions): number {
  try {
    verifyPinUvAuthParam(ctx, options);
    return CtapStatus.OK;
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
}

function issue(ctx: CommandContext, permissions: number, options: { legacy?: boolean; rpId?: string; protocol?: number } = {}): Uint8Array {
  const protocol = options.protocol ?? (options.legacy ? 1 : 2);
  return issueToken(ctx, { protocol, permissions, rpId: options.rpId ?? null, legacy: options.legacy ?? false, userVerified: true, userPresent: false });
}

describe('verifyPinUvAuthParam', () => {
  const v2 = pinProtocol(2);

  it('checks presence of param and protocol, then the protocol, in the spec order', () => {
    const ctx = context();
    const token = issue(ctx, Permission.cm);
    const param = v2.authenticate(token, message);
    expect(statusOf(ctx, { protocol: 2, param: undefined, message, permission: Permission.cm })).toBe(CtapStatus.PUAT_REQUIRED);
    expect(statusOf(ctx, { protocol: undefined, param, message, permission: Permission.cm })).toBe(CtapStatus.MISSING_PARAMETER);
    expect(statusOf(ctx, { protocol: 3, param, message, permission: Permission.cm })).toBe(CtapStatus.INVALID_PARAMETER);
    expect(statusOf(context('ctap21-pre'), { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.INVALID_PARAMETER);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.OK);
  });

  it('PIN_AUTH_INVALID without a token, for a wrong MAC, a missing permission, or after invalidation', () => {
    const ctx = context();
    expect(statusOf(ctx, { protocol: 2, param: new Uint8Array(32), message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    const token = issue(ctx, Permission.cm);
    const param = v2.authenticate(token, message);
    expect(statusOf(ctx, { protocol: 2, param, message: Uint8Array.of(9), permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.acfg })).toBe(CtapStatus.PIN_AUTH_INVALID);
    invalidateToken(ctx);
    expect(token.every((b) => b === 0)).toBe(true);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
  });

  it('protocol 1 uses the 16-byte truncated MAC', () => {
    const ctx = context();
    const token = issue(ctx, Permission.cm, { protocol: 1 });
    const param = pinProtocol(1).authenticate(token, message);
    expect(param).toHaveLength(16);
    expect(statusOf(ctx, { protocol: 1, param, message, permission: Permission.cm })).toBe(CtapStatus.OK);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
  });

  it('a token acts only under the protocol it was issued with (§6.5.4: one pinUvAuthToken per protocol, as OpenSK)', () => {
    const ctx = context();
    const token = issue(ctx, Permission.cm, { protocol: 2 });
    const v1Param = pinProtocol(1).authenticate(token, message);
    expect(statusOf(ctx, { protocol: 1, param: v1Param, message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(statusOf(ctx, { protocol: 2, param: v2.authenticate(token, message), message, permission: Permission.cm })).toBe(CtapStatus.OK);
  });

  it('binds an unbound mc/ga token to the first RP and refuses another one', () => {
    const ctx = context();
    const token = issue(ctx, Permission.mc | Permission.ga);
    const param = v2.authenticate(token, message);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.mc, rpId: 'a.example' })).toBe(CtapStatus.OK);
    expect(ctx.powerUp.token?.rpId).toBe('a.example');
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.ga, rpId: 'b.example' })).toBe(CtapStatus.PIN_AUTH_INVALID);
  });

  it('a cm token bound to an RP acts only for that RP, and is not bound by use', () => {
    const ctx = context();
    const bound = issue(ctx, Permission.cm, { rpId: 'a.example' });
    const param = v2.authenticate(bound, message);
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm, rpId: 'b.example' })).toBe(CtapStatus.PIN_AUTH_INVALID);
    const unbound = issue(ctx, Permission.cm);
    expect(statusOf(ctx, { protocol: 2, param: v2.authenticate(unbound, message), message, permission: Permission.cm, rpId: 'b.example' })).toBe(CtapStatus.OK);
    expect(ctx.powerUp.token?.rpId).toBeNull();
  });

  it('a legacy (2.0 / 2.1-PRE getPinToken) token acts for every permission and is kept per power-up', () => {
    const ctx = context('ctap21-pre');
    const token = issue(ctx, 0, { legacy: true });
    expect(issue(ctx, 0, { legacy: true })).toBe(token);
    const param = pinProtocol(1).authenticate(token, message);
    for (const permission of Object.values(Permission)) {
      expect(statusOf(ctx, { protocol: 1, param, message, permission, rpId: 'x.example' })).toBe(CtapStatus.OK);
    }
  });

  it('a token unused for 30 s stops working (§6.5.2.1 initial usage time limit)', () => {
    let now = 5_000;
    const ctx = context('ctap21', () => now);
    const token = issue(ctx, Permission.cm);
    const param = v2.authenticate(token, message);
    now += TOKEN_INITIAL_USAGE_LIMIT_MS + 1;
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(ctx.powerUp.token).toBeNull();
    expect(token.every((b) => b === 0)).toBe(true);
  });

  it('a token used in time keeps working, but not past the 10-minute maximum usage period', () => {
    let now = 0;
    const ctx = context('ctap21', () => now);
    const token = issue(ctx, Permission.cm);
    const param = v2.authenticate(token, message);
    now += TOKEN_INITIAL_USAGE_LIMIT_MS - 1;
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.OK);
    now += 5 * 60_000;
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.OK);
    now = TOKEN_MAX_USAGE_PERIOD_MS + 1;
    expect(statusOf(ctx, { protocol: 2, param, message, permission: Permission.cm })).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(ctx.powerUp.token).toBeNull();
  });

  it('a legacy getPinToken token has no usage timer: it lasts the power-up (CTAP 2.0 §5.5.4)', () => {
    let now = 0;
    const ctx = context('ctap21-pre', () => now);
    const token = issue(ctx, 0, { legacy: true });
    now += 2 * TOKEN_MAX_USAGE_PERIOD_MS;
    const param = pinProtocol(1).authenticate(token, message);
    expect(statusOf(ctx, { protocol: 1, param, message, permission: Permission.cm })).toBe(CtapStatus.OK);
  });
});
