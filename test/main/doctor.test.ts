// The doctor's decisions over fake systems (Linux, Windows before and after 1903, macOS), the
// words for every line, the Windows relaunch command, and `skm doctor` itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Copy } from '../../main/copy/index.js';
import {
  DOCTOR_FIXES,
  DOCTOR_RESULTS,
  elevationAdvice,
  runDoctor,
  UDEV_INSTALL_COMMAND,
  UDEV_RULE_LINES,
  udevRuleGrantingAccess,
  type DoctorCheck,
  type DoctorProbes,
  type DoctorReport,
} from '../../main/service/doctor.js';
import { windowsBuildFrom } from '../../main/service/doctor-probes.js';
import type * as DoctorProbesModule from '../../main/service/doctor-probes.js';
import { elevatedRelaunchCommand, quoteWindowsArgument, WINDOWS_SECURITY_KEY_SETTINGS } from '../../main/service/windows-elevation.js';
import { shellSystemActions } from '../../main/electron/system-actions.js';
import { parseLaunchOptions } from '../../main/electron/launch-options.js';

const probesHolder = vi.hoisted(() => ({ probes: undefined as unknown as DoctorProbes }));
vi.mock('../../main/service/doctor-probes.js', async (importOriginal) => ({
  ...(await importOriginal<typeof DoctorProbesModule>()),
  systemProbes: () => probesHolder.probes,
}));
const { skm } = await import('../cli/helpers.js');

const systemdRules = [
  { path: '/usr/lib/udev/rules.d/60-fido-id.rules', text: 'SUBSYSTEM=="hidraw", IMPORT{program}="fido_id"\nENV{ID_SECURITY_TOKEN}=="1", TAG+="security-device"' },
  { path: '/usr/lib/udev/rules.d/70-uaccess.rules', text: 'ENV{ID_SECURITY_TOKEN}=="?*", TAG+="uaccess"' },
];

function probes(overrides: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    platform: 'linux',
    arch: 'x64',
    versions: { node: '20.20.2', electron: '45.4.1' },
    hid: async () => ({ loaded: true, fidoDevices: [{ path: '/dev/hidraw0', openable: true }] }),
    pcsc: async () => ({ state: 'running', readers: ['ACS ACR122U'] }),
    udevRules: async () => systemdRules,
    isElevated: async () => false,
    windowsBuild: () => null,
    ...overrides,
  };
}

const byCheck = (report: DoctorReport): Record<string, DoctorCheck> => Object.fromEntries(report.checks.map((c) => [c.check, c]));

describe('Windows elevation decision', () => {
  it.each([
    [{ platform: 'linux', windowsBuild: null, elevated: null, seen: 1, openable: 0 }, 'not-windows'],
    [{ platform: 'win32', windowsBuild: 19045, elevated: true, seen: 1, openable: 1 }, 'elevated'],
    [{ platform: 'win32', windowsBuild: 17763, elevated: false, seen: 1, openable: 1 }, 'not-required'],
    [{ platform: 'win32', windowsBuild: 18362, elevated: false, seen: 2, openable: 0 }, 'required'],
    [{ platform: 'win32', windowsBuild: 22631, elevated: false, seen: 0, openable: 0 }, 'may-be-required'],
    [{ platform: 'win32', windowsBuild: null, elevated: null, seen: 1, openable: 0 }, 'required'],
    [{ platform: 'win32', windowsBuild: 22631, elevated: false, seen: 1, openable: 1 }, 'not-required'],
  ] as const)('%o → %s', (input, advice) => {
    expect(elevationAdvice(input)).toBe(advice);
  });

  it('os.release() → build', () => {
    expect(windowsBuildFrom('10.0.19045')).toBe(19045);
    expect(windowsBuildFrom('6.1')).toBeNull();
  });
});

describe('udev rule', () => {
  it('recognises ours, libfido2’s and systemd’s fido_id + uaccess; nothing else', () => {
    expect(udevRuleGrantingAccess([{ path: '/etc/udev/rules.d/70-security-key-manager.rules', text: '' }])).toBe('/etc/udev/rules.d/70-security-key-manager.rules');
    expect(udevRuleGrantingAccess([{ path: '/lib/udev/rules.d/70-u2f.rules', text: 'KERNEL=="hidraw*", ATTRS{idVendor}=="1050", TAG+="uaccess"' }])).toBe('/lib/udev/rules.d/70-u2f.rules');
    expect(udevRuleGrantingAccess(systemdRules)).toBe('/usr/lib/udev/rules.d/60-fido-id.rules');
    expect(udevRuleGrantingAccess([systemdRules[0]!])).toBeNull();
    expect(udevRuleGrantingAccess([])).toBeNull();
  });

  it('the install command writes exactly the rule lines and reloads udev', () => {
    expect(UDEV_INSTALL_COMMAND).toContain('sudo tee /etc/udev/rules.d/70-security-key-manager.rules');
    for (const line of UDEV_RULE_LINES) expect(UDEV_INSTALL_COMMAND).toContain(`'${line}'`);
    expect(UDEV_INSTALL_COMMAND).toMatch(/udevadm control --reload-rules && sudo udevadm trigger --subsystem-match=hidraw$/);
  });
});

describe('runDoctor', () => {
  it('Linux, all well: no problems', async () => {
    const report = await runDoctor(probes());
    expect(report.problems).toBe(0);
    expect(report.checks.map((c) => c.check)).toEqual(['runtime', 'node-hid', 'hid-devices', 'udev-rule', 'pcscd', 'readers']);
    expect(byCheck(report)['readers']).toMatchObject({ status: 'ok', facts: { readers: ['ACS ACR122U'] } });
  });

  it('Linux: a key seen but not openable and no rule → the udev rule and command to install', async () => {
    const report = await runDoctor(
      probes({ hid: async () => ({ loaded: true, fidoDevices: [{ path: '/dev/hidraw3', openable: false, error: 'open failed: Permission denied' }] }), udevRules: async () => [] }),
    );
    const c = byCheck(report);
    expect(c['hid-devices']).toMatchObject({ status: 'problem', result: 'hid-not-openable', facts: { seen: 1, openable: 0, command: UDEV_INSTALL_COMMAND }, fixes: ['install-udev-rule', 'replug-key'] });
    expect(c['udev-rule']).toMatchObject({ status: 'problem', result: 'udev-rule-missing', fixes: ['install-udev-rule'] });
    expect(report.problems).toBe(2);
  });

  it('Linux: pcscd down → said for NFC, readers not checked; node-hid missing → devices not checked', async () => {
    const report = await runDoctor(probes({ pcsc: async () => ({ state: 'not-running', error: 'ENOENT' }), hid: async () => ({ loaded: false, error: 'libudev.so.1: cannot open' }) }));
    const c = byCheck(report);
    expect(c['pcscd']).toMatchObject({ status: 'problem', result: 'pcscd-not-running', fixes: ['start-pcscd'] });
    expect(c['readers']).toMatchObject({ status: 'skipped' });
    expect(c['node-hid']).toMatchObject({ status: 'problem', result: 'hid-not-loadable', facts: { details: 'libudev.so.1: cannot open' } });
    expect(c['hid-devices']).toMatchObject({ status: 'skipped' });
  });

  it('Windows 1903+, unelevated, a key that enumerates but does not open → restart as administrator / Windows Settings', async () => {
    const report = await runDoctor(
      probes({ platform: 'win32', windowsBuild: () => 19045, isElevated: async () => false, hid: async () => ({ loaded: true, fidoDevices: [{ path: '\\\\?\\hid#vid_1050', openable: false }] }) }),
    );
    const c = byCheck(report);
    expect(c['udev-rule']).toBeUndefined();
    expect(c['hid-devices']!.fixes).toEqual(['restart-elevated', 'open-windows-settings']);
    expect(c['windows-elevation']).toMatchObject({ status: 'problem', result: 'elevation-required', fixes: ['restart-elevated', 'open-windows-settings'], facts: { windowsBuild: 19045 } });
  });

  it('Windows: elevated is fine; an older build needs no elevation', async () => {
    expect(byCheck(await runDoctor(probes({ platform: 'win32', windowsBuild: () => 19045, isElevated: async () => true })))['windows-elevation']!.result).toBe('elevated');
    expect(byCheck(await runDoctor(probes({ platform: 'win32', windowsBuild: () => 17763 })))['windows-elevation']!.result).toBe('elevation-not-required');
  });

  it('macOS: no udev or elevation lines; a probe that throws is a line, not a crash', async () => {
    const report = await runDoctor(
      probes({
        platform: 'darwin',
        hid: async () => {
          throw new Error('boom');
        },
      }),
    );
    expect(report.checks.map((c) => c.check)).toEqual(['runtime', 'node-hid', 'hid-devices', 'pcscd', 'readers']);
    expect(byCheck(report)['node-hid']).toMatchObject({ status: 'problem', facts: { details: 'Error: boom' } });
  });
});

describe('words', () => {
  const cli = new Copy('cli');
  const app = new Copy('app');

  it('every result and fix has words (no key names leak through)', () => {
    for (const result of DOCTOR_RESULTS) {
      const text = cli.doctorLine({ check: 'runtime', status: 'ok', result, facts: { seen: 2, openable: 1, readers: ['R'], ruleFile: '/x', node: '20', platform: 'linux', arch: 'x64', command: UDEV_INSTALL_COMMAND }, fixes: [...DOCTOR_FIXES] });
      expect(text.result, result).not.toMatch(/doctor\.|\{\{|undefined/);
      for (const fix of text.fixes) expect(fix, result).not.toMatch(/doctor\.|\{\{|undefined/);
    }
  });

  it('plurals and surfaces', () => {
    const line = (seen: number): string => cli.doctorLine({ check: 'hid-devices', status: 'ok', result: 'hid-all-openable', facts: { seen, openable: seen }, fixes: [] }).result;
    expect(line(1)).toBe('1 USB security key found, and this app can open it.');
    expect(line(2)).toBe('2 USB security keys found, and this app can open all of them.');
    const elevation: DoctorCheck = { check: 'windows-elevation', status: 'problem', result: 'elevation-required', facts: {}, fixes: ['restart-elevated', 'open-windows-settings'] };
    expect(app.doctorLine(elevation).fixes).toEqual(['Choose Restart as administrator.', 'Or choose Open Windows Settings to manage the key there.']);
    expect(cli.doctorLine(elevation).fixes[0]).toMatch(/terminal opened as administrator/);
    const pcscd: DoctorCheck = { check: 'pcscd', status: 'problem', result: 'pcscd-not-running', facts: { platform: 'linux' }, fixes: ['start-pcscd'] };
    expect(cli.doctorLine(pcscd).fixes[0]).toContain('sudo systemctl start pcscd');
    expect(cli.doctorSummary({ platform: 'linux', checks: [], problems: 1 })).toBe('1 problem found.');
  });
});

describe('Restart as administrator', () => {
  const decode = (command: { args: string[] }): string => Buffer.from(command.args.at(-1)!, 'base64').toString('utf16le');

  it('quotes arguments as CommandLineToArgvW reads them', () => {
    expect(quoteWindowsArgument('plain')).toBe('plain');
    expect(quoteWindowsArgument('')).toBe('""');
    expect(quoteWindowsArgument('C:\\Program Files\\app')).toBe('"C:\\Program Files\\app"');
    expect(quoteWindowsArgument('ends\\ with\\')).toBe('"ends\\ with\\\\"');
    expect(quoteWindowsArgument('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('runs Start-Process -Verb RunAs with the app and its arguments, PowerShell-quoted', () => {
    const command = elevatedRelaunchCommand("C:\\Users\\O'Brien\\Security Key Manager.exe", ['--virtual', 'C:\\keys\\a b.json', '--relaunched']);
    expect(command.file).toBe('powershell.exe');
    expect(command.args.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand']);
    expect(decode(command)).toBe(
      "try { Start-Process -FilePath 'C:\\Users\\O''Brien\\Security Key Manager.exe' -ArgumentList '--virtual \"C:\\keys\\a b.json\" --relaunched' -Verb RunAs -ErrorAction Stop; exit 0 } catch { exit 1 }",
    );
  });

  it('relaunches with the window state and simulated keys, then quits; a declined UAC prompt quits nothing', async () => {
    vi.useFakeTimers();
    const started: { executable: string; args: readonly string[] }[] = [];
    let outcome: 'started' | 'declined' = 'declined';
    let quits = 0;
    const opened: string[] = [];
    const actions = shellSystemActions({
      app: { isPackaged: false, getAppPath: () => 'C:\\src\\skm', quit: () => void (quits += 1) },
      shell: { openExternal: async (url: string) => void opened.push(url) },
      window: () => ({ getNormalBounds: () => ({ x: 5, y: 6, width: 900, height: 700 }), isMaximized: () => true }),
      virtualFiles: () => ['C:\\keys\\practice.json'],
      platform: 'win32',
      executable: 'C:\\src\\skm\\node_modules\\electron\\dist\\electron.exe',
      start: async (executable, args) => {
        started.push({ executable, args });
        return outcome;
      },
    });
    expect(await actions.restartElevated()).toEqual({ ok: false, error: { code: 'CANCELLED', facts: { reason: 'elevation-declined' } } });
    await vi.runAllTimersAsync();
    expect(quits).toBe(0);
    outcome = 'started';
    expect(await actions.restartElevated()).toEqual({ ok: true, value: { restarting: true } });
    await vi.runAllTimersAsync();
    expect(quits).toBe(1);
    const { executable, args } = started[1]!;
    expect(executable).toMatch(/electron\.exe$/);
    expect(args[0]).toBe('C:\\src\\skm');
    expect(parseLaunchOptions(args.slice(1))).toEqual({ virtualKeys: ['C:\\keys\\practice.json'], bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true, relaunched: true });
    expect(await actions.openWindowsSettings()).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([WINDOWS_SECURITY_KEY_SETTINGS]);
  });
});

describe('skm doctor', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('--json prints the report; exit code 0 when all is well', async () => {
    probesHolder.probes = probes();
    const result = await skm(['doctor', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.problems).toBe(0);
    expect(report.checks[0]).toEqual({ check: 'runtime', status: 'ok', result: 'runtime-versions', facts: { node: '20.20.2', electron: '45.4.1', platform: 'linux', arch: 'x64' }, fixes: [] });
  });

  it('a problem: a line per check with the fix, exit code 1', async () => {
    probesHolder.probes = probes({ pcsc: async () => ({ state: 'not-running', error: 'ENOENT' }) });
    const result = await skm(['doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Problem +Smart card service \(for NFC and card readers\): The smart card service \(pcscd\) is not running/m);
    expect(result.stdout).toMatch(/^Not checked +Card readers/m);
    expect(result.stdout).toContain('sudo systemctl start pcscd');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('1 problem found.');
  });
});
