/**
 * The app:// protocol's request handler: serves the built renderer (dist/renderer/) and nothing
 * else. Only GET of app://skm/…; the path is resolved inside the renderer folder (".." and
 * symlinks leading out of it are refused); only the file types a Vite bundle produces are served,
 * each with its content type; every response carries the CSP (security.ts). Electron-free: it maps
 * a fetch Request to a Response, which is what protocol.handle expects.
 * @module
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, RESPONSE_SECURITY_HEADERS } from './security.js';

/**
 * The file types served, by extension. An allow-list on purpose: a source map, a stray .json or an
 * executable in the folder is not served at all rather than served with a guessed type.
 */
export const SERVED_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The file a request names inside `root`, or null when it would be outside it or is malformed. */
export function resolveAppPath(requestUrl: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Backslashes are separators on Windows: "..\\" must not slip past the check below.
  if (path.includes('\0') || path.includes('\\')) return null;
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...RESPONSE_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The protocol.handle handler for app://, serving files from `root`. */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const rootReal = realpath(root).catch(() => resolve(root));
  return async (request) => {
    if (request.method !== 'GET') return plain(405, 'Method not allowed');
    const file = resolveAppPath(request.url, root);
    if (file === null) return plain(403, 'Forbidden');
    const type = SERVED_TYPES[extname(file).toLowerCase()];
    if (type === undefined) return plain(404, 'Not found');
    try {
      // A symlink inside the folder must not lead out of it.
      const real = await realpath(file);
      const base = await rootReal;
      if (real !== base && !real.startsWith(base + sep)) return plain(403, 'Forbidden');
      const body = await readFile(real);
      return new Response(body, { status: 200, headers: { ...RESPONSE_SECURITY_HEADERS, 'Content-Type': type } });
    } catch {
      return plain(404, 'Not found');
    }
  };
}
