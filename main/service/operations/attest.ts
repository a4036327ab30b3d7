/**
 * Is this key genuine? One throw-away credential (ctap/flows/attest-key.ts), its attestation
 * judged against the FIDO Metadata Service BLOB the service was given (provisioning/
 * attestation.ts). The verdict is a code; the words are the catalogue's.
 * @module
 */
import type { Ctap2Session } from '../../../ctap/ctap2/session.js';
import { attestKey } from '../../../ctap/flows/attest-key.js';
import type { UserPrompts } from '../../../ctap/flows/prompts.js';
import type { AttestationVerdict } from '../provisioning/attestation.js';
import { modelFacts, type MdsIndex, type MdsModelFacts } from '../provisioning/mds-index.js';

export interface AttestationReport extends AttestationVerdict {
  /** The model as the BLOB describes it; null without a BLOB. */
  mds: MdsModelFacts | null;
  /** The key blinked before it waited for the touch. */
  winked: boolean;
}

export async function attestOperation(options: { session: Ctap2Session; prompts: UserPrompts; signal?: AbortSignal; mds: MdsIndex | null; wink: boolean; now?: Date }): Promise<AttestationReport> {
  const { made, clientDataHash, winked } = await attestKey({ session: options.session, prompts: options.prompts, wink: options.wink, ...(options.signal ? { signal: options.signal } : {}) });
  // X.509 is loaded only when a key is checked: it is not part of every skm start.
  const { verifyAttestation } = await import('../provisioning/attestation.js');
  const verdict = await verifyAttestation({ fmt: made.fmt, attStmt: made.attStmt, authData: made.authData, clientDataHash, mds: options.mds, ...(options.now ? { now: options.now } : {}) });
  return { ...verdict, mds: options.mds ? modelFacts(options.mds, verdict.aaguid) : null, winked };
}
