/**
 * The shell's side of the OS actions the router serves (router.ts SystemActions): the doctor
 * report, "Restart as administrator" (Windows: relaunch through UAC with the window's state and
 * the simulated keys carried over, then quit) and "Open Windows Settings". The relaunched copy
 * waits for this one to exit (main.ts), so the simulated key files are saved and unlocked first.
 * @module
 */
import type { App, BrowserWindow, Shell } from 'electron';
import type { Result } from '../ipc/contract.js';
import type { SystemActions } from '../ipc/router.js';
import { runDoctor } from '../service/doctor.js';
import { systemProbes } from '../service/doctor-probes.js';
import { startElevated, WINDOWS_SECURITY_KEY_SETTINGS } from '../service/windows-elevation.js';
import { relaunchArguments } from './launch-options.js';

export interface SystemActionsInput {
  app: Pick<App, 'isPackaged' | 'getAppPath' | 'quit'>;
  shell: Pick<Shell, 'openExternal'>;
  window: () => Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized'> | undefined;
  /** The simulated keys open now, to open again after the relaunch. */
  virtualFiles: () => string[];
  platform?: NodeJS.Platform;
  executable?: string;
  start?: typeof startElevated;
}

const windowsOnly: Result<never> = { ok: false, error: { code: 'UNSUPPORTED', facts: { reason: 'os-action-unavailable' } } };

export function shellSystemActions(input: SystemActionsInput): SystemActions {
  const platform = input.platform ?? process.platform;
  const start = input.start ?? startElevated;
  return {
    runDoctor: () => runDoctor(systemProbes()),
    async restartElevated() {
      const window = input.window();
      if (platform !== 'win32' || !window) return windowsOnly;
      const args = relaunchArguments({ virtualFiles: input.virtualFiles(), bounds: window.getNormalBounds(), maximized: window.isMaximized() });
      // Unpackaged, the executable is electron.exe and the app is its first argument.
      const appArgs = input.app.isPackaged ? [] : [input.app.getAppPath()];
      const outcome = await start(input.executable ?? process.execPath, [...appArgs, ...args]);
      if (outcome === 'declined') return { ok: false, error: { code: 'CANCELLED', facts: { reason: 'elevation-declined' } } };
      // Answer first, then quit: the renderer gets its Result before the window closes.
      setTimeout(() => input.app.quit(), 100);
      return { ok: true, value: { restarting: true } };
    },
    async openWindowsSettings() {
      if (platform !== 'win32') return windowsOnly;
      await input.shell.openExternal(WINDOWS_SECURITY_KEY_SETTINGS);
      return { ok: true, value: { opened: true } };
    },
  };
}
