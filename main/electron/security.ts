/**
 * The Electron shell's security decisions as plain data and pure functions (DESIGN.md "Electron
 * shell"): the page's origin, its Content-Security-Policy, what happens to a navigation or a
 * window.open, which IPC sender is ours, and the external help pages a link may open. main.ts
 * and ipc.ts wire these to Electron; tests import them without Electron.
 * @module
 */

/** The privileged scheme the renderer is served from (protocol.ts) and its one host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'skm';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The CSP of every page and resource served from app://. `default-src 'none'` and then only what
 * a Vite React bundle needs: its own scripts, styles, images and fonts. Fluent UI's Griffel
 * inserts <style> elements at run time, which needs 'unsafe-inline' for styles (never for
 * scripts). No network at all (`connect-src 'none'`), no eval, no plugins, no framing, no forms.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'none'"],
  'object-src': ["'none'"],
  'media-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'manifest-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** Headers on every app:// response: the CSP, and no guessing of content types. */
export const RESPONSE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Help pages the renderer may open in the system browser: https only, these origins and path
 * prefixes only. Anything else a link or window.open asks for is refused.
 */
export const EXTERNAL_HELP_PAGES: readonly { origin: string; pathPrefix: string }[] = [
  { origin: 'https://support.microsoft.com', pathPrefix: '/' },
  { origin: 'https://support.yubico.com', pathPrefix: '/' },
  { origin: 'https://fidoalliance.org', pathPrefix: '/' },
  { origin: 'https://www.ftsafe.com', pathPrefix: '/' },
];

/** A URL the system browser may open: an allow-listed https help page without credentials. */
export function allowedExternalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  const allowed = EXTERNAL_HELP_PAGES.some((page) => url.origin === page.origin && url.pathname.startsWith(page.pathPrefix));
  return allowed ? url.href : null;
}

/**
 * What to do with a navigation or a window.open the page asks for: the window itself never goes
 * anywhere (every navigation is denied); an allow-listed help page opens in the system browser.
 */
export type NavigationDecision = { action: 'deny' } | { action: 'open-external'; url: string };

export function decideNavigation(targetUrl: string): NavigationDecision {
  const external = allowedExternalUrl(targetUrl);
  return external === null ? { action: 'deny' } : { action: 'open-external', url: external };
}

/** The part of an Electron WebFrameMain the sender check needs. */
export interface SenderFrame {
  url: string;
  /** null for a top-level frame. */
  parent: unknown;
}

/**
 * True when an IPC message comes from our page: the top-level frame of the app:// origin. A
 * subframe, another origin (a navigation that slipped through, an injected iframe) or a frame
 * already gone (null) is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/** Every permission a page can ask for (camera, notifications, HID, clipboard…) is refused. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

export function denyDevicePermission(): boolean {
  return false;
}
