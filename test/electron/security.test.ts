// The shell's security decisions as data: window options, the CSP, navigation / window-open /
// permission decisions, the IPC sender check, the app:// file server and the launch options.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from '../../main/electron/app-protocol.js';
import { parseLaunchOptions, relaunchArguments } from '../../main/electron/launch-options.js';
import {
  allowedExternalUrl,
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  decideNavigation,
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  isTrustedSender,
} from '../../main/electron/security.js';
import { windowOptions } from '../../main/electron/window-options.js';

describe('window options', () => {
  const options = windowOptions({ preloadPath: '/app/dist/electron/preload.cjs', isPackaged: true, title: 'Security Key Manager' });

  it('sandboxed, isolated, no Node, full web security, nothing insecure or experimental', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      enableWebSQL: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.show).toBe(false);
  });

  it('DevTools only unpackaged; restored bounds are used', () => {
    const dev = windowOptions({ preloadPath: '/p', isPackaged: false, title: 't', bounds: { x: 1, y: 2, width: 800, height: 600 } });
    expect(dev.webPreferences?.devTools).toBe(true);
    expect(dev).toMatchObject({ x: 1, y: 2, width: 800, height: 600 });
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name!, sources] as const;
  }));

  it('states each directive exactly', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    // Griffel (Fluent UI) inserts <style> elements at run time.
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('font-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('worker-src')).toEqual(["'none'"]);
  });

  it('no eval, no inline script, no wildcard, no network scheme anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|wss?:|blob:|filesystem:/);
  });
});

describe('navigation, new windows, external links', () => {
  it('every navigation is denied; only allow-listed https help pages open in the browser', () => {
    expect(decideNavigation('https://evil.example/')).toEqual({ action: 'deny' });
    expect(decideNavigation(APP_ENTRY_URL)).toEqual({ action: 'deny' });
    expect(decideNavigation('https://support.yubico.com/hc/en-us/articles/1')).toEqual({ action: 'open-external', url: 'https://support.yubico.com/hc/en-us/articles/1' });
    for (const url of [
      'http://support.yubico.com/',
      'https://support.yubico.com.evil.example/',
      'https://user:pw@support.yubico.com/',
      'https://support.yubico.com:8443/',
      'javascript:alert(1)',
      'file:///C:/Windows/System32/calc.exe',
      'ms-settings:signinoptions-launchsecuritykeyenrollment',
      'smb://host/share',
      'not a url',
    ]) {
      expect(allowedExternalUrl(url), url).toBeNull();
      expect(decideNavigation(url), url).toEqual({ action: 'deny' });
    }
  });

  it('fast-check: exactly https, allow-listed host, no credentials, no port opens outside', () => {
    const allowedHosts = ['support.microsoft.com', 'support.yubico.com', 'fidoalliance.org', 'www.ftsafe.com'];
    const hosts = [...allowedHosts, 'support.yubico.com.evil.example', 'evilsupport.yubico.com', 'fidoalliance.org.', 'localhost', '127.0.0.1', 'skm'];
    fc.assert(
      fc.property(
        fc.constantFrom('https', 'http', 'file', 'javascript', 'app', 'ms-settings', 'smb', 'HTTPS'),
        fc.option(fc.constantFrom('user@', 'user:pw@', ':@'), { nil: '' }),
        fc.constantFrom(...hosts),
        fc.option(fc.constantFrom(':443', ':8443', ':80'), { nil: '' }),
        fc.string({ maxLength: 20 }),
        (scheme, credentials, host, port, path) => {
          const url = `${scheme}://${credentials}${host}${port}/${encodeURIComponent(path)}`;
          const decision = decideNavigation(url);
          // ":@" is empty credentials: the URL parser drops it, and the normalised URL is what opens.
          const expected = scheme.toLowerCase() === 'https' && (credentials === '' || credentials === ':@') && allowedHosts.includes(host) && (port === '' || port === ':443');
          expect(decision.action, url).toBe(expected ? 'open-external' : 'deny');
        },
      ),
    );
  });

  it('permission handlers refuse', () => {
    const answers: boolean[] = [];
    denyPermissionRequest({}, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(denyPermissionCheck()).toBe(false);
    expect(denyDevicePermission()).toBe(false);
  });
});

describe('IPC sender check', () => {
  it('only the top-level frame of app://skm', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://skm/views/start', parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'app://other/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'https://skm/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: '', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('app:// serves the built renderer and nothing else', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'skm-protocol-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(root, 'assets', 'app.js.map'), '{}');
    await writeFile(join(base, 'secret.txt'), 'secret');
    await symlink(join(base, 'secret.txt'), join(root, 'assets', 'leak.js'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET'): Promise<Response> => createAppProtocolHandler(root)(new Request(url, { method }));

  it('serves files with their type and the CSP on every response', async () => {
    const page = await get('app://skm/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://skm/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    const missing = await get('app://skm/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses paths out of the folder, other hosts, other methods and unlisted types', async () => {
    // The URL parser already folds "%2e%2e/" into the root: not found, never the file above.
    for (const url of ['app://skm/%2e%2e/secret.txt', 'app://skm/../../secret.txt', 'app://skm/assets/../../secret.txt']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    for (const url of ['app://skm/..%2fsecret.txt', 'app://skm/..%5csecret.txt', 'app://skm/assets/%00.js', 'app://other/index.html', 'app://skm/%E0%A4%A']) {
      expect((await get(url)).status, url).toBe(403);
    }
    expect((await get('app://skm/assets/leak.js')).status).toBe(403);
    expect((await get('app://skm/assets/app.js.map')).status).toBe(404);
    expect((await get('app://skm/index.html', 'POST')).status).toBe(405);
  });

  it('fast-check: no request path resolves outside the folder', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', 'a', '%2f', '%5c', '/', '\\', '%00', 'index.html'), { maxLength: 8 }), (parts) => {
        const file = resolveAppPath(`app://skm/${parts.join('/')}`, root);
        if (file !== null) expect(file.startsWith(`${root}/`)).toBe(true);
      }),
    );
  });
});

describe('launch options', () => {
  it('--virtual with and without a file, several; unknown switches ignored', () => {
    expect(parseLaunchOptions([]).virtualKeys).toEqual([]);
    expect(parseLaunchOptions(['--virtual']).virtualKeys).toEqual([null]);
    expect(parseLaunchOptions(['--virtual', 'a.json', '--no-sandbox', '--virtual']).virtualKeys).toEqual(['a.json', null]);
    expect(parseLaunchOptions(['--virtual', 'a.json', '--virtual-preset', 'bio'])).toMatchObject({ virtualKeys: ['a.json'], virtualPreset: 'bio' });
    expect(parseLaunchOptions(['--enable-logging', '.', '--inspect=9229']).virtualKeys).toEqual([]);
  });

  it('a relaunch carries the keys and the window state, and reads them back', () => {
    const args = relaunchArguments({ virtualFiles: ['C:\\Users\\a b\\key.json'], bounds: { x: -5, y: 10, width: 1200, height: 800 }, maximized: true });
    expect(parseLaunchOptions(args)).toEqual({ virtualKeys: ['C:\\Users\\a b\\key.json'], bounds: { x: -5, y: 10, width: 1200, height: 800 }, maximized: true, relaunched: true });
    expect(parseLaunchOptions(['--window-bounds', '1,2,3']).bounds).toBeUndefined();
    expect(parseLaunchOptions(['--window-bounds', '1,2,10,10']).bounds).toBeUndefined();
  });
});
