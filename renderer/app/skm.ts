/**
 * The bridge to main: `window.skm` as the preload (or a test) exposes it, typed by the contract.
 * Nothing else in the renderer touches `window.skm`.
 * @module
 */
import type { SkmApi } from '../../main/ipc/contract.js';

declare global {
  interface Window {
    skm: SkmApi;
  }
}

export function skm(): SkmApi {
  return window.skm;
}

let runCounter = 0;

/** A run id unique within this page: the renderer names each run so it can cancel it early. */
export function newRunId(operation: string): string {
  runCounter += 1;
  return `${operation}-${Date.now().toString(36)}-${runCounter}`;
}
