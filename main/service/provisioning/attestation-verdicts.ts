/**
 * The verdicts of the attestation check (attestation.ts), as codes the catalogue words. Apart
 * from the verifier so that the catalogue and the renderer can name them without X.509.
 * @module
 */

export const ATTESTATION_VERDICTS = [
  /** Signature, leaf, chain to the model's MDS root and status all good. */
  'verified',
  /** Signature and leaf good, but no BLOB was given to check the chain against. */
  'no-mds',
  /** The BLOB does not list the key's AAGUID. */
  'no-mds-entry',
  /** The chain does not lead to any root the BLOB lists for the model. */
  'unknown-root',
  /** Signed with the credential's own key: nothing says who made the key. */
  'self-attestation',
  /** The key gave no attestation (fmt "none"). */
  'none',
  /** An attestation format or algorithm this app does not check. */
  'unsupported',
  'bad-signature',
  /** The leaf breaks a §8.2.1 requirement, or a certificate cannot be read. */
  'bad-certificate',
  /** The leaf names another model than the authenticator data. */
  'aaguid-mismatch',
  /** A certificate of the chain is not valid now (expired or not yet valid). */
  'expired-certificate',
  /** The MDS lists the model as revoked. */
  'revoked-model',
  /** The MDS lists a compromise of the model (attestation key, user keys, UV bypass). */
  'compromised-model',
] as const;
export type AttestationVerdictCode = (typeof ATTESTATION_VERDICTS)[number];
