/**
 * The one BrowserWindow's options: a sandboxed, context-isolated page with no Node, full web
 * security and no way to reach the network or other content (DESIGN.md "Electron shell"). Pure,
 * so a test reads exactly what main.ts passes to Electron.
 * @module
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** DevTools only for a developer's unpackaged run. */
  isPackaged: boolean;
  title: string;
  /** Where the window was (a relaunch as administrator keeps it). */
  bounds?: { x: number; y: number; width: number; height: number };
}

/** Close to Windows Settings' own window, and never so small that the PIN dialog is cut. */
const DEFAULT_SIZE = { width: 1000, height: 720 };
const MIN_SIZE = { minWidth: 640, minHeight: 520 };

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...DEFAULT_SIZE,
    ...MIN_SIZE,
    ...(input.bounds ?? {}),
    title: input.title,
    // Shown on 'ready-to-show', so the person never sees an empty white frame.
    show: false,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Middle-click would open links in new windows (the open handler denies them anyway).
      disableBlinkFeatures: 'Auxclick',
      // A file dropped on the window must not replace the app with that file.
      navigateOnDragDrop: false,
      enableWebSQL: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !input.isPackaged,
    },
  };
}
