/**
 * Windows 10 1903 and later let only elevated processes open FIDO HID devices. The app offers two
 * ways out (doctor.ts decides when): relaunch itself as administrator, through UAC, or open
 * Windows' own security key settings. Building the relaunch command is pure (tested here on any
 * OS); starting it is one execFile.
 * @module
 */
import { execFile } from 'node:child_process';

/** Windows Settings › Accounts › Sign-in options › Security Key. */
export const WINDOWS_SECURITY_KEY_SETTINGS = 'ms-settings:signinoptions-launchsecuritykeyenrollment';

/**
 * Quote one argument so that CommandLineToArgvW (and so the relaunched app) reads it back as it
 * was: quotes around anything with spaces or quotes; backslashes doubled only before a quote.
 */
export function quoteWindowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/** A PowerShell single-quoted string: nothing inside is expanded; a quote is doubled. */
function powershellString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * powershell.exe with an -EncodedCommand (UTF-16LE, base64: no quoting by cmd or Node in the
 * way) that starts `executable` with `args` through UAC ("RunAs"). Exit code 0: started; 1: the
 * person declined the UAC prompt (Start-Process throws) or it failed.
 */
export function elevatedRelaunchCommand(executable: string, args: readonly string[]): { file: string; args: string[] } {
  const commandLine = args.map(quoteWindowsArgument).join(' ');
  const argumentList = commandLine === '' ? '' : ` -ArgumentList ${powershellString(commandLine)}`;
  const script = `try { Start-Process -FilePath ${powershellString(executable)}${argumentList} -Verb RunAs -ErrorAction Stop; exit 0 } catch { exit 1 }`;
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
  };
}

/** Start the elevated copy; resolves 'started', or 'declined' when UAC was refused or failed. */
export function startElevated(executable: string, args: readonly string[]): Promise<'started' | 'declined'> {
  const command = elevatedRelaunchCommand(executable, args);
  return new Promise((resolve) => {
    execFile(command.file, command.args, { windowsHide: true }, (error) => resolve(error ? 'declined' : 'started'));
  });
}
