/**
 * authenticatorReset (0x07) — CTAP 2.1 §6.6, and authenticatorSelection (0x0B) — CTAP 2.1 §6.9.
 *
 * Both commands carry no parameters and wait for a touch, so both pass the caller's AbortSignal
 * (CTAPHID_CANCEL / NFC cancel) and keepalive callback straight through to the transport.
 *
 * reset() deliberately sends nothing before the command itself: some firmware (OpenSK's
 * StatefulPermission) revokes the reset permission after any other command except getInfo and
 * selection, or after traffic on another CTAPHID channel, so the ceremony in
 * flows/reset-device.ts must be able to make RESET the first command after power-up.
 * @module
 */
import { UnsupportedError } from '../errors.js';
import type { TransactOptions } from '../transport/transport.js';
import { Ctap2Command } from './commands.js';
import { isCtap21 } from './info.js';
import type { Ctap2Session } from './session.js';

/**
 * Factory-reset the key (§6.6). Needs a touch, and on keys without a display must arrive within
 * 10 s of power-up (0x30 NOT_ALLOWED after that; 0x27 when declined or disabled on this
 * transport; 0x2F/0x3A when nobody touched the key).
 * @throws CtapError with the key's status; CancelledError/TransportError from the transport.
 */
export async function resetAuthenticator(session: Ctap2Session, options: TransactOptions = {}): Promise<void> {
  try {
    await session.send(Ctap2Command.RESET, undefined, options);
  } finally {
    // Whatever the outcome, PIN state and options may have changed: never trust the cache again.
    session.invalidateInfo();
  }
}

/**
 * Ask the key to wait for a touch so the user can pick it among several (§6.9). CTAP 2.1 only;
 * older keys need the dummy-makeCredential fallback in flows/select-device.ts.
 * @throws UnsupportedError when the cached getInfo says the key is not CTAP 2.1.
 */
export async function selectAuthenticator(session: Ctap2Session, options: TransactOptions = {}): Promise<void> {
  const info = session.cachedInfo;
  if (info && !isCtap21(info)) {
    throw new UnsupportedError('selection', 'This security key does not support authenticatorSelection (CTAP 2.1).');
  }
  await session.send(Ctap2Command.SELECTION, undefined, options);
}
