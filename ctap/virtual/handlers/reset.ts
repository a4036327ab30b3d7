/**
 * The virtual key's authenticatorReset (0x07) — CTAP 2.1 §6.6 — and authenticatorSelection
 * (0x0B) — CTAP 2.1 §6.9.
 *
 * Reset refuses when this transport is not in transportsForReset (0x27), when the window after
 * power-up has passed or a firmware quirk revoked the permission (0x30 NOT_ALLOWED), then needs a
 * touch (declined 0x27, no touch → the configured timeout status, 0x2F or YubiKey's 0x3A), and
 * finally returns the key to its factory state: no credentials, fingerprints or PIN, retries
 * back to 8, alwaysUv / enterprise attestation off, minimum PIN length back to 4 (§6.6).
 * @module
 */
import { generateKeyAgreementKeyPair } from '../../ctap2/pin-protocol.js';
import { CtapStatus } from '../../status.js';
import { newState } from '../state.js';
import { StatusError, type CommandHandler, type CommandContext } from './context.js';
import { invalidateToken } from './token.js';

export const handleReset: CommandHandler = async (_params, ctx) => {
  const { reset } = ctx.config;
  // §6.6: "If this command is disabled for the transport used, return CTAP2_ERR_OPERATION_DENIED."
  if (reset.transportsForReset !== null && !reset.transportsForReset.includes(ctx.transport)) {
    throw new StatusError(CtapStatus.OPERATION_DENIED, `reset is disabled over ${ctx.transport}`);
  }
  // §6.6: "If the request comes after 10 seconds of powering up, return CTAP2_ERR_NOT_ALLOWED."
  if (!ctx.powerUp.resetPermission || !withinWindow(ctx)) {
    throw new StatusError(CtapStatus.NOT_ALLOWED, 'reset is only allowed right after power-up');
  }
  await ctx.userPresence();
  // The window is measured at arrival; a touch that comes later still completes the reset.
  wipe(ctx);
  return undefined;
};

/** §6.9: wait for a touch so the person can pick this key among several (keys without it never get here). */
export const handleSelection: CommandHandler = async (_params, ctx) => {
  await ctx.userPresence();
  return undefined;
};

function withinWindow(ctx: CommandContext): boolean {
  return ctx.now() - ctx.powerUp.poweredAt <= ctx.config.reset.windowMs;
}

function wipe(ctx: CommandContext): void {
  Object.assign(ctx.state, newState());
  // Nothing issued before the reset may outlive it: token (zeroed), key agreement (a new pair,
  // as the PIN/UV protocols are initialized again), half-finished iterators, PIN counters.
  invalidateToken(ctx);
  ctx.powerUp.keyAgreement.secretKey.fill(0);
  ctx.powerUp.keyAgreement = generateKeyAgreementKeyPair();
  ctx.powerUp.pending = null;
  ctx.powerUp.consecutivePinFailures = 0;
  ctx.powerUp.consecutiveUvFailures = 0;
  ctx.commit();
}
