/**
 * Binds the IPC contract to ipcMain: one `ipcMain.handle` per channel of the contract, each going
 * to the IpcRouter (which parses the input with the channel's zod schema: malformed → BAD_REQUEST,
 * nothing done). Before that, every request must come from our window's top-level app:// frame;
 * anything else (a subframe, another origin, another webContents, a frame already gone) gets
 * FORBIDDEN and reaches neither the router nor the service. Events go to our window only.
 * @module
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAMES, CHANNEL_PREFIX, EVENT_PREFIX, type Events, type EventName, type Result } from '../ipc/contract.js';
import type { IpcRouter } from '../ipc/router.js';
import { isTrustedSender } from './security.js';

/** What a refused sender gets: no details about why, nothing done. */
export const FORBIDDEN_RESULT: Result<never> = { ok: false, error: { code: 'FORBIDDEN', facts: {} } };

/** The request handler of one channel: sender check first, then the router. */
export function guardedHandler(router: Pick<IpcRouter, 'handle'>, channel: string, window: Pick<WebContents, 'id'>) {
  return async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, input: unknown): Promise<Result<unknown>> => {
    if (event.sender.id !== window.id || !isTrustedSender(event.senderFrame)) return FORBIDDEN_RESULT;
    return router.handle(channel, input);
  };
}

/** Handle every channel of the contract for `window`; returns the function that unbinds them. */
export function bindIpc(router: Pick<IpcRouter, 'handle'>, window: Pick<WebContents, 'id'>): () => void {
  for (const name of CHANNEL_NAMES) ipcMain.handle(`${CHANNEL_PREFIX}${name}`, guardedHandler(router, name, window));
  return () => {
    for (const name of CHANNEL_NAMES) ipcMain.removeHandler(`${CHANNEL_PREFIX}${name}`);
  };
}

/** The router's `emit`: events to our window's main frame only, dropped once it is gone. */
export function emitTo(window: Pick<WebContents, 'send' | 'isDestroyed'>) {
  return <E extends EventName>(event: E, payload: Events[E]): void => {
    if (!window.isDestroyed()) window.send(`${EVENT_PREFIX}${event}`, payload);
  };
}
