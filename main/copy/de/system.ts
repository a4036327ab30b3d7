/**
 * Deutsch: der Computer rund um den Schlüssel (Berechtigungshinweise, Diagnose), die eigenen
 * Worte der Desktop-Shell und kleine gemeinsame Wörter (gleiche Schlüssel wie en/system.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const system: Pick<Catalogue, 'hints' | 'doctor' | 'shell' | 'words'> = {
  hints: {
    permission: {
      linux:
        'Ihr Benutzer kann /dev/hidraw* nicht öffnen: Installieren Sie die udev-Regel für FIDO-Schlüssel (z. B. das Debian/Ubuntu-Paket libfido2-1 oder 70-u2f.rules), und stecken Sie den Schlüssel neu ein.',
      win32:
        'Seit Windows 10 1903 dürfen nur Administratoren direkt mit FIDO-Schlüsseln kommunizieren: Führen Sie Security Key Manager als Administrator aus, oder verwenden Sie Windows-Einstellungen › Konten › Anmeldeoptionen › Sicherheitsschlüssel.',
      darwin: 'macOS hat den Zugriff auf den Sicherheitsschlüssel verweigert: Beenden Sie andere Apps, die ihn geöffnet halten könnten (Browser, Kennwort-Manager), und stecken Sie den Schlüssel neu ein.',
      other: 'Das Betriebssystem hat den Zugriff auf den Sicherheitsschlüssel verweigert: Prüfen Sie die Berechtigungen seines USB-HID-Geräteknotens, und stecken Sie den Schlüssel neu ein.',
    },
    nfcGone: 'Halten Sie Ihren Sicherheitsschlüssel an das Lesegerät, und lassen Sie ihn dort.',
  },

  doctor: {
    status: { ok: 'OK', problem: 'Problem', info: 'Hinweis', skipped: 'Nicht geprüft' },
    checks: {
      runtime: 'Versionen',
      'node-hid': 'USB-Zugriffsbibliothek',
      'hid-devices': 'USB-Sicherheitsschlüssel',
      'udev-rule': 'Linux-Geräteberechtigung (udev-Regel)',
      pcscd: 'Smartcard-Dienst (für NFC und Kartenleser)',
      readers: 'Kartenleser',
      'windows-elevation': 'Administratorrechte (Windows)',
    },
    results: {
      'runtime-versions': 'Node {{node}}, Electron {{electronText}}, {{platform}} {{arch}}.',
      'hid-loaded': 'Die USB-Zugriffsbibliothek wurde geladen.',
      'hid-not-loadable': 'Die USB-Zugriffsbibliothek konnte nicht geladen werden, daher können USB-Sicherheitsschlüssel nicht verwendet werden.',
      'hid-none-seen': 'Es ist kein USB-Sicherheitsschlüssel angeschlossen.',
      'hid-all-openable': { one: '{{count}} USB-Sicherheitsschlüssel gefunden, und diese App kann ihn öffnen.', other: '{{count}} USB-Sicherheitsschlüssel gefunden, und diese App kann alle öffnen.' },
      'hid-not-openable': {
        one: '{{count}} USB-Sicherheitsschlüssel gefunden, aber diese App darf ihn möglicherweise nicht öffnen ({{openable}} lassen sich öffnen).',
        other: '{{count}} USB-Sicherheitsschlüssel gefunden, aber diese App darf möglicherweise nicht alle öffnen ({{openable}} lassen sich öffnen).',
      },
      'hid-not-checked': 'Nicht geprüft, weil die USB-Zugriffsbibliothek nicht geladen wurde.',
      'udev-rule-present': 'Ihr Benutzer darf Sicherheitsschlüssel öffnen (Regel in {{ruleFile}}).',
      'udev-rule-missing': 'Keine udev-Regel erlaubt Ihrem Benutzer, Sicherheitsschlüssel zu öffnen; USB-Schlüssel werden daher möglicherweise angezeigt, lassen sich aber nicht öffnen.',
      'pcscd-running': 'Der Smartcard-Dienst läuft.',
      'pcscd-not-running': 'Der Smartcard-Dienst (pcscd) läuft nicht, daher können Schlüssel an NFC- oder Kartenlesern nicht verwendet werden.',
      'pcscd-no-permission': 'Ihr Benutzer darf den Smartcard-Dienst (pcscd) nicht verwenden.',
      'pcsc-not-loadable': 'Die Kartenleser-Unterstützung konnte nicht geladen werden, daher können Schlüssel an NFC- oder Kartenlesern nicht verwendet werden.',
      'readers-found': { one: '{{count}} Lesegerät: {{readerList}}.', other: '{{count}} Lesegeräte: {{readerList}}.' },
      'readers-none': 'Es ist kein Kartenleser angeschlossen (nur für NFC-Schlüssel nötig).',
      'readers-not-checked': 'Nicht geprüft, weil der Smartcard-Dienst nicht verfügbar ist.',
      elevated: 'Die App läuft als Administrator und kann daher direkt mit Sicherheitsschlüsseln kommunizieren.',
      'elevation-not-required': 'Diese Windows-Version lässt die App ohne Administratorrechte mit Sicherheitsschlüsseln kommunizieren.',
      'elevation-required': 'Windows lässt nur Administratoren direkt mit Sicherheitsschlüsseln kommunizieren (seit Windows 10 Version 1903), und diese App läuft nicht als Administrator.',
      'elevation-may-be-required': 'Es wird kein Schlüssel aufgeführt; ohne Administratorrechte verbirgt Windows Sicherheitsschlüssel möglicherweise vor dieser App (seit Windows 10 Version 1903).',
    },
    fixes: {
      'install-udev-rule': 'Installieren Sie die folgende udev-Regel, und stecken Sie den Schlüssel neu ein:\n{{command}}',
      'replug-key': 'Entfernen Sie den Schlüssel, und stecken Sie ihn wieder ein.',
      'start-pcscd': {
        text: 'Starten Sie den Smartcard-Dienst.',
        linux: 'Starten Sie den Smartcard-Dienst: sudo systemctl start pcscd (installieren Sie ihn bei Bedarf zuerst: sudo apt install pcscd).',
      },
      'pcscd-permission': 'Bitten Sie Ihren Administrator, Ihrem Benutzer die Verwendung von Smartcards zu erlauben (polkit-Regeln für pcscd).',
      'reinstall-app': 'Installieren Sie Security Key Manager neu.',
      'restart-elevated': { text: 'Starten Sie die App als Administrator neu.', cli: 'Führen Sie skm in einem Terminal aus, das als Administrator geöffnet wurde.', app: 'Wählen Sie „Als Administrator neu starten“.' },
      'open-windows-settings': {
        text: 'Oder verwalten Sie den Schlüssel unter Windows-Einstellungen › Konten › Anmeldeoptionen › Sicherheitsschlüssel.',
        app: 'Oder wählen Sie „Windows-Einstellungen öffnen“, um den Schlüssel dort zu verwalten.',
      },
      'close-other-apps': 'Beenden Sie andere Apps, die den Schlüssel belegen könnten (Browser, Kennwort-Manager).',
    },
    summary: { ok: 'Alles Nötige ist vorhanden.', problems: { one: '{{count}} Problem gefunden.', other: '{{count}} Probleme gefunden.' } },
  },

  shell: {
    windowTitle: 'Security Key Manager',
    menu: { keys: 'Schlüssel', addSimulatedKey: 'Simulierten Schlüssel hinzufügen', quit: 'Beenden', view: 'Ansicht' },
    actions: { restartElevated: 'Als Administrator neu starten', openWindowsSettings: 'Windows-Einstellungen öffnen' },
    dialogs: {
      openProfile: 'Profil öffnen',
      save: {
        report: 'Speicherort des Berichts (er enthält die PINs)',
        'export-csv': 'Bericht als CSV exportieren',
        'export-jsonl': 'Bericht als JSON Lines exportieren',
        policy: 'Entra ID-Richtlinie speichern',
      },
      filters: { profile: 'Profile (JSON oder YAML)', csv: 'CSV', jsonl: 'JSON Lines', json: 'JSON', all: 'Alle Dateien' },
    },
    mdsDialogs: {
      blob: 'FIDO Metadata Service-BLOB öffnen',
      root: 'Stammzertifikat öffnen, über das das BLOB signiert ist',
      filters: { blob: 'Metadata Service-BLOB (JWT)', root: 'Zertifikate (PEM)', all: 'Alle Dateien' },
    },
  },
  words: { none: 'keine', yes: 'ja', no: 'nein', deviceInList: '{{id}} ({{name}})', passkeyInList: '{{credentialId}} ({{rpId}}, {{account}})' },
};
