// electron-builder.yml, checked offline: loaded and validated by electron-builder's own loader and
// JSON schema (the code path of a real build), the targets and native-module handling it must
// keep, and the udev rule the deb installs, read by a strict parser of udev's rule syntax.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { UDEV_RULE_FILE, UDEV_RULE_LINES } from '../../main/service/doctor.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rulesFile = `main/electron/packaging/${UDEV_RULE_FILE}`;

interface BuilderConfig {
  /** The loader normalises the list into filter sets. */
  files: (string | { filter: string[] })[];
  npmRebuild: boolean;
  beforeBuild: string;
  asarUnpack: string[];
  linux: { target: string[] };
  deb: { recommends: string[]; depends: string[]; fpm: string[] };
  win: { target: string; requestedExecutionLevel: string };
  mac: { target: string };
  electronFuses: Record<string, boolean>;
}

// electron-builder's own config loader and validator (app-builder-lib has no exports map).
const configModule = createRequire(import.meta.url)('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add: () => undefined };

describe('electron-builder.yml', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await configModule.getConfig(root, null, null);
  });

  it('is valid against electron-builder’s schema (and the validator does refuse a bad one)', async () => {
    await expect(configModule.validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
    await expect(configModule.validateConfiguration({ ...config, win: { ...config.win, requestedExecutionLevel: 'root' } }, quietLogger)).rejects.toThrow(/requestedExecutionLevel/);
    await expect(configModule.validateConfiguration({ ...config, notAnOption: true }, quietLogger)).rejects.toThrow(/notAnOption/);
  });

  it('targets: AppImage + deb, NSIS as the invoking user, dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win).toMatchObject({ target: 'nsis', requestedExecutionLevel: 'asInvoker' });
    expect(config.mac.target).toBe('dmg');
  });

  it('the deb installs the udev rule and recommends pcscd', () => {
    expect(config.deb.recommends).toContain('pcscd');
    expect(config.deb.fpm).toContain(`${rulesFile}=/usr/lib/udev/rules.d/${UDEV_RULE_FILE}`);
    for (const mapping of config.deb.fpm) expect(existsSync(`${root}/${mapping.split('=')[0]!}`), mapping).toBe(true);
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libudev1', 'libusb-1.0-0', 'libpcsclite1']));
  });

  it('packages the bundles only: no sources, tests, CLI bundle or source maps', () => {
    const patterns = config.files.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter));
    expect(patterns.filter((pattern) => !pattern.startsWith('!'))).toEqual(['dist/electron/**', 'dist/renderer/**', 'package.json']);
    expect(patterns).toContain('!**/*.map');
    expect(patterns.join(' ')).not.toMatch(/\b(test|ctap|main\/service)\b/);
  });

  it('native modules: prebuilds unpacked, only pcsclite rebuilt for Electron by the hook', async () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/node-hid/**', 'node_modules/@pokusew/pcsclite/**']));
    expect(config.npmRebuild).toBe(true);
    const hook = (await import(`${root}/${config.beforeBuild}`)) as { default: (context: object, run: (options: object) => Promise<void>) => Promise<boolean> };
    const calls: object[] = [];
    const handled = await hook.default({ appDir: '/app', arch: 'x64', electronVersion: '45.4.1' }, async (options) => void calls.push(options));
    expect(handled).toBe(false);
    expect(calls).toEqual([{ buildPath: '/app', electronVersion: '45.4.1', arch: 'x64', onlyModules: ['@pokusew/pcsclite'], force: true }]);
  });

  it('hardening fuses: no run-as-node, NODE_OPTIONS or inspector, asar only', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

/**
 * udev rule syntax (udev(7)): a line is a comment, blank, or comma-separated KEY[{attr}] OP "value"
 * pairs; match operators == and !=, assignment operators = += -= :=. Keys from udev(7) only.
 */
const MATCH_KEYS = new Set(['ACTION', 'DEVPATH', 'KERNEL', 'KERNELS', 'NAME', 'SYMLINK', 'SUBSYSTEM', 'SUBSYSTEMS', 'DRIVER', 'DRIVERS', 'ATTR', 'ATTRS', 'SYSCTL', 'ENV', 'CONST', 'TAG', 'TAGS', 'TEST', 'PROGRAM', 'RESULT']);
const ASSIGN_KEYS = new Set(['NAME', 'SYMLINK', 'OWNER', 'GROUP', 'MODE', 'SECLABEL', 'ATTR', 'SYSCTL', 'ENV', 'TAG', 'RUN', 'LABEL', 'GOTO', 'IMPORT', 'OPTIONS']);
const PAIR = /^([A-Z]+)(?:\{([A-Za-z0-9_.\-/*]+)\})?(==|!=|\+=|-=|:=|=)"([^"]*)"$/;

interface UdevPair {
  key: string;
  attr?: string;
  op: string;
  value: string;
}

function parseUdevLine(line: string): UdevPair[] {
  const pairs: UdevPair[] = [];
  for (const part of line.split(/,\s*/)) {
    const match = PAIR.exec(part.trim());
    if (!match) throw new Error(`not a udev key/value pair: ${part}`);
    const [, key, attr, op, value] = match as unknown as [string, string, string | undefined, string, string];
    const keys = op === '==' || op === '!=' ? MATCH_KEYS : ASSIGN_KEYS;
    if (!keys.has(key)) throw new Error(`${key} cannot be used with ${op}`);
    pairs.push({ key, ...(attr !== undefined ? { attr } : {}), op, value });
  }
  return pairs;
}

function parseUdevRules(text: string): UdevPair[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map(parseUdevLine);
}

describe('the udev rule file', () => {
  it('the strict parser refuses what udev would', () => {
    expect(() => parseUdevLine('SUBSYSTEM=="hidraw", TAG+=uaccess')).toThrow();
    expect(() => parseUdevLine('SUBSYSTEM="hidraw" TAG+="uaccess"')).toThrow();
    expect(() => parseUdevLine('GOTO=="x"')).toThrow();
    expect(() => parseUdevLine('BOGUS=="x"')).toThrow();
    expect(parseUdevLine('ATTRS{idVendor}=="1050", MODE="0660"')).toEqual([
      { key: 'ATTRS', attr: 'idVendor', op: '==', value: '1050' },
      { key: 'MODE', op: '=', value: '0660' },
    ]);
  });

  it('parses, is the rule `skm doctor` prints, and tags FIDO hidraw devices uaccess', async () => {
    const text = await readFile(`${root}/${rulesFile}`, 'utf8');
    const rules = parseUdevRules(text);
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([...UDEV_RULE_LINES]);
    const grant = rules.find((pairs) => pairs.some((p) => p.key === 'TAG' && p.op === '+=' && p.value === 'uaccess'))!;
    expect(grant).toEqual(expect.arrayContaining([{ key: 'SUBSYSTEM', op: '==', value: 'hidraw' }, { key: 'ENV', attr: 'ID_FIDO_TOKEN', op: '==', value: '1' }]));
    expect(rules.flat()).toContainEqual({ key: 'IMPORT', attr: 'program', op: '=', value: 'fido_id' });
    // Every GOTO has its LABEL after it.
    const flat = rules.flat();
    for (const [index, pair] of flat.entries()) {
      if (pair.key === 'GOTO') expect(flat.slice(index).some((p) => p.key === 'LABEL' && p.value === pair.value)).toBe(true);
    }
  });
});
