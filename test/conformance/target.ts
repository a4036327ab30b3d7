/**
 * "An authenticator under test" (DESIGN.md "Tests that mean something"): the conformance suite
 * is written once against this shape and run over every registered target — the virtual key
 * through the production USB HID transport, the same key through the real PC/SC stack, and,
 * opt-in, a real key.
 * @module
 */
import { expect } from 'vitest';
import type { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError } from '../../ctap/errors.js';
import type { VirtualKeyState } from '../../ctap/virtual/state.js';

export interface OpenTarget {
  /** The session over the current transport; replaced by `powerCycle()`. */
  readonly session: Ctap2Session;
  /**
   * The key's stored state when it is simulated, null for a real key. Tests use it to reach
   * conditions a real key only reaches through long procedures (forcePINChange) and skip
   * themselves when it is null.
   */
  readonly state: VirtualKeyState | null;
  /** Remove power and restore it (unplug and replug, lift and tap), then reopen the transport. */
  powerCycle(): Promise<void>;
  close(): Promise<void>;
}

export interface AuthenticatorUnderTest {
  name: string;
  /** Per-test timeout when a person is involved (replug, touch); the suite default otherwise. */
  timeoutMs?: number;
  /** A factory-fresh key of `preset` (simulated targets); a real key ignores the preset. */
  open(options: { preset: string }): Promise<OpenTarget>;
}

/**
 * Every target the suite runs over. A target module pushes itself here when imported; to add
 * one, add its import line to ./targets.ts.
 */
export const conformanceTargets: AuthenticatorUnderTest[] = [];

/** The CTAP status a call failed with; fails the test if it succeeded or failed otherwise. */
export async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CtapError);
  return (error as CtapError).status;
}
