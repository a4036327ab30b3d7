/**
 * The renderer's only door to main: `window.skm`, exactly the IPC contract — one function per
 * channel (each an `ipcRenderer.invoke` of that channel alone) and `on(event, listener)` returning
 * its unsubscribe. Never `ipcRenderer` itself, never a way to name an arbitrary channel, and the
 * listener gets the payload only (the IPC event object would hand the page `ipcRenderer` back).
 * Bundled into dist/electron/preload.cjs: a sandboxed preload can require nothing but 'electron'.
 * @module
 */
import { contextBridge, ipcRenderer } from 'electron';
// The names only (no zod): this file is bundled into the sandboxed preload.
import { CHANNEL_NAMES, CHANNEL_PREFIX, EVENT_NAMES, EVENT_PREFIX } from '../ipc/channel-names.js';
import type { EventName, Events, SkmApi } from '../ipc/contract.js';

export interface IpcRendererPart {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The `window.skm` object over an ipcRenderer (tests pass a stand-in). */
export function createSkmApi(ipc: IpcRendererPart): SkmApi {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) api[name] = (input: unknown) => ipc.invoke(`${CHANNEL_PREFIX}${name}`, input);
  api.on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const forward = (_event: unknown, payload: unknown): void => listener(payload as Events[E]);
    ipc.on(`${EVENT_PREFIX}${event}`, forward);
    return () => {
      ipc.removeListener(`${EVENT_PREFIX}${event}`, forward);
    };
  };
  return Object.freeze(api) as SkmApi;
}

/** Runs when the bundle loads in the renderer's isolated world. */
export function exposeSkmApi(): void {
  contextBridge.exposeInMainWorld('skm', createSkmApi(ipcRenderer as unknown as IpcRendererPart));
}
