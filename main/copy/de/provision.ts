/**
 * Deutsch: Einrichtung vieler Schlüssel (`skm provision`, „Schlüssel vorbereiten“ in der App)
 * (gleiche Schlüssel wie en/provision.ts). Profilnamen und -werte bleiben, wie sie in der Datei stehen.
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const provision: Catalogue['provision'] = {
  profileIssues: {
    'not-json-or-yaml': 'Die Datei ist weder gültiges JSON noch gültiges YAML{{lineText}}. Korrektur: Prüfen Sie Klammern, Anführungszeichen, Kommas und Einrückung.',
    'not-an-object': 'Das Profil muss ein einzelnes Objekt mit Einstellungen sein, etwa { "reset": "never", "pin": { "mode": "random", "length": 8 } }.',
    'unknown-setting': '{{path}}: „{{name}}“ ist keine Profileinstellung. Korrektur: Entfernen Sie sie, oder korrigieren Sie die Schreibweise.',
    missing: '{{path}} fehlt. Korrektur: Fügen Sie es hinzu (erwartet: {{expected}}).',
    'wrong-type': '{{path}} hat den falschen Typ. Korrektur: Geben Sie {{expected}} an.',
    'not-one-of': '{{path}} hat einen unzulässigen Wert. Korrektur: Verwenden Sie einen von {{expected}}.',
    'too-small': '{{path}} ist zu klein. Korrektur: Verwenden Sie {{limit}} oder mehr.',
    'too-big': '{{path}} ist zu groß. Korrektur: Verwenden Sie {{limit}} oder weniger.',
    'not-an-aaguid': '{{path}} ist keine AAGUID. Korrektur: Schreiben Sie sie als 8-4-4-4-12 Hexadezimalziffern, etwa "cb69481e-8ff7-4039-93ec-0a2729a154a8".',
    'alphabet-too-small': '{{path}} benötigt mindestens zwei verschiedene Zeichen. Korrektur: Verwenden Sie {{expected}}, oder schreiben Sie die Zeichen aus.',
    'unknown-placeholder': '{{path}}: „{{name}}“ ist kein Platzhalter. Korrektur: Verwenden Sie {{expected}}.',
    'pin-shorter-than-minimum': '{{path}} ist kürzer als minPinLength ({{limit}}): Die Schlüssel würden ihre eigene PIN ablehnen. Korrektur: Machen Sie die PIN mindestens {{limit}} Zeichen lang.',
    'needs-pin': '{{path}} erfordert eine PIN auf dem Schlüssel. Korrektur: Fügen Sie "pin" hinzu (random oder shared), oder entfernen Sie {{path}}.',
    'allowed-and-denied': '{{path}}: {{name}} steht sowohl auf der Zulassungs- als auch auf der Sperrliste. Korrektur: Entfernen Sie es aus einer der beiden.',
  },
  rejections: {
    'aaguid-not-allowed': 'sein Modell (AAGUID {{aaguid}}) steht nicht auf der Zulassungsliste des Profils',
    'aaguid-denied': 'sein Modell (AAGUID {{aaguid}}) steht auf der Sperrliste des Profils',
    'firmware-too-old': 'seine Firmware ({{firmware}}) ist älter als das Minimum des Profils ({{limit}})',
    'missing-capability': 'ihm fehlt {{capability}}, was das Profil verlangt',
    'pin-already-set': 'er hat bereits eine PIN, die dieser Lauf nicht kennt, und das Profil setzt ihn nicht zurück ("reset": "if-pin-set" würde es tun)',
    'step-unsupported': 'er kann den Schritt „{{stepText}}“ nicht ausführen, den das Profil verlangt',
    'pin-length-unsupported': 'er akzeptiert keine PIN dieser Länge (sein Limit: {{limit}})',
    'min-pin-length-would-go-down': 'seine PIN-Mindestlänge ist bereits {{limit}}, höher als die des Profils, und sie steigt bis zu einem Zurücksetzen nur',
    'too-many-rp-ids': 'er kann für die PIN-Mindestlänge höchstens {{limit}} Websites nennen',
    'mds-unfit': 'der FIDO Metadata Service führt sein Modell als {{status}}',
    'attestation-not-verified': 'seine Echtheit ließ sich nicht nachweisen: {{verdictText}}',
  },
  steps: {
    reset: 'zurücksetzen',
    pin: 'PIN festlegen',
    'always-uv': 'immer die PIN verlangen',
    'enterprise-attestation': 'Unternehmensattestierung aktivieren',
    'min-pin-length': 'PIN-Mindestlänge und erzwungene Änderung',
    verify: 'zurücklesen und prüfen',
  },
  lines: {
    waiting: 'Warten auf Schlüssel … (bisher {{finished}} fertig)',
    waitingFor: 'Warten auf Schlüssel … ({{finished}} von {{count}} fertig)',
    identified: '[{{label}}] {{model}}',
    step: '[{{label}}] {{stepText}} …',
    prompt: '[{{label}}] {{text}}',
    done: '[{{label}}] Fertig: {{stepsText}}.',
    wiped: '[{{label}}] Gelöscht und überprüft.',
    skipped: '[{{label}}] Bereits eingerichtet (laut Bericht); übersprungen.',
    rejected: '[{{label}}] Abgelehnt, nichts wurde geändert: {{reasonText}}.',
    incomplete: '[{{label}}] Unvollständig: {{error}} Bisher erledigt: {{stepsText}}. Führen Sie es mit eingestecktem Schlüssel erneut aus, um es abzuschließen.',
    failed: '[{{label}}] Nicht geändert: {{error}}',
    unidentified: '[{{deviceId}}] Konnte nicht gelesen werden: {{error}} Es wurde nichts geändert.',
    readbackMismatch: 'Der zurückgelesene Schlüssel zeigt nicht jede Einstellung des Profils.',
    summary: 'Eingerichtet {{done}}, abgelehnt {{rejected}}, unvollständig {{incomplete}}, fehlgeschlagen {{failed}}, übersprungen {{skipped}}. Bericht: {{path}}',
    noSteps: 'nichts',
  },
};
