/** Ob ein Schlüssel echt ist (das Ergebnis seiner Attestierung) und was der FIDO Metadata Service über sein Modell sagt. */
import type { Catalogue } from '../catalogue.js';

export const attestation: Catalogue['attestation'] = {
  verdicts: {
    verified: 'Echt: Das Zertifikat seines Herstellers führt zu dem Stammzertifikat, das der FIDO Metadata Service für dieses Modell angibt.',
    'no-mds': 'Mit dem Zertifikat seines Herstellers signiert, aber nicht mit dem FIDO Metadata Service abgeglichen (es wurde kein BLOB angegeben).',
    'no-mds-entry': 'Der FIDO Metadata Service führt dieses Modell nicht, daher lässt sich das Zertifikat seines Herstellers nicht prüfen.',
    'unknown-root': 'Sein Zertifikat führt nicht zu dem Stammzertifikat, das der FIDO Metadata Service für dieses Modell angibt.',
    'self-attestation': 'Er hat mit einem eigenen Schlüssel signiert (Selbstattestierung); daran ist nicht zu erkennen, wer ihn hergestellt hat.',
    none: 'Er hat überhaupt keine Attestierung geliefert.',
    unsupported: 'Er attestiert auf eine Weise, die diese App nicht prüfen kann.',
    'bad-signature': 'Seine Attestierungssignatur ist ungültig.',
    'bad-certificate': 'Sein Attestierungszertifikat erfüllt die Anforderungen an Sicherheitsschlüssel nicht.',
    'aaguid-mismatch': 'Sein Attestierungszertifikat nennt ein anderes Modell als der Schlüssel selbst.',
    'expired-certificate': 'Ein Zertifikat seiner Attestierung ist abgelaufen oder noch nicht gültig.',
    'revoked-model': 'Der FIDO Metadata Service führt dieses Modell als widerrufen.',
    'compromised-model': 'Der FIDO Metadata Service meldet dieses Modell als kompromittiert ({{status}}).',
  },
  mds: {
    heading: 'FIDO Metadata Service',
    description: 'Beschreibung',
    certification: 'Zertifizierung',
    status: 'Letzter Status',
    icon: 'Symbol',
    hasIcon: 'ja',
    noIcon: 'nein',
    notListed: 'Dieses Modell ist im BLOB des FIDO Metadata Service nicht aufgeführt.',
    unfit: 'Nicht zur Ausgabe geeignet: Der FIDO Metadata Service führt für dieses Modell {{status}}.',
    blob: 'BLOB-Nummer',
  },
};
