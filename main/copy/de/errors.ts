/**
 * Deutsch: was geschehen ist und was als Nächstes zu tun ist, ein Eintrag je AppErrorCode
 * (gleiche Schlüssel wie en/errors.ts).
 * @module
 */
import type { Catalogue } from '../catalogue.js';

const TRY_AGAIN_TOUCH = 'Versuchen Sie es erneut, und berühren Sie den Schlüssel, wenn er blinkt.';
const RESET_ONLY = 'Der Schlüssel ist gesperrt. Nur ein Zurücksetzen macht ihn wieder nutzbar, und dabei wird alles gelöscht.';

export const errors: Catalogue['errors'] = {
  NO_DEVICE: {
    message: 'Kein Sicherheitsschlüssel gefunden.',
    nextStep: {
      text: 'Stecken Sie Ihren Sicherheitsschlüssel ein (oder halten Sie ihn an das Lesegerät), und versuchen Sie es erneut.',
      cli: 'Stecken Sie Ihren Sicherheitsschlüssel ein (oder halten Sie ihn an das Lesegerät), und versuchen Sie es erneut. Zum Üben mit einem simulierten Schlüssel fügen Sie --virtual DATEI hinzu.',
    },
  },
  SEVERAL_DEVICES: {
    message: 'Mehrere Sicherheitsschlüssel sind angeschlossen{{deviceList}}.',
    nextStep: { text: 'Wählen Sie einen davon aus, oder entfernen Sie die anderen.', cli: 'Wählen Sie einen mit --device ID aus (siehe `{{skmKeys}} list`), oder entfernen Sie die anderen.' },
  },
  DEVICE_NOT_FOUND: {
    message: 'Kein Sicherheitsschlüssel passt zu „{{deviceId}}“.',
    nextStep: { text: 'Wählen Sie einen der angeschlossenen Schlüssel aus.', cli: 'Führen Sie `{{skmKeys}} list` aus, um die angeschlossenen Schlüssel und ihre IDs zu sehen.' },
  },
  DEVICE_BUSY: {
    message: 'Der Sicherheitsschlüssel ist mit einem anderen Vorgang beschäftigt.',
    nextStep: 'Warten Sie, bis der andere Vorgang (oder die andere App, die den Schlüssel verwendet) abgeschlossen ist, und versuchen Sie es dann erneut.',
  },
  DEVICE_GONE: { message: 'Der Sicherheitsschlüssel wurde entfernt.', nextStep: 'Stecken Sie den Schlüssel wieder ein (oder lassen Sie ihn am Lesegerät), und versuchen Sie es erneut.' },
  PERMISSION_DENIED: {
    message: 'Dieser Computer hat den Zugriff auf den Sicherheitsschlüssel nicht erlaubt.',
    nextStep: 'Prüfen Sie, ob Ihr Benutzer auf USB-Sicherheitsschlüssel zugreifen darf, und versuchen Sie es dann erneut.',
  },
  TIMEOUT: { message: 'Der Sicherheitsschlüssel hat nicht rechtzeitig geantwortet.', nextStep: 'Entfernen Sie den Schlüssel, stecken Sie ihn wieder ein, und versuchen Sie es erneut.' },
  TRANSPORT: { message: 'Keine Verbindung zum Sicherheitsschlüssel möglich.', nextStep: 'Entfernen Sie den Schlüssel und stecken Sie ihn wieder ein (oder halten Sie ihn erneut an das Lesegerät), und versuchen Sie es erneut.' },
  PROTOCOL: {
    message: 'Die Antwort des Sicherheitsschlüssels war nicht verständlich.',
    nextStep: 'Versuchen Sie es erneut. Wenn das immer wieder passiert, ist der Schlüssel möglicherweise nicht mit dieser App kompatibel.',
  },
  NOT_FIDO2: {
    message: 'Dies ist kein FIDO2-Sicherheitsschlüssel (vielleicht ein älterer, reiner U2F-Schlüssel): Er hat keine PIN, keine Passkeys und keine Einstellungen, die verwaltet werden können.',
    nextStep: 'Verwenden Sie einen Sicherheitsschlüssel, der FIDO2 unterstützt.',
  },
  KEY_REJECTED_REQUEST: {
    message: 'Der Sicherheitsschlüssel hat die Anfrage abgelehnt.',
    nextStep: 'Ihr Schlüssel unterstützt dies möglicherweise nicht so, wie diese App es anfragt. Suchen Sie nach einem Firmware- oder App-Update.',
  },
  KEY_FAILURE: {
    message: 'Der Sicherheitsschlüssel hat einen internen Fehler gemeldet.',
    nextStep: 'Entfernen Sie den Schlüssel, stecken Sie ihn wieder ein, und versuchen Sie es erneut. Wenn das immer wieder passiert, wenden Sie sich an den Hersteller.',
  },
  REQUEST_TOO_LARGE: { message: 'Die Anfrage ist für diesen Sicherheitsschlüssel zu groß.', nextStep: 'Verwenden Sie kürzere Namen oder weniger Einträge.' },
  PIN_INVALID: {
    message: 'Diese PIN ist falsch.{{triesText}}',
    nextStep: 'Versuchen Sie es mit der richtigen PIN erneut. Nach 3 falschen PINs hintereinander entfernen Sie den Schlüssel und stecken ihn wieder ein. Sind keine Versuche mehr übrig, wird der Schlüssel gesperrt.',
  },
  PIN_AUTH_BLOCKED: { message: 'Zu viele falsche PINs hintereinander.', nextStep: 'Entfernen Sie den Schlüssel, stecken Sie ihn wieder ein, und versuchen Sie es erneut.' },
  PIN_BLOCKED: { message: 'Die PIN ist gesperrt: zu viele falsche PINs.', nextStep: RESET_ONLY },
  PIN_NOT_SET: {
    message: 'Dieser Sicherheitsschlüssel hat noch keine PIN.',
    nextStep: {
      text: 'Legen Sie zuerst eine PIN fest, und versuchen Sie es dann erneut.',
      cli: 'Legen Sie mit `{{skm}} pin set` eine fest, und versuchen Sie es dann erneut.',
      app: 'Wählen Sie unter „Sicherheitsschlüssel-PIN“ die Option „Hinzufügen“, und versuchen Sie es dann erneut.',
    },
  },
  PIN_ALREADY_SET: {
    message: 'Dieser Sicherheitsschlüssel hat bereits eine PIN.',
    nextStep: { text: 'Ändern Sie sie stattdessen.', cli: 'Ändern Sie sie mit `{{skm}} pin change`.', app: 'Wählen Sie unter „Sicherheitsschlüssel-PIN“ die Option „Ändern“.' },
  },
  PIN_POLICY: {
    message: 'Diese PIN erfüllt die Regeln des Schlüssels nicht.',
    nextStep: 'Wählen Sie eine PIN, die die Regeln erfüllt (eine längere oder eine andere als die aktuelle PIN).',
  },
  PIN_REQUIRED: {
    message: 'Dafür ist die PIN des Sicherheitsschlüssels erforderlich.',
    nextStep: { text: 'Geben Sie die PIN ein, wenn Sie dazu aufgefordert werden, oder legen Sie zuerst eine fest.', cli: 'Geben Sie die PIN ein, wenn Sie dazu aufgefordert werden, oder legen Sie zuerst mit `{{skm}} pin set` eine fest.' },
  },
  PIN_MISMATCH: { message: 'Die beiden eingegebenen PINs stimmen nicht überein.', nextStep: 'Versuchen Sie es erneut, und geben Sie zweimal dieselbe PIN ein.' },
  PIN_CHANGE_REQUIRED: {
    message: 'Dieser Sicherheitsschlüssel verlangt eine neue PIN, bevor er verwendet werden kann.',
    nextStep: {
      text: 'Ändern Sie die PIN, und versuchen Sie es dann erneut.',
      cli: 'Ändern Sie die PIN mit `{{skm}} pin change`, und versuchen Sie es dann erneut.',
      app: 'Wählen Sie unter „Sicherheitsschlüssel-PIN“ die Option „Ändern“, und versuchen Sie es dann erneut.',
    },
  },
  SESSION_EXPIRED: { message: 'Der Sicherheitsschlüssel akzeptiert diese Sitzung nicht mehr.', nextStep: 'Versuchen Sie es erneut. Sie werden noch einmal nach der PIN gefragt.' },
  UV_INVALID: {
    message: 'Der Fingerabdruck wurde nicht erkannt.{{triesText}}',
    nextStep: 'Versuchen Sie es erneut, oder verwenden Sie die PIN.',
  },
  UV_BLOCKED: {
    message: 'Das Entsperren per Fingerabdruck ist nach zu vielen Fehlversuchen blockiert.',
    nextStep: 'Verwenden Sie stattdessen die PIN. Wenn Sie sie eingeben, wird der Fingerabdrucksensor wieder freigegeben.',
  },
  TOUCH_TIMEOUT: { message: 'Der Sicherheitsschlüssel wurde nicht rechtzeitig berührt.', nextStep: TRY_AGAIN_TOUCH },
  TOUCH_REQUIRED: { message: 'Dafür muss der Sicherheitsschlüssel berührt werden.', nextStep: TRY_AGAIN_TOUCH },
  OPERATION_DENIED: {
    message: 'Der Sicherheitsschlüssel hat abgelehnt: Die Anfrage wurde am Schlüssel verweigert.',
    nextStep: 'Versuchen Sie es erneut, und bestätigen Sie am Schlüssel. Manche Schlüssel erlauben dies nicht über jede Verbindung (USB / NFC).',
  },
  NOT_ALLOWED: { message: 'Der Sicherheitsschlüssel lässt das gerade nicht zu.', nextStep: 'Entfernen Sie den Schlüssel, stecken Sie ihn wieder ein, und versuchen Sie es erneut.' },
  RESET_TOO_LATE: {
    message: 'Zu spät: Dieser Schlüssel lässt sich nur innerhalb von {{seconds}} Sekunden nach dem Einstecken zurücksetzen. Es wurde nichts zurückgesetzt.',
    nextStep: {
      text: 'Starten Sie das Zurücksetzen erneut, und berühren Sie den Schlüssel, sobald er nach dem Wiedereinstecken blinkt.',
      cli: 'Führen Sie `{{skm}} reset` erneut aus, und berühren Sie den Schlüssel, sobald er nach dem Wiedereinstecken blinkt.',
    },
  },
  RESET_NOT_ALLOWED_ON_TRANSPORT: {
    message: 'Dieser Schlüssel lässt sich nur über {{allowedList}} zurücksetzen, nicht über {{transportName}}. Es wurde nichts gesendet.',
    nextStep: { text: 'Verbinden Sie den Schlüssel auf diese Weise, und starten Sie das Zurücksetzen erneut.', cli: 'Verbinden Sie den Schlüssel auf diese Weise, und führen Sie `{{skm}} reset` erneut aus.' },
  },
  DIFFERENT_KEY: { message: 'Ein anderer Sicherheitsschlüssel wurde eingesteckt.', nextStep: 'Stecken Sie denselben Schlüssel ein, mit dem Sie begonnen haben.' },
  KEY_STORE_FULL: {
    message: 'Auf dem Sicherheitsschlüssel ist kein Platz für weitere Passkeys.',
    nextStep: { text: 'Löschen Sie Passkeys, die Sie nicht mehr benötigen, und versuchen Sie es dann erneut.', cli: 'Löschen Sie Passkeys, die Sie nicht mehr benötigen (`{{skm}} creds`), und versuchen Sie es dann erneut.' },
  },
  FINGERPRINT_STORE_FULL: {
    message: 'Auf diesem Schlüssel sind bereits so viele Fingerabdrücke gespeichert wie möglich.',
    nextStep: 'Entfernen Sie einen Fingerabdruck, den Sie nicht mehr benötigen, und versuchen Sie es dann erneut.',
  },
  FINGERPRINT_NOT_FOUND: {
    message: 'Dieser Fingerabdruck ist nicht auf diesem Sicherheitsschlüssel.',
    nextStep: { text: 'Wählen Sie einen Fingerabdruck aus der Liste.', cli: 'Listen Sie die Fingerabdrücke mit `{{skm}} bio list` auf, und wählen Sie einen vorhandenen aus.' },
  },
  FINGERPRINT_NOT_READ: {
    message: 'Der Schlüssel konnte Ihren Finger nicht deutlich lesen.',
    nextStep: 'Reinigen Sie den Sensor und Ihren Finger, und versuchen Sie es dann erneut.',
  },
  LARGE_BLOB_STORE_FULL: { message: 'Auf dem Sicherheitsschlüssel ist kein Platz für weitere Daten.', nextStep: 'Löschen Sie Passkeys, die Sie nicht mehr benötigen, und versuchen Sie es dann erneut.' },
  CREDENTIAL_EXCLUDED: { message: 'Dieser Sicherheitsschlüssel ist für dieses Konto bereits registriert.', nextStep: 'Verwenden Sie den Schlüssel, wie er ist, oder wählen Sie einen anderen Schlüssel.' },
  CREDENTIAL_NOT_FOUND: { message: 'Dieser Passkey ist nicht auf diesem Sicherheitsschlüssel.', nextStep: 'Lassen Sie die Passkeys erneut auflisten, und wählen Sie einen vorhandenen aus.' },
  NO_CREDENTIALS: {
    message: 'Auf diesem Sicherheitsschlüssel gibt es dafür keine Passkeys.',
    nextStep: {
      text: 'Sehen Sie nach, welche Passkeys auf dem Schlüssel sind, oder erstellen Sie zuerst einen auf dieser Website.',
      cli: 'Sehen Sie mit `{{skm}} creds list` nach, welche Passkeys auf dem Schlüssel sind, oder erstellen Sie zuerst einen auf dieser Website.',
    },
  },
  UNSUPPORTED: {
    message: 'Dieser Sicherheitsschlüssel unterstützt diesen Vorgang nicht.',
    nextStep: 'Suchen Sie beim Hersteller nach einem Firmware-Update, oder verwenden Sie einen Schlüssel, der dies unterstützt.',
  },
  CANCELLED: { message: 'Abgebrochen.', nextStep: { text: 'Beginnen Sie erneut, wenn Sie bereit sind.', cli: 'Führen Sie den Befehl erneut aus, wenn Sie bereit sind.' } },
  STATE_FILE_CORRUPT: {
    message: 'Die Datei des simulierten Schlüssels {{path}} ist beschädigt; sie wurde nicht verändert.',
    nextStep: {
      text: 'Wählen Sie eine andere Datei, um einen neuen simulierten Schlüssel zu beginnen, oder stellen Sie die Datei wieder her.',
      cli: 'Geben Sie bei --virtual einen anderen Dateinamen an, um einen neuen simulierten Schlüssel zu beginnen, oder stellen Sie die Datei wieder her.',
    },
  },
  FILE_ACCESS: {
    message: 'Die Datei {{path}} konnte nicht gelesen oder geschrieben werden.',
    nextStep: 'Prüfen Sie, ob die Datei und ihr Ordner vorhanden sind und ob Sie darin schreiben dürfen.',
  },
  USAGE: { message: 'Der Befehl wurde nicht richtig verwendet.', nextStep: { text: 'Prüfen Sie die Angaben, und versuchen Sie es erneut.', cli: 'Die Verwendung zeigt `{{help}}`.' } },
  BAD_REQUEST: {
    message: 'Die App hat eine Anfrage gesendet, die dieser Dienst nicht annimmt; es wurde nichts ausgeführt.',
    nextStep: 'Versuchen Sie es erneut. Wenn das immer wieder passiert, melden Sie es mit den Details.',
  },
  FORBIDDEN: {
    message: 'Eine Anfrage kam von einer Seite, die nicht zu dieser App gehört; es wurde nichts ausgeführt.',
    nextStep: 'Schließen Sie die App, und öffnen Sie sie erneut. Wenn das immer wieder passiert, melden Sie es mit den Details.',
  },
  INTERNAL: {
    message: 'In dieser App ist ein Fehler aufgetreten.',
    nextStep: {
      text: 'Versuchen Sie es erneut. Wenn das immer wieder passiert, melden Sie es mit den Details.',
      cli: 'Versuchen Sie es erneut. Wenn das immer wieder passiert, melden Sie es mit der Ausgabe von --verbose.',
    },
  },
};
