/** Whether a key is genuine (its attestation verdict) and what the FIDO Metadata Service says of its model. */
import type { Catalogue } from '../catalogue.js';

export const attestation: Catalogue['attestation'] = {
  verdicts: {
    verified: 'Genuine: its maker\'s certificate leads to the root the FIDO Metadata Service lists for this model.',
    'no-mds': 'Signed with its maker\'s certificate, but not checked against the FIDO Metadata Service (no BLOB was given).',
    'no-mds-entry': 'The FIDO Metadata Service does not list this model, so its maker\'s certificate cannot be checked.',
    'unknown-root': 'Its certificate does not lead to the root the FIDO Metadata Service lists for this model.',
    'self-attestation': 'It signed with a key of its own (self attestation), which does not show who made it.',
    none: 'It gave no attestation at all.',
    unsupported: 'It attests in a way this app cannot check.',
    'bad-signature': 'Its attestation signature does not verify.',
    'bad-certificate': 'Its attestation certificate does not meet the requirements for security keys.',
    'aaguid-mismatch': 'Its attestation certificate names a different model than the key does.',
    'expired-certificate': 'A certificate in its attestation is expired or not valid yet.',
    'revoked-model': 'The FIDO Metadata Service lists this model as revoked.',
    'compromised-model': 'The FIDO Metadata Service reports this model as compromised ({{status}}).',
  },
  mds: {
    heading: 'FIDO Metadata Service',
    description: 'Description',
    certification: 'Certification',
    status: 'Latest status',
    icon: 'Icon',
    hasIcon: 'yes',
    noIcon: 'no',
    notListed: 'This model is not listed in the FIDO Metadata Service BLOB.',
    unfit: 'Not fit to issue: the FIDO Metadata Service lists {{status}} for this model.',
    blob: 'BLOB number',
  },
};
