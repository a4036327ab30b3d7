// The checks of @doyensec/electronegativity (1.10), run over main/electron and the renderer with
// zero findings expected. electronegativity itself drags eslint 7 and typescript 4.2 (~60 MB), so
// the same rules are checked here: statically over the sources' syntax trees (TypeScript's own
// parser), and on the real values main.ts passes to Electron (window options, CSP, handlers).
// Each finding names the electronegativity check it stands for.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import electronPackage from 'electron/package.json' with { type: 'json' };
import { CSP_DIRECTIVES, denyPermissionCheck, denyPermissionRequest } from '../../main/electron/security.js';
import { windowOptions } from '../../main/electron/window-options.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Finding {
  check: string;
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sourceFiles(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

/** webPreferences that must never be weakened, with the value that weakens them. */
const WEAKENING_VALUES: Record<string, { value: boolean; check: string }> = {
  contextIsolation: { value: false, check: 'CONTEXT_ISOLATION_JS_CHECK' },
  sandbox: { value: false, check: 'SANDBOX_JS_CHECK' },
  webSecurity: { value: false, check: 'WEB_SECURITY_JS_CHECK' },
  nodeIntegration: { value: true, check: 'NODE_INTEGRATION_JS_CHECK' },
  nodeIntegrationInWorker: { value: true, check: 'NODE_INTEGRATION_JS_CHECK' },
  nodeIntegrationInSubFrames: { value: true, check: 'NODE_INTEGRATION_JS_CHECK' },
  allowRunningInsecureContent: { value: true, check: 'INSECURE_CONTENT_JS_CHECK' },
  experimentalFeatures: { value: true, check: 'EXPERIMENTAL_FEATURES_JS_CHECK' },
  webviewTag: { value: true, check: 'ATTACH_EVENT_JS_CHECK' },
  enableRemoteModule: { value: true, check: 'REMOTE_MODULE_JS_CHECK' },
};

/** Calls that have no place in this app at all. */
const FORBIDDEN_CALLS: Record<string, string> = {
  executeJavaScript: 'DANGEROUS_FUNCTIONS_JS_CHECK',
  executeJavaScriptInIsolatedWorld: 'DANGEROUS_FUNCTIONS_JS_CHECK',
  insertCSS: 'DANGEROUS_FUNCTIONS_JS_CHECK',
  eval: 'DANGEROUS_FUNCTIONS_JS_CHECK',
  setCertificateVerifyProc: 'CERTIFICATE_VERIFY_PROC_JS_CHECK',
  appendSwitch: 'CUSTOM_ARGUMENTS_JS_CHECK',
  appendArgument: 'CUSTOM_ARGUMENTS_JS_CHECK',
  setAsDefaultProtocolClient: 'PROTOCOL_HANDLERS_JS_CHECK',
  registerFileProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  registerHttpProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  registerStringProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  registerBufferProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  registerStreamProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  interceptFileProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  interceptHttpProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  interceptStringProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  interceptBufferProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  interceptStreamProtocol: 'PROTOCOL_HANDLERS_JS_CHECK',
  openDevTools: 'DEVTOOLS (DevTools only unpackaged, never opened by code)',
};

/** Strings that switch security off or load remote content. */
const FORBIDDEN_STRINGS: [RegExp, string][] = [
  [/^http:\/\//, 'HTTP_RESOURCES_JS_CHECK'],
  [/insecure-content/, 'INSECURE_CONTENT_JS_CHECK'],
  [/disable-web-security|ignore-certificate-errors|remote-debugging|no-sandbox|js-flags/, 'CUSTOM_ARGUMENTS_JS_CHECK'],
  [/enable-blink-features|enableBlinkFeatures/, 'BLINK_FEATURES_JS_CHECK'],
  [/^ELECTRON_DISABLE_SECURITY_WARNINGS$/, 'SECURITY_WARNINGS_DISABLED_JS_CHECK'],
  [/^certificate-error$/, 'CERTIFICATE_ERROR_EVENT_JS_CHECK'],
  [/^@electron\/remote$|^remote$/, 'REMOTE_MODULE_JS_CHECK'],
];

/**
 * Every shell.openExternal call site, by its argument, reviewed (OPEN_EXTERNAL_JS_CHECK): only a
 * decideNavigation() result (allow-listed https help page) or the fixed Windows Settings URI. A new
 * call site is a finding until it is reviewed and added here.
 */
const REVIEWED_OPEN_EXTERNAL = new Set(['main/electron/main.ts: url', 'main/electron/harden.ts: decision.url', 'main/electron/system-actions.ts: WINDOWS_SECURITY_KEY_SETTINGS']);

function scan(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const add = (check: string, node: ts.Node): void => {
    findings.push({ check, file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText().slice(0, 120) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      const name = node.name.text;
      // Own keys only: a property named like an Object.prototype member (toString) is not a rule.
      const weak = Object.hasOwn(WEAKENING_VALUES, name) ? WEAKENING_VALUES[name] : undefined;
      const literal = node.initializer.kind === ts.SyntaxKind.TrueKeyword ? true : node.initializer.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
      if (weak && literal === weak.value) add(weak.check, node);
      if (name === 'enableBlinkFeatures') add('BLINK_FEATURES_JS_CHECK', node);
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const forbidden = Object.hasOwn(FORBIDDEN_CALLS, name) ? FORBIDDEN_CALLS[name] : undefined;
      if (forbidden) add(forbidden, node);
      if (name === 'openExternal') {
        const site = `${relative(root, file)}: ${node.arguments[0]?.getText() ?? ''}`;
        if (!REVIEWED_OPEN_EXTERNAL.has(site)) add('OPEN_EXTERNAL_JS_CHECK', node);
      }
      if (name === 'loadURL' || name === 'loadFile') {
        const target = node.arguments[0];
        if (!target || !ts.isIdentifier(target) || target.text !== 'APP_ENTRY_URL') add('HTTP_RESOURCES_JS_CHECK', node);
      }
    }
    if (ts.isIdentifier(node) && node.text === 'ELECTRON_DISABLE_SECURITY_WARNINGS') add('SECURITY_WARNINGS_DISABLED_JS_CHECK', node);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') add('DANGEROUS_FUNCTIONS_JS_CHECK', node);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      for (const [pattern, check] of FORBIDDEN_STRINGS) if (pattern.test(node.text)) add(check, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** The renderer's HTML (ALLOWPOPUPS / NODE_INTEGRATION / WEB_SECURITY / BLINK_FEATURES _HTML_CHECK). */
function scanHtml(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const rules: [RegExp, string][] = [
    [/<webview\b/i, 'ATTACH_EVENT_JS_CHECK'],
    [/\ballowpopups\b/i, 'ALLOWPOPUPS_HTML_CHECK'],
    [/\bnodeintegration\b/i, 'NODE_INTEGRATION_HTML_CHECK'],
    [/\bdisablewebsecurity\b/i, 'WEB_SECURITY_HTML_CHECK'],
    [/\bblinkfeatures\b/i, 'BLINK_FEATURES_HTML_CHECK'],
    [/\bsrc=["']https?:/i, 'HTTP_RESOURCES_HTML_CHECK'],
    [/\bhref=["']http:/i, 'HTTP_RESOURCES_HTML_CHECK'],
  ];
  text.split('\n').forEach((line, index) => {
    for (const [pattern, check] of rules) if (pattern.test(line)) findings.push({ check, file, line: index + 1, text: line.trim().slice(0, 120) });
  });
  return findings;
}

function scanTree(): Finding[] {
  const code = [...sourceFiles(join(root, 'main', 'electron'), /\.(ts|mts)$/), ...sourceFiles(join(root, 'renderer'), /\.(ts|tsx)$/)];
  const html = sourceFiles(join(root, 'renderer'), /\.html$/);
  return [...code.flatMap((file) => scan(file, readFileSync(file, 'utf8'))), ...html.flatMap((file) => scanHtml(file, readFileSync(file, 'utf8')))];
}

describe('electronegativity-equivalent checks', () => {
  it('zero findings over main/electron and renderer/', () => {
    const files = sourceFiles(join(root, 'main', 'electron'), /\.ts$/);
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(scanTree()).toEqual([]);
  });

  it('the scanner does find what it looks for (a deliberately bad file)', () => {
    const bad = `
      import { app, shell, BrowserWindow } from 'electron';
      app.commandLine.appendSwitch('ignore-certificate-errors');
      app.on('certificate-error', () => undefined);
      const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false, allowRunningInsecureContent: true, experimentalFeatures: true, enableBlinkFeatures: 'X', webviewTag: true } });
      w.loadURL('http://example.com');
      w.webContents.executeJavaScript('1');
      shell.openExternal(anyUrl);
      app.setAsDefaultProtocolClient('skm');
      process.env.ELECTRON_DISABLE_SECURITY_WARNINGS = 'true';
    `;
    const checks = new Set(scan(join(root, 'main', 'electron', 'bad.ts'), bad).map((f) => f.check));
    for (const check of [
      'CUSTOM_ARGUMENTS_JS_CHECK',
      'CERTIFICATE_ERROR_EVENT_JS_CHECK',
      'NODE_INTEGRATION_JS_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'EXPERIMENTAL_FEATURES_JS_CHECK',
      'BLINK_FEATURES_JS_CHECK',
      'ATTACH_EVENT_JS_CHECK',
      'HTTP_RESOURCES_JS_CHECK',
      'DANGEROUS_FUNCTIONS_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
      'PROTOCOL_HANDLERS_JS_CHECK',
      'SECURITY_WARNINGS_DISABLED_JS_CHECK',
    ]) {
      expect(checks, check).toContain(check);
    }
    expect(scanHtml('x.html', '<webview src="http://x" allowpopups nodeintegration>').map((f) => f.check)).toEqual(
      expect.arrayContaining(['ATTACH_EVENT_JS_CHECK', 'ALLOWPOPUPS_HTML_CHECK', 'NODE_INTEGRATION_HTML_CHECK', 'HTTP_RESOURCES_HTML_CHECK']),
    );
  });

  it('the window main.ts creates passes the webPreferences checks', () => {
    const preferences = windowOptions({ preloadPath: '/app/dist/electron/preload.cjs', isPackaged: true, title: 't' }).webPreferences!;
    expect(preferences.contextIsolation).toBe(true); // CONTEXT_ISOLATION_JS_CHECK
    expect(preferences.sandbox).toBe(true); // SANDBOX_JS_CHECK
    expect(preferences.nodeIntegration).toBe(false); // NODE_INTEGRATION_JS_CHECK
    expect(preferences.nodeIntegrationInWorker).toBe(false); // NODE_INTEGRATION_JS_CHECK
    expect(preferences.nodeIntegrationInSubFrames).toBe(false); // NODE_INTEGRATION_JS_CHECK
    expect(preferences.webSecurity).toBe(true); // WEB_SECURITY_JS_CHECK
    expect(preferences.allowRunningInsecureContent).toBe(false); // INSECURE_CONTENT_JS_CHECK
    expect(preferences.experimentalFeatures).toBe(false); // EXPERIMENTAL_FEATURES_JS_CHECK
    expect(preferences.enableBlinkFeatures).toBeUndefined(); // BLINK_FEATURES_JS_CHECK
    expect(preferences.disableBlinkFeatures).toContain('Auxclick'); // AUXCLICK_JS_CHECK
    expect(preferences.webviewTag).toBe(false); // ATTACH_EVENT_JS_CHECK (no <webview> at all)
    expect(preferences.preload).toMatch(/dist\/electron\/preload\.cjs$/); // PRELOAD_JS_CHECK: our bundle only
    expect(preferences.devTools).toBe(false); // packaged: no DevTools
  });

  it('CSP present and strict (CSP_GLOBAL_CHECK, with csp-evaluator’s rules)', () => {
    expect(CSP_DIRECTIVES['default-src']).toEqual(["'none'"]);
    const scripts = CSP_DIRECTIVES['script-src']!;
    // csp-evaluator: no unsafe-inline / unsafe-eval / wildcards / data: / plain schemes for scripts.
    expect(scripts.filter((s) => /unsafe|\*|data:|https?:|blob:/.test(s))).toEqual([]);
    expect(CSP_DIRECTIVES['object-src']).toEqual(["'none'"]); // csp-evaluator: missing object-src
    expect(CSP_DIRECTIVES['base-uri']).toEqual(["'none'"]); // csp-evaluator: missing base-uri
    expect(CSP_DIRECTIVES['connect-src']).toEqual(["'none'"]); // no network
    expect(CSP_DIRECTIVES['frame-ancestors']).toEqual(["'none'"]);
  });

  it('permission requests and checks are handled, and denied (PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK)', () => {
    let granted: boolean | undefined;
    denyPermissionRequest({}, 'openExternal', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(denyPermissionCheck()).toBe(false);
    const harden = readFileSync(join(root, 'main', 'electron', 'harden.ts'), 'utf8');
    expect(harden).toMatch(/setPermissionRequestHandler\(denyPermissionRequest\)/);
    expect(harden).toMatch(/setPermissionCheckHandler\(denyPermissionCheck\)/);
    // LIMIT_NAVIGATION_GLOBAL_CHECK / LIMIT_NAVIGATION_JS_CHECK: navigation and new windows are handled.
    expect(harden).toMatch(/on\('will-navigate'/);
    expect(harden).toMatch(/setWindowOpenHandler\(/);
    expect(harden).toMatch(/on\('will-attach-webview'/);
  });

  it('Electron is a supported, pinned release (ELECTRON_VERSION_JS_CHECK / AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK)', () => {
    expect(electronPackage.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(electronPackage.version.split('.')[0])).toBeGreaterThanOrEqual(43);
  });
});
