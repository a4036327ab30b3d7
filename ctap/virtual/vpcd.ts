/**
 * Puts a VirtualCard into a vsmartcard "vpcd" reader, so that pcscd and every real PC/SC client
 * (this app, python-fido2, libfido2, browsers) see a contactless FIDO card.
 *
 * vpcd wire protocol (vsmartcard virtualsmartcard/src/vpcd): the card is a TCP client of pcscd's
 * vpcd driver; each message is a 2-byte big-endian length and a payload. A 1-byte payload is a
 * control code (0 power off, 1 power on, 2 reset, 4 ask for the ATR, answered with the ATR); a
 * longer one is a command APDU, answered with the response APDU. Connecting is "tapping the card",
 * disconnecting is "lifting it".
 *
 * Each answer goes out in one write with Nagle off: vpcd reads length and body separately, and a
 * split write would meet delayed ACKs on loopback (TOOLCHAIN.md "Latency trap").
 * @module
 */
import { connect, type Socket } from 'node:net';
import type { VirtualCard } from './card.js';

export const DEFAULT_VPCD_PORT = 35963;

/** vpcd control codes (vpcd.h: VPCD_CTRL_*). */
export const VpcdControl = {
  OFF: 0,
  ON: 1,
  RESET: 2,
  ATR: 4,
} as const;

export type VpcdStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected' }
  | { state: 'power'; on: boolean }
  | { state: 'disconnected'; reason: string; retryInMs: number }
  | { state: 'stopped' };

export interface VpcdOptions {
  card: VirtualCard;
  /** Stops the attachment: the socket closes, which pcscd sees as the card being removed. */
  signal: AbortSignal;
  host?: string;
  port?: number;
  onStatus?: (status: VpcdStatus) => void;
  /** Reconnect backoff (pcscd restarting, not yet running): first delay and cap. */
  retryMs?: { initial: number; max: number };
}

/**
 * Keep the card attached to vpcd until `signal` aborts, reconnecting with backoff whenever pcscd
 * goes away. Resolves after the socket is closed on abort.
 */
export async function attachToVpcd(options: VpcdOptions): Promise<void> {
  const { card, signal, host = '127.0.0.1', port = DEFAULT_VPCD_PORT, onStatus } = options;
  const retry = options.retryMs ?? { initial: 200, max: 5_000 };
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`vpcd port ${port} is not a TCP port.`);
  let delay = retry.initial;
  let attempt = 0;
  while (!signal.aborted) {
    attempt += 1;
    onStatus?.({ state: 'connecting', attempt });
    const outcome = await serveOnce({ card, signal, host, port, onConnected: () => onStatus?.({ state: 'connected' }), onStatus });
    card.powerOff();
    if (signal.aborted) break;
    if (outcome.served) delay = retry.initial;
    onStatus?.({ state: 'disconnected', reason: outcome.reason, retryInMs: delay });
    await sleep(delay, signal);
    delay = Math.min(delay * 2, retry.max);
  }
  onStatus?.({ state: 'stopped' });
}

interface ServeOptions {
  card: VirtualCard;
  signal: AbortSignal;
  host: string;
  port: number;
  onConnected: () => void;
  onStatus: ((status: VpcdStatus) => void) | undefined;
}

/** One TCP session with vpcd; resolves when it ends for any reason. */
function serveOnce(options: ServeOptions): Promise<{ served: boolean; reason: string }> {
  const { card, signal, onStatus } = options;
  return new Promise((resolve) => {
    let served = false;
    let buffer = Buffer.alloc(0);
    // vpcd waits for each answer before sending more; a queue keeps answers in order regardless.
    let queue = Promise.resolve();
    const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
    const onAbort = (): void => {
      socket.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const send = (payload: Uint8Array): void => {
      const frame = Buffer.alloc(2 + payload.length);
      frame.writeUInt16BE(payload.length, 0);
      frame.set(payload, 2);
      if (!socket.destroyed) socket.write(frame);
    };

    const handle = async (payload: Buffer): Promise<void> => {
      if (payload.length === 1) {
        switch (payload[0]) {
          case VpcdControl.OFF:
            card.powerOff();
            onStatus?.({ state: 'power', on: false });
            return;
          case VpcdControl.ON:
          case VpcdControl.RESET:
            card.powerOn();
            onStatus?.({ state: 'power', on: true });
            return;
          case VpcdControl.ATR:
            send(card.atr);
            return;
          default:
            // Unknown control codes have no answer in the protocol; vpcd never sends them.
            return;
        }
      }
      try {
        send(await card.process(payload));
      } catch {
        // An APDU while unpowered: answer "no precise diagnosis" rather than leave vpcd hanging.
        send(Uint8Array.of(0x6f, 0x00));
      }
    };

    socket.on('connect', () => {
      served = true;
      socket.setNoDelay(true);
      options.onConnected();
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2) {
        const length = buffer.readUInt16BE(0);
        if (buffer.length < 2 + length) break;
        const payload = buffer.subarray(2, 2 + length);
        buffer = buffer.subarray(2 + length);
        queue = queue.then(() => handle(payload));
      }
    });
    socket.on('error', () => {
      // 'close' follows with the reason; a refused connection is retried by the caller.
    });
    socket.on('close', (hadError) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ served, reason: signal.aborted ? 'stopped' : hadError ? 'connection failed' : 'pcscd closed the connection' });
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
