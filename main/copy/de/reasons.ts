/**
 * Deutsch: die genauere Meldung (und der nächste Schritt) eines Fehlers mit Grund
 * (gleiche Schlüssel wie en/reasons.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';

const PIN_NOT_ON_COMMAND_LINE =
  'PINs werden nie in der Befehlszeile angegeben (sie blieben sonst im Verlauf der Shell): Geben Sie die PIN ein, wenn Sie dazu aufgefordert werden, oder leiten Sie sie über die Standardeingabe weiter, eine pro Zeile. Die Befehle sind `{{skm}} pin status`, `{{skm}} pin set` und `{{skm}} pin change`.';

export const reasons: Catalogue['reasons'] = {
  'too-short': { message: 'Die PIN muss mindestens {{minLength}} Zeichen lang sein.' },
  'too-long': { message: 'Die PIN ist zu lang: Sie darf höchstens {{maxBytes}} Byte umfassen (weniger Zeichen, wenn es keine einfachen Buchstaben und Ziffern sind).' },
  'not-a-string': { message: 'Die PIN enthält ein Zeichen, das nicht verwendet werden kann.' },
  'same-as-current': { message: 'Die neue PIN muss sich von der aktuellen unterscheiden.' },
  'pin-rejected-by-key': { message: 'Der Sicherheitsschlüssel hat diese PIN abgelehnt: Sie erfüllt die PIN-Regeln des Schlüssels nicht.' },
  'declined-delete': { message: 'Es wurde nichts gelöscht.' },
  'declined-change': { message: 'Es wurde nichts geändert.' },
  'declined-remove': { message: 'Es wurde nichts entfernt.' },
  'declined-reset': { message: 'Abgebrochen. Es wurde nichts zurückgesetzt.' },
  'no-finger': {
    message: 'Es wurde nicht rechtzeitig ein Finger erkannt. Beginnen Sie erneut, und berühren Sie den Sensor, wenn Sie dazu aufgefordert werden.',
    nextStep: { text: 'Beginnen Sie erneut, und berühren Sie den Sensor jedes Mal, wenn Sie dazu aufgefordert werden.', cli: 'Führen Sie den Befehl erneut aus, und berühren Sie den Sensor jedes Mal, wenn Sie dazu aufgefordert werden.' },
  },
  'none-touched': {
    message: 'Keiner der Sicherheitsschlüssel wurde rechtzeitig berührt.',
    nextStep: { text: 'Versuchen Sie es erneut, und berühren Sie den gewünschten Schlüssel, während die Schlüssel blinken.', cli: 'Führen Sie `{{skm}} select` erneut aus, und berühren Sie den gewünschten Schlüssel, während die Schlüssel blinken.' },
  },
  'reset-not-touched': {
    message: 'Der Schlüssel wurde nicht rechtzeitig berührt und daher nicht zurückgesetzt.',
    nextStep: { text: 'Starten Sie das Zurücksetzen erneut, und berühren Sie den Schlüssel, sobald er blinkt.', cli: 'Führen Sie `{{skm}} reset` erneut aus, und berühren Sie den Schlüssel, sobald er blinkt.' },
  },
  'test-not-touched': {
    message: 'Der Sicherheitsschlüssel wurde nicht rechtzeitig berührt.',
    nextStep: { text: 'Versuchen Sie es erneut, und berühren Sie den Schlüssel jedes Mal, wenn er blinkt.', cli: 'Führen Sie `{{skm}} test` erneut aus, und berühren Sie den Schlüssel jedes Mal, wenn er blinkt.' },
  },
  'reset-declined': {
    message: 'Der Schlüssel hat das Zurücksetzen abgelehnt: Es wurde am Schlüssel verweigert, oder dieser Schlüssel erlaubt das Zurücksetzen über diese Verbindung nicht.',
    nextStep: {
      text: 'Starten Sie das Zurücksetzen erneut, und bestätigen Sie am Schlüssel. Lehnt er weiter ab, verbinden Sie ihn auf dem anderen Weg (USB statt NFC oder umgekehrt).',
      cli: 'Führen Sie `{{skm}} reset` erneut aus, und bestätigen Sie am Schlüssel. Lehnt er weiter ab, verbinden Sie ihn auf dem anderen Weg (USB statt NFC oder umgekehrt).',
    },
  },
  'not-removed': {
    message: 'Der Schlüssel wurde nicht innerhalb von {{seconds}} Sekunden entfernt und daher nicht zurückgesetzt.',
    nextStep: { text: 'Starten Sie das Zurücksetzen erneut, und entfernen Sie den Schlüssel, wenn Sie dazu aufgefordert werden.', cli: 'Führen Sie `{{skm}} reset` erneut aus, und entfernen Sie den Schlüssel, wenn Sie dazu aufgefordert werden.' },
  },
  'not-reinserted': {
    message: 'Der Schlüssel wurde nicht innerhalb von {{seconds}} Sekunden wieder eingesteckt und daher nicht zurückgesetzt.',
    nextStep: { text: 'Starten Sie das Zurücksetzen erneut, und stecken Sie den Schlüssel wieder ein, wenn Sie dazu aufgefordert werden.', cli: 'Führen Sie `{{skm}} reset` erneut aus, und stecken Sie den Schlüssel wieder ein, wenn Sie dazu aufgefordert werden.' },
  },
  'power-cycle-failed': {
    message: 'Das Lesegerät konnte den Schlüssel nicht aus- und wieder einschalten, daher wurde er nicht zurückgesetzt.',
    nextStep: {
      text: 'Starten Sie das Zurücksetzen erneut, ohne dass das Lesegerät den Schlüssel ausschaltet, und nehmen Sie den Schlüssel vom Lesegerät und halten Sie ihn erneut daran, wenn Sie dazu aufgefordert werden.',
      cli: 'Führen Sie `{{skm}} reset --no-power-cycle` aus, und nehmen Sie den Schlüssel vom Lesegerät und halten Sie ihn erneut daran, wenn Sie dazu aufgefordert werden.',
    },
  },
  'pcscd-not-running': {
    message: 'Der Smartcard-Dienst (pcscd) läuft nicht, daher können Schlüssel an Kartenlesern nicht verwendet werden.',
    nextStep: 'Starten Sie ihn (sudo systemctl start pcscd), und versuchen Sie es erneut.',
  },
  'before-reset': {
    message: 'Ein anderer Sicherheitsschlüssel wurde eingesteckt, daher wurde er nicht zurückgesetzt; an ihm wurde nichts geändert.',
    nextStep: { text: 'Starten Sie das Zurücksetzen erneut, und stecken Sie denselben Schlüssel wieder ein, mit dem Sie begonnen haben.', cli: 'Führen Sie `{{skm}} reset` erneut aus, und stecken Sie denselben Schlüssel wieder ein, mit dem Sie begonnen haben.' },
  },
  'after-reset': {
    message: 'Der zurückgesetzte Schlüssel antwortet nicht wie der Schlüssel, den Sie gewählt haben.',
    nextStep: {
      text: 'Prüfen Sie, welcher Schlüssel zurückgesetzt wurde; halten Sie andere Schlüssel während des Zurücksetzens fern.',
      cli: 'Prüfen Sie mit `{{skm}} info`, welcher Schlüssel zurückgesetzt wurde; halten Sie andere Schlüssel während des Zurücksetzens fern.',
    },
  },
  'only-goes-up': {
    message: 'Die PIN-Mindestlänge ist {{current}} und kann bis zum Zurücksetzen des Schlüssels nur erhöht werden.',
    nextStep: {
      text: 'Es wurde nichts geändert. Nur ein Zurücksetzen senkt sie.',
      cli: 'Es wurde nichts geändert. Die aktuelle Mindestlänge zeigt `{{skm}} pin status`; nur ein Zurücksetzen senkt sie.',
    },
  },
  'no-rp-ids': { message: 'Dieser Schlüssel kann seine PIN-Mindestlänge nicht an Websites weitergeben.', nextStep: 'Es wurde nichts geändert.' },
  'too-many-rp-ids': { message: 'Dieser Schlüssel kann seine PIN-Mindestlänge an höchstens {{maxRpIds}} Websites weitergeben.', nextStep: 'Es wurde nichts geändert. Nennen Sie weniger Websites.' },
  policy: { message: 'Der Schlüssel hat diese PIN-Mindestlänge abgelehnt.', nextStep: 'Es wurde nichts geändert.' },
  'name-too-long': { message: 'Dieser Name ist für diesen Sicherheitsschlüssel zu lang: höchstens {{maxBytes}} Byte.', nextStep: 'Wählen Sie einen kürzeren Namen.' },
  'test-step-failed': { message: 'Der Schlüssel hat den Test nicht bestanden: {{stepResult}}' },
  'state-file-in-use': {
    message: 'Der simulierte Schlüssel {{path}} wird von einem anderen skm verwendet.',
    nextStep: 'Warten Sie, bis das andere skm fertig ist, und versuchen Sie es dann erneut. Läuft kein anderes skm, löschen Sie {{lockPath}}.',
  },
  'state-file-not-saved': {
    message: 'Der simulierte Schlüssel konnte nicht in {{path}} gespeichert werden, daher wurde die Änderung nicht übernommen.',
    nextStep: 'Prüfen Sie, ob der Ordner vorhanden ist und ob Sie darin schreiben dürfen (neben der Schlüsseldatei wird eine temporäre Datei geschrieben), und versuchen Sie es dann erneut.',
  },
  'virtual-file-twice': { message: 'Die Datei {{path}} wurde zweimal mit --virtual angegeben.' },
  'unknown-preset': {
    message: 'Es gibt keine Vorlage für simulierte Schlüssel namens „{{preset}}“.',
    nextStep: { text: 'Wählen Sie eine der Vorlagen.', cli: 'Die Vorlagen zeigt `{{skm}} virtual-key presets`.' },
  },
  'virtual-preset-without-file': { message: '--virtual-preset benötigt --virtual STATE_FILE (die Datei, in der der simulierte Schlüssel gespeichert wird).' },
  'invalid-credential-id': { message: '„{{input}}“ ist keine gültige Anmeldeinformations-ID: erwartet wird Base64url-Text, wie `{{skm}} creds list` ihn ausgibt.' },
  'invalid-template-id': { message: '„{{input}}“ ist keine Fingerabdruck-ID: erwartet wird Hex-Text, wie `{{skm}} bio list` ihn ausgibt.' },
  'empty-name': { message: 'Ein Name darf nicht leer sein.' },
  'nothing-to-update': { message: 'Geben Sie mit --name und/oder --display-name an, was geändert werden soll.' },
  'no-pin-on-stdin': {
    message: 'Keine PIN in der Standardeingabe.',
    nextStep: 'Leiten Sie die PIN über die Standardeingabe weiter, eine pro Zeile (bei `pin change`: zuerst die aktuelle, dann die neue PIN), oder führen Sie den Befehl in einem Terminal aus.',
  },
  'confirmation-needed': {
    message: '{{action}}: Dafür ist Ihre Bestätigung erforderlich. {{consequenceList}}',
    nextStep: 'Es wurde nichts geändert. Um ohne Terminal zu bestätigen, führen Sie den Befehl erneut mit --yes aus.',
  },
  'missing-command': { message: 'Geben Sie an, welcher Befehl ausgeführt werden soll.' },
  'pin-in-arguments': {
    message: 'Unbekannter Befehl `{{skm}} pin` (hier nicht wiederholt, falls es eine PIN war).',
    nextStep: PIN_NOT_ON_COMMAND_LINE,
  },
  'pin-extra-arguments': { message: '{{parserMessage}}', nextStep: PIN_NOT_ON_COMMAND_LINE },
  'argument-parser': { message: '{{parserMessage}}' },
  'no-blob': { message: 'Neben diesem Passkey ist nichts gespeichert.', nextStep: { text: 'Sehen Sie nach, welche Passkeys Daten enthalten.', cli: 'Welche Passkeys Daten enthalten, zeigt `skm blobs list`.' } },
  'blob-storage-unreadable': {
    message: 'Der Large-Blob-Speicher des Schlüssels kann nicht gelesen werden ({{bytes}} Byte bestehen die Integritätsprüfung nicht); kein Passkey kann seinen Inhalt verwenden.',
    nextStep: { text: 'Leeren Sie ihn (Sie werden vorher gefragt).', cli: 'Leeren Sie ihn mit `skm blobs prune` (Sie werden vorher gefragt).' },
  },
  'blob-storage-changed': {
    message: 'Der Large-Blob-Speicher des Schlüssels hat sich geändert, während Sie entschieden haben, daher wurde nichts geschrieben.',
    nextStep: 'Sehen Sie nach, was er jetzt enthält, und versuchen Sie es dann erneut.',
  },
  'out-file-exists': { message: '{{path}} ist bereits vorhanden und wurde nicht verändert.', nextStep: 'Geben Sie eine neue Datei an.' },
  'large-blob-needs-resident': { message: '--large-blob benötigt --resident: Der Text wird neben einem Passkey gespeichert, der auf dem Schlüssel liegt.' },
  'vpcd-missing': { message: 'Geben Sie mit --vpcd HOST:PORT an, wo der simulierte Schlüssel angeschlossen werden soll, oder führen Sie `{{skm}} virtual-key presets` aus.' },
  'ambiguous-device': {
    message: '„{{deviceId}}“ passt zu {{count}} Schlüsseln{{deviceList}}.',
    nextStep: { text: 'Wählen Sie einen davon aus.', cli: 'Geben Sie mit --device mehr von der ID an (siehe `{{skmKeys}} list`).' },
  },
  'ambiguous-credential-id': {
    message: '„{{input}}“ ist der Anfang von {{count}} Passkeys: {{passkeyList}}.',
    nextStep: { text: 'Geben Sie mehr von der ID an.', cli: 'Geben Sie mehr von der ID an (siehe `{{skm}} creds list`).' },
  },
  'cannot-wink': {
    message: '{{featureText}}',
    nextStep: {
      text: 'Schlüssel an einem NFC-Lesegerät und Schlüssel ohne Leuchte können nicht blinken; unterscheiden Sie die Schlüssel an ihren Namen und IDs.',
      cli: 'Schlüssel an einem NFC-Lesegerät und Schlüssel ohne Leuchte können nicht blinken; unterscheiden Sie die Schlüssel an ihren Namen und IDs in `{{skmKeys}} list`.',
    },
  },
  'os-action-unavailable': {
    message: 'Dies ist nur in der Desktop-App unter Windows verfügbar.',
    nextStep: 'Hier ist nichts zu tun: Dieser Computer benötigt es nicht.',
  },
  'elevation-declined': {
    message: 'Die App wurde nicht als Administrator neu gestartet.',
    nextStep: 'Um den Schlüssel hier zu verwalten, wählen Sie erneut „Als Administrator neu starten“ und lassen es zu, oder verwenden Sie Windows-Einstellungen › Konten › Anmeldeoptionen › Sicherheitsschlüssel.',
  },
  // Fleet provisioning
  'profile-invalid': { message: 'Das Profil {{path}} enthält Fehler (jeder ist mit seiner Korrektur aufgeführt); kein Schlüssel wurde geändert.', nextStep: 'Korrigieren Sie das Profil, und führen Sie es erneut aus.' },
  'profile-unreadable': { message: 'Das Profil {{path}} konnte nicht gelesen werden.', nextStep: 'Prüfen Sie den Dateinamen und ob Sie die Datei lesen dürfen.' },
  'report-in-use': {
    message: 'Der Bericht {{path}} wird von einem anderen Einrichtungslauf verwendet.',
    nextStep: 'Warten Sie, bis der andere Lauf fertig ist, oder schreiben Sie in einen anderen Bericht. Läuft kein anderer Lauf, löschen Sie {{path}}.lock.',
  },
  'report-unreadable': {
    message: 'Der Bericht {{path}} ist vorhanden, kann aber nicht als Einrichtungsbericht gelesen werden und wurde daher nicht verändert.',
    nextStep: 'Wählen Sie eine andere Berichtsdatei, oder verschieben Sie diese.',
  },
  'report-not-saved': {
    message: 'Der Bericht {{path}} konnte nicht geschrieben werden.',
    nextStep: 'Prüfen Sie, ob der Ordner vorhanden ist und ob Sie darin schreiben dürfen, und führen Sie es dann erneut aus: Bereits fertige Schlüssel werden erkannt.',
  },
  'policy-not-saved': {
    message: 'Die Entra ID-Richtliniendatei {{path}} konnte nicht geschrieben werden.',
    nextStep: 'Prüfen Sie, ob der Ordner vorhanden ist und ob Sie darin schreiben dürfen. Der Bericht ist vollständig; führen Sie es mit --count 0 erneut aus, um nur die Richtlinie zu schreiben.',
  },
  'mds-invalid': {
    message: 'Die Metadatendatei ist kein FIDO Metadata Service-BLOB, das über das angegebene Stammzertifikat signiert ist, daher wurde sie nicht verwendet.',
    nextStep: {
      text: 'Laden Sie das BLOB erneut von der FIDO Alliance herunter (https://mds3.fidoalliance.org/), und laden Sie es mit dem FIDO MDS-Stammzertifikat (PEM).',
      cli: 'Laden Sie das BLOB erneut von der FIDO Alliance herunter, und geben Sie das FIDO MDS-Stammzertifikat (PEM) mit --mds-root an.',
    },
  },
  'mds-untrusted': {
    message: 'Die Metadatendatei ist ein FIDO Metadata Service-BLOB, aber nicht über das angegebene Stammzertifikat signiert (oder ihr Signaturzertifikat ist abgelaufen), daher wurde sie nicht verwendet.',
    nextStep: { text: 'Prüfen Sie, ob das Stammzertifikat das FIDO MDS-Stammzertifikat (PEM) ist, oder laden Sie das BLOB erneut herunter.', cli: 'Prüfen Sie, ob --mds-root das FIDO MDS-Stammzertifikat (PEM) ist, oder laden Sie das BLOB erneut herunter.' },
  },
  'mds-too-large': { message: 'Die Datei {{path}} ist zu groß für ein FIDO Metadata Service-BLOB oder ein Stammzertifikat.', nextStep: 'Wählen Sie das BLOB (blob.jwt) und das Stammzertifikat (PEM) selbst aus.' },
  'mds-without-root': { message: '--mds benötigt --mds-root DATEI: das Stammzertifikat (PEM), über das das BLOB signiert sein muss.' },
  'pin-file-unreadable': { message: 'Die PIN-Datei {{path}} konnte nicht gelesen werden, oder ihre erste Zeile ist keine PIN.', nextStep: 'Schreiben Sie die PIN allein in die erste Zeile der Datei.' },
  'no-shared-pin': {
    message: 'Dieses Profil legt auf jedem Schlüssel eine gemeinsame PIN fest, und es wurde keine angegeben.',
    nextStep: { text: 'Geben Sie die gemeinsame PIN ein.', cli: 'Geben Sie sie mit --pin-file DATEI oder als erste Zeile der Standardeingabe an. Nie in der Befehlszeile.' },
  },
  'shared-pin-unused': { message: 'Es wurde eine PIN angegeben, aber dieses Profil legt keine gemeinsame PIN fest.', nextStep: 'Verwenden Sie ein Profil mit "pin": { "mode": "shared" }, oder lassen Sie die PIN weg.' },
  'path-not-allowed': {
    message: 'Der Dateiname {{path}} kann hier nicht verwendet werden.',
    nextStep: 'Geben Sie einen vollständigen Dateinamen (z. B. /home/sie/schluessel.csv oder C:\\Users\\sie\\schluessel.csv) in einem vorhandenen Ordner an; auf Geräte und Ordner kann nicht geschrieben werden.',
  },
  'export-not-saved': { message: 'Der Export {{path}} konnte nicht geschrieben werden.', nextStep: 'Prüfen Sie, ob der Ordner vorhanden ist und ob Sie darin schreiben dürfen, und exportieren Sie dann erneut.' },
  'profile-too-large': { message: 'Die Datei {{path}} ist zu groß für ein Profil.', nextStep: 'Öffnen Sie die Profildatei selbst (einige Einstellungen in JSON oder YAML).' },
  'provisioning-running': { message: 'Es werden bereits Schlüssel vorbereitet.', nextStep: 'Beenden Sie zuerst diesen Lauf, oder warten Sie, bis er fertig ist.' },
  'no-report-yet': { message: 'Es gibt noch keinen Bericht zum Exportieren.', nextStep: 'Beginnen Sie zuerst mit dem Vorbereiten von Schlüsseln; der Bericht kann während des Laufs und danach exportiert werden.' },
  'attestation-needs-mds': {
    message: 'Dieses Profil verlangt, dass die Echtheit jedes Schlüssels geprüft wird (Attestierung), und dafür wird das BLOB des FIDO Metadata Service benötigt: Es enthält die Stammzertifikate der Hersteller.',
    nextStep: {
      text: 'Laden Sie das BLOB und sein Stammzertifikat unter Diagnose › FIDO Metadata Service (MDS).',
      cli: 'Geben Sie --mds DATEI (das BLOB von https://mds3.fidoalliance.org/) und --mds-root DATEI (sein Stammzertifikat, PEM) an.',
    },
  },
};
