/**
 * Applies the security decisions of security.ts to Electron objects: every webContents (including
 * any created later) may not navigate, open windows, redirect or attach a <webview>; the session
 * refuses every permission, device chooser and download. Allow-listed help pages open in the
 * system browser instead. Registered before the first window exists.
 * @module
 */
import type { Event, Session, WebContents } from 'electron';
import { decideNavigation, denyDevicePermission, denyPermissionCheck, denyPermissionRequest } from './security.js';

type OpenExternal = (url: string) => Promise<void>;

/** Deny a navigation; hand an allow-listed help page to the system browser. */
function refuseNavigation(openExternal: OpenExternal) {
  return (event: Pick<Event, 'preventDefault'>, url: string): void => {
    event.preventDefault();
    const decision = decideNavigation(url);
    if (decision.action === 'open-external') void openExternal(decision.url).catch(() => undefined);
  };
}

export function hardenWebContents(contents: WebContents, openExternal: OpenExternal): void {
  contents.on('will-navigate', refuseNavigation(openExternal));
  // Subframes navigate without 'will-navigate'; the main frame is handled above.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    refuseNavigation(openExternal)({ preventDefault: () => undefined }, url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
  // WebHID / WebUSB / Web Serial choosers: the page gets no device (callback() without one cancels).
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('will-download', (event) => event.preventDefault());
}
