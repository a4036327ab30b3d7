/**
 * The operating system around the keys, checked line by line (`skm doctor`, the app's Diagnostics
 * view): versions, node-hid, FIDO HID devices seen and openable, the Linux udev rule, pcscd and
 * its readers, Windows elevation. Each line is a check id, a status, a result code, facts and fix
 * codes — no words (main/copy/ words them). The system is reached only through `DoctorProbes`
 * (doctor-probes.ts has the real ones), so every decision here is tested with fakes.
 * @module
 */

export const DOCTOR_CHECKS = ['runtime', 'node-hid', 'hid-devices', 'udev-rule', 'pcscd', 'readers', 'windows-elevation'] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

/** ok: fine; problem: something to fix (with fixes); info: worth knowing; skipped: could not check. */
export type DoctorStatus = 'ok' | 'problem' | 'info' | 'skipped';

export const DOCTOR_RESULTS = [
  'runtime-versions',
  'hid-loaded',
  'hid-not-loadable',
  'hid-none-seen',
  'hid-all-openable',
  'hid-not-openable',
  'hid-not-checked',
  'udev-rule-present',
  'udev-rule-missing',
  'pcscd-running',
  'pcscd-not-running',
  'pcscd-no-permission',
  'pcsc-not-loadable',
  'readers-found',
  'readers-none',
  'readers-not-checked',
  'elevated',
  'elevation-not-required',
  'elevation-required',
  'elevation-may-be-required',
] as const;
export type DoctorResultCode = (typeof DOCTOR_RESULTS)[number];

export const DOCTOR_FIXES = [
  'install-udev-rule',
  'replug-key',
  'start-pcscd',
  'pcscd-permission',
  'reinstall-app',
  'restart-elevated',
  'open-windows-settings',
  'close-other-apps',
] as const;
export type DoctorFixCode = (typeof DOCTOR_FIXES)[number];

export interface DoctorFacts {
  node?: string;
  electron?: string | null;
  platform?: string;
  arch?: string;
  seen?: number;
  openable?: number;
  readers?: string[];
  /** Which rule grants access (udev-rule-present). */
  ruleFile?: string;
  /** The rule to install and the command that installs it (install-udev-rule). */
  rule?: string;
  command?: string;
  windowsBuild?: number | null;
  /** Technical detail (an error message) for the "details" disclosure. */
  details?: string;
}

export interface DoctorCheck {
  check: DoctorCheckId;
  status: DoctorStatus;
  result: DoctorResultCode;
  facts: DoctorFacts;
  fixes: DoctorFixCode[];
}

export interface DoctorReport {
  platform: string;
  checks: DoctorCheck[];
  /** How many lines are problems (the CLI's exit code, the app's badge). */
  problems: number;
}

/** What the probes found about USB HID. */
export type HidProbe =
  | { loaded: false; error: string }
  | { loaded: true; fidoDevices: { path: string; openable: boolean; error?: string }[] };

/** What the probes found about PC/SC. */
export type PcscProbe =
  | { state: 'running'; readers: string[] }
  | { state: 'not-running' | 'no-permission' | 'not-loadable'; error: string };

/** The system, as the doctor sees it (doctor-probes.ts: the real one; tests: fakes). */
export interface DoctorProbes {
  platform: NodeJS.Platform;
  arch: string;
  versions: { node: string; electron?: string | undefined };
  hid(): Promise<HidProbe>;
  pcsc(): Promise<PcscProbe>;
  /** Linux: every udev rules file (name and text) in the rule directories. */
  udevRules(): Promise<{ path: string; text: string }[]>;
  /** Windows: is this process elevated (null: could not tell)? */
  isElevated(): Promise<boolean | null>;
  /** Windows: the build number (18362 = 10 1903), null elsewhere. */
  windowsBuild(): number | null;
}

/** Where the rule goes, and the rule: FIDO HID devices (usage page 0xF1D0) for the logged-in user. */
export const UDEV_RULE_FILE = '70-security-key-manager.rules';
export const UDEV_RULE_PATH = `/etc/udev/rules.d/${UDEV_RULE_FILE}`;
/**
 * systemd's fido_id reads each hidraw device's report descriptor and sets ID_FIDO_TOKEN=1 for the
 * FIDO usage page; uaccess then gives the seat's logged-in user access (as libfido2's 70-u2f.rules
 * does by vendor id, without needing a list of vendors). Before 73-seat-late.rules, which applies it.
 */
export const UDEV_RULE_LINES = [
  'ACTION=="remove", GOTO="security_key_manager_end"',
  'SUBSYSTEM=="hidraw", IMPORT{program}="fido_id"',
  'SUBSYSTEM=="hidraw", ENV{ID_FIDO_TOKEN}=="1", TAG+="uaccess"',
  'LABEL="security_key_manager_end"',
] as const;

/** One command a person can paste: write the rule, reload udev, apply it to keys plugged in now. */
export const UDEV_INSTALL_COMMAND = [
  `printf '%s\\n' ${UDEV_RULE_LINES.map((line) => `'${line}'`).join(' ')} | sudo tee ${UDEV_RULE_PATH} >/dev/null`,
  'sudo udevadm control --reload-rules',
  'sudo udevadm trigger --subsystem-match=hidraw',
].join(' && ');

/** Windows 10 1903: from this build on, only elevated processes may open FIDO HID devices. */
export const WINDOWS_FIDO_ELEVATION_BUILD = 18362;

/**
 * Which file (if any) lets the logged-in user open FIDO hidraw devices: ours, libfido2's
 * 70-u2f.rules, or systemd's fido_id (60-fido-id.rules) together with uaccess for security tokens.
 */
export function udevRuleGrantingAccess(files: { path: string; text: string }[]): string | null {
  const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  const ours = files.find((f) => name(f.path) === UDEV_RULE_FILE);
  if (ours) return ours.path;
  const libfido2 = files.find((f) => name(f.path) === '70-u2f.rules' && /TAG\+="uaccess"/.test(f.text));
  if (libfido2) return libfido2.path;
  const fidoId = files.find((f) => /IMPORT\{(?:program|builtin)\}="fido_id"/.test(f.text));
  const uaccess = files.some((f) => /ENV\{ID_(?:SECURITY|FIDO)_TOKEN\}=="[^"]*", TAG\+="uaccess"/.test(f.text));
  return fidoId && uaccess ? fidoId.path : null;
}

/** What Windows elevation means for this process (the app offers "Restart as administrator" on `required`). */
export type ElevationAdvice = 'not-windows' | 'elevated' | 'not-required' | 'required' | 'may-be-required';

export function elevationAdvice(input: {
  platform: NodeJS.Platform;
  windowsBuild: number | null;
  elevated: boolean | null;
  /** FIDO HID devices enumerated, and how many of them opened. */
  seen: number;
  openable: number;
}): ElevationAdvice {
  if (input.platform !== 'win32') return 'not-windows';
  if (input.elevated === true) return 'elevated';
  if (input.windowsBuild !== null && input.windowsBuild < WINDOWS_FIDO_ELEVATION_BUILD) return 'not-required';
  // A key that enumerates but cannot be opened, unelevated, on 1903+: the elevation rule.
  if (input.seen > input.openable) return 'required';
  // Unelevated, Windows may hide the FIDO usage page so a key is not listed at all.
  if (input.seen === 0) return 'may-be-required';
  return 'not-required';
}

function line(check: DoctorCheckId, status: DoctorStatus, result: DoctorResultCode, facts: DoctorFacts = {}, fixes: DoctorFixCode[] = []): DoctorCheck {
  return { check, status, result, facts, fixes };
}

const udevFix: DoctorFacts = { rule: UDEV_RULE_LINES.join('\n'), command: UDEV_INSTALL_COMMAND };

function hidLines(platform: NodeJS.Platform, hid: HidProbe): DoctorCheck[] {
  if (!hid.loaded) {
    return [
      line('node-hid', 'problem', 'hid-not-loadable', { details: hid.error }, ['reinstall-app']),
      line('hid-devices', 'skipped', 'hid-not-checked'),
    ];
  }
  const seen = hid.fidoDevices.length;
  const openable = hid.fidoDevices.filter((d) => d.openable).length;
  const details = hid.fidoDevices.find((d) => d.error !== undefined)?.error;
  let devices: DoctorCheck;
  if (seen === 0) devices = line('hid-devices', 'info', 'hid-none-seen', { seen });
  else if (openable === seen) devices = line('hid-devices', 'ok', 'hid-all-openable', { seen, openable });
  else {
    const fixes: DoctorFixCode[] =
      platform === 'linux' ? ['install-udev-rule', 'replug-key'] : platform === 'win32' ? ['restart-elevated', 'open-windows-settings'] : ['close-other-apps', 'replug-key'];
    devices = line('hid-devices', 'problem', 'hid-not-openable', { seen, openable, ...(platform === 'linux' ? udevFix : {}), ...(details !== undefined ? { details } : {}) }, fixes);
  }
  return [line('node-hid', 'ok', 'hid-loaded'), devices];
}

function pcscLines(platform: NodeJS.Platform, pcsc: PcscProbe): DoctorCheck[] {
  if (pcsc.state === 'running') {
    const readers = pcsc.readers.length > 0 ? line('readers', 'ok', 'readers-found', { readers: pcsc.readers }) : line('readers', 'info', 'readers-none', { readers: [] });
    return [line('pcscd', 'ok', 'pcscd-running', { platform }), readers];
  }
  const notChecked = line('readers', 'skipped', 'readers-not-checked');
  switch (pcsc.state) {
    case 'not-running':
      return [line('pcscd', 'problem', 'pcscd-not-running', { platform, details: pcsc.error }, ['start-pcscd']), notChecked];
    case 'no-permission':
      return [line('pcscd', 'problem', 'pcscd-no-permission', { platform, details: pcsc.error }, ['pcscd-permission']), notChecked];
    case 'not-loadable':
      return [line('pcscd', 'problem', 'pcsc-not-loadable', { platform, details: pcsc.error }, ['reinstall-app']), notChecked];
  }
}

function elevationLine(advice: ElevationAdvice, windowsBuild: number | null): DoctorCheck | null {
  const facts = { windowsBuild };
  switch (advice) {
    case 'not-windows':
      return null;
    case 'elevated':
      return line('windows-elevation', 'ok', 'elevated', facts);
    case 'not-required':
      return line('windows-elevation', 'ok', 'elevation-not-required', facts);
    case 'required':
      return line('windows-elevation', 'problem', 'elevation-required', facts, ['restart-elevated', 'open-windows-settings']);
    case 'may-be-required':
      return line('windows-elevation', 'info', 'elevation-may-be-required', facts, ['restart-elevated', 'open-windows-settings']);
  }
}

/** Run every check that applies to this platform; never throws (a failing probe is a line). */
export async function runDoctor(probes: DoctorProbes): Promise<DoctorReport> {
  const { platform } = probes;
  const [hid, pcsc, rules, elevated] = await Promise.all([
    probes.hid().catch((error: unknown): HidProbe => ({ loaded: false, error: String(error) })),
    probes.pcsc().catch((error: unknown): PcscProbe => ({ state: 'not-loadable', error: String(error) })),
    platform === 'linux' ? probes.udevRules().catch(() => []) : Promise.resolve([]),
    platform === 'win32' ? probes.isElevated().catch(() => null) : Promise.resolve(null),
  ]);
  const checks: DoctorCheck[] = [
    line('runtime', 'ok', 'runtime-versions', { node: probes.versions.node, electron: probes.versions.electron ?? null, platform, arch: probes.arch }),
    ...hidLines(platform, hid),
  ];
  if (platform === 'linux') {
    const ruleFile = udevRuleGrantingAccess(rules);
    checks.push(ruleFile !== null ? line('udev-rule', 'ok', 'udev-rule-present', { ruleFile }) : line('udev-rule', 'problem', 'udev-rule-missing', udevFix, ['install-udev-rule']));
  }
  checks.push(...pcscLines(platform, pcsc));
  const seen = hid.loaded ? hid.fidoDevices.length : 0;
  const openable = hid.loaded ? hid.fidoDevices.filter((d) => d.openable).length : 0;
  const windowsBuild = probes.windowsBuild();
  const elevation = elevationLine(elevationAdvice({ platform, windowsBuild, elevated, seen, openable }), windowsBuild);
  if (elevation) checks.push(elevation);
  return { platform, checks, problems: checks.filter((c) => c.status === 'problem').length };
}
