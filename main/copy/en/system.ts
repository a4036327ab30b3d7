/**
 * English: the computer around the key (permission hints, doctor checks), the desktop shell's
 * own words, and small words shared by the other texts.
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const system: Pick<Catalogue, 'hints' | 'doctor' | 'shell' | 'words'> = {
  hints: {
    permission: {
      linux:
        'Your user cannot open /dev/hidraw*: install the udev rule for FIDO keys (e.g. Debian/Ubuntu package libfido2-1 or 70-u2f.rules) and replug the key.',
      win32:
        'Since Windows 10 1903, only administrators can talk to FIDO keys directly: run Security Key Manager as administrator, or use Windows Settings › Accounts › Sign-in options › Security Key.',
      darwin: 'macOS refused access to the security key: quit other apps that may hold it open (browsers, password managers) and replug the key.',
      other: 'The operating system refused access to the security key: check the permissions of its USB HID device node and replug the key.',
    },
    nfcGone: 'Tap your security key on the reader and hold it there.',
  },

  doctor: {
    status: { ok: 'OK', problem: 'Problem', info: 'Note', skipped: 'Not checked' },
    checks: {
      runtime: 'Versions',
      'node-hid': 'USB access library',
      'hid-devices': 'USB security keys',
      'udev-rule': 'Linux device permission (udev rule)',
      pcscd: 'Smart card service (for NFC and card readers)',
      readers: 'Card readers',
      'windows-elevation': 'Administrator rights (Windows)',
    },
    results: {
      'runtime-versions': 'Node {{node}}, Electron {{electronText}}, {{platform}} {{arch}}.',
      'hid-loaded': 'The USB access library loaded.',
      'hid-not-loadable': 'The USB access library could not be loaded, so USB security keys cannot be used.',
      'hid-none-seen': 'No USB security key is connected.',
      'hid-all-openable': { one: '{{count}} USB security key found, and this app can open it.', other: '{{count}} USB security keys found, and this app can open all of them.' },
      'hid-not-openable': { one: '{{count}} USB security key found, but this app may not open it ({{openable}} can be opened).', other: '{{count}} USB security keys found, but this app may not open all of them ({{openable}} can be opened).' },
      'hid-not-checked': 'Not checked, because the USB access library did not load.',
      'udev-rule-present': 'Your user may open security keys (rule in {{ruleFile}}).',
      'udev-rule-missing': 'No udev rule lets your user open security keys, so USB keys may show but not open.',
      'pcscd-running': 'The smart card service is running.',
      'pcscd-not-running': 'The smart card service (pcscd) is not running, so keys on NFC or card readers cannot be used.',
      'pcscd-no-permission': 'Your user may not use the smart card service (pcscd).',
      'pcsc-not-loadable': 'Card reader support could not be loaded, so keys on NFC or card readers cannot be used.',
      'readers-found': { one: '{{count}} reader: {{readerList}}.', other: '{{count}} readers: {{readerList}}.' },
      'readers-none': 'No card reader is connected (only needed for NFC keys).',
      'readers-not-checked': 'Not checked, because the smart card service is not available.',
      elevated: 'The app runs as administrator, so it can talk to security keys directly.',
      'elevation-not-required': 'This version of Windows lets the app talk to security keys without administrator rights.',
      'elevation-required': 'Windows lets only administrators talk to security keys directly (since Windows 10 version 1903), and this app does not run as administrator.',
      'elevation-may-be-required': 'No key is listed; without administrator rights, Windows may hide security keys from this app (since Windows 10 version 1903).',
    },
    fixes: {
      'install-udev-rule': 'Install the udev rule below and replug the key:\n{{command}}',
      'replug-key': 'Remove the key and insert it again.',
      'start-pcscd': { text: 'Start the smart card service.', linux: 'Start the smart card service: sudo systemctl start pcscd (install it first if needed: sudo apt install pcscd).' },
      'pcscd-permission': 'Ask your administrator to allow your user to use smart cards (polkit rules for pcscd).',
      'reinstall-app': 'Reinstall Security Key Manager.',
      'restart-elevated': { text: 'Restart the app as administrator.', cli: 'Run skm from a terminal opened as administrator.', app: 'Choose Restart as administrator.' },
      'open-windows-settings': { text: 'Or manage the key in Windows Settings › Accounts › Sign-in options › Security Key.', app: 'Or choose Open Windows Settings to manage the key there.' },
      'close-other-apps': 'Quit other apps that may hold the key (browsers, password managers).',
    },
    summary: { ok: 'Everything needed is in place.', problems: { one: '{{count}} problem found.', other: '{{count}} problems found.' } },
  },

  shell: {
    windowTitle: 'Security Key Manager',
    menu: { keys: 'Keys', addSimulatedKey: 'Add a simulated key', quit: 'Quit', view: 'View' },
    /** Labels of the buttons that call restartElevated / openWindowsSettings (the fixes name them). */
    actions: { restartElevated: 'Restart as administrator', openWindowsSettings: 'Open Windows Settings' },
    dialogs: {
      openProfile: 'Open a profile',
      save: { report: 'Where to write the report (it holds the PINs)', 'export-csv': 'Export the report as CSV', 'export-jsonl': 'Export the report as JSON Lines', policy: 'Save the Entra ID policy' },
      filters: { profile: 'Profiles (JSON or YAML)', csv: 'CSV', jsonl: 'JSON Lines', json: 'JSON', all: 'All files' },
    },
    /** The Open dialogs for the FIDO Metadata Service BLOB, then its root certificate. */
    mdsDialogs: {
      blob: 'Open the FIDO Metadata Service BLOB',
      root: 'Open the root certificate the BLOB is signed through',
      filters: { blob: 'Metadata Service BLOB (JWT)', root: 'Certificates (PEM)', all: 'All files' },
    },
  },
  words: { none: 'none', yes: 'yes', no: 'no', deviceInList: '{{id}} ({{name}})', passkeyInList: '{{credentialId}} ({{rpId}}, {{account}})' },
};
