/** Si une clé est authentique (le verdict de son attestation) et ce que le FIDO Metadata Service dit de son modèle. */
import type { Catalogue } from '../catalogue.js';

export const attestation: Catalogue['attestation'] = {
  verdicts: {
    verified: 'Authentique : le certificat de son fabricant remonte à la racine que le FIDO Metadata Service indique pour ce modèle.',
    'no-mds': 'Signée avec le certificat de son fabricant, mais non vérifiée auprès du FIDO Metadata Service (aucun BLOB n’a été fourni).',
    'no-mds-entry': 'Le FIDO Metadata Service ne répertorie pas ce modèle ; le certificat de son fabricant ne peut donc pas être vérifié.',
    'unknown-root': 'Son certificat ne remonte pas à la racine que le FIDO Metadata Service indique pour ce modèle.',
    'self-attestation': 'Elle a signé avec une clé qui lui est propre (auto-attestation), ce qui ne montre pas qui l’a fabriquée.',
    none: 'Elle n’a fourni aucune attestation.',
    unsupported: 'Elle atteste d’une manière que cette application ne sait pas vérifier.',
    'bad-signature': 'La signature de son attestation n’est pas valide.',
    'bad-certificate': 'Son certificat d’attestation ne respecte pas les exigences applicables aux clés de sécurité.',
    'aaguid-mismatch': 'Son certificat d’attestation désigne un autre modèle que celui de la clé.',
    'expired-certificate': 'Un certificat de son attestation a expiré ou n’est pas encore valide.',
    'revoked-model': 'Le FIDO Metadata Service indique que ce modèle est révoqué.',
    'compromised-model': 'Le FIDO Metadata Service signale ce modèle comme compromis ({{status}}).',
  },
  mds: {
    heading: 'FIDO Metadata Service',
    description: 'Description',
    certification: 'Certification',
    status: 'Dernier statut',
    icon: 'Icône',
    hasIcon: 'oui',
    noIcon: 'non',
    notListed: 'Ce modèle ne figure pas dans le BLOB du FIDO Metadata Service.',
    unfit: 'Ne peut pas être distribuée : le FIDO Metadata Service indique {{status}} pour ce modèle.',
    blob: 'Numéro du BLOB',
  },
};
