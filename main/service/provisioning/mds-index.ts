/**
 * What a verified FIDO Metadata Service BLOB says, per AAGUID (mds.ts reads and verifies the
 * BLOB). Kept apart from mds.ts so that front ends can name these types and read the facts
 * without loading X.509 and JWS.
 * @module
 */

/** Status reports that make a model unfit to issue (FIDO MDS3 §3.1.4 AuthenticatorStatus). */
export const UNFIT_STATUSES = ['REVOKED', 'USER_VERIFICATION_BYPASS', 'ATTESTATION_KEY_COMPROMISE', 'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE'] as const;

export interface MdsFacts {
  description: string | null;
  /** The highest certification in the status reports ("FIDO_CERTIFIED_L2"), or "NOT_FIDO_CERTIFIED". */
  certification: string;
  /** The first status that makes the model unfit (revoked, compromised), or null. */
  unfit: string | null;
  /** The newest status report's status (MDS3 §3.1.4: reports are newest last by effectiveDate). */
  status: string | null;
  /** Whether the metadata statement carries an icon (a data: URL). */
  hasIcon: boolean;
  /**
   * The model's attestation trust anchors (base64 DER, MDS3 metadata statement
   * attestationRootCertificates): an attestation chain must lead to one of them.
   */
  roots: string[];
}

export class MdsIndex {
  constructor(
    /** The BLOB's serial number ("no"). */
    readonly number: number,
    readonly nextUpdate: string,
    private readonly entries: ReadonlyMap<string, MdsFacts>,
  ) {}

  /** How many models the BLOB describes. */
  get size(): number {
    return this.entries.size;
  }

  lookup(aaguid: string): MdsFacts | null {
    return this.entries.get(aaguid.toLowerCase()) ?? null;
  }
}

/** What a front end shows of a model from the BLOB (`skm info`, the app's Details). */
export interface MdsModelFacts {
  /** Whether the BLOB lists the model at all; the other fields are null / false when not. */
  listed: boolean;
  description: string | null;
  certification: string | null;
  /** The newest status report's status. */
  status: string | null;
  /** The status that makes the model unfit to issue (revoked, compromised), or null. */
  unfit: string | null;
  hasIcon: boolean;
  /** The BLOB's serial number, so a reader can tell which BLOB said so. */
  blobNumber: number;
}

export function modelFacts(index: MdsIndex, aaguid: string): MdsModelFacts {
  const entry = index.lookup(aaguid);
  return {
    listed: entry !== null,
    description: entry?.description ?? null,
    certification: entry?.certification ?? null,
    status: entry?.status ?? null,
    unfit: entry?.unfit ?? null,
    hasIcon: entry?.hasIcon ?? false,
    blobNumber: index.number,
  };
}
