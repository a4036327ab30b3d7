/**
 * Is this key genuine? The check Entra ID's "Enforce attestation" makes: the key's "packed"
 * attestation statement (WebAuthn L2 §8.2) over a fresh credential, its certificate chain to a
 * root the FIDO Metadata Service lists for the key's AAGUID, and the model's status there.
 *
 * The checks follow WebAuthn §8.2.1 and python-fido2 (attestation/packed.py, mds3.py):
 * - alg and sig present; the signature over authenticatorData ‖ clientDataHash verifies with the
 *   x5c leaf's key (no x5c: self attestation, with the credential's own key and alg);
 * - the leaf is X.509 version 3; its subject has C, O, CN and OU "Authenticator Attestation";
 *   it has basic constraints with CA=false; the id-fido-gen-ce-aaguid extension, when present,
 *   is not critical and equals the AAGUID in the authenticator data;
 * - every certificate of the chain is valid now, and the chain ends at one of the
 *   attestationRootCertificates of the model's MDS entry;
 * - the model is not revoked or compromised (status reports).
 *
 * X.509 by @peculiar/x509 (chain building, signatures, validity) and @peculiar/asn1-* (fields it
 * does not expose); signatures by @noble/curves. ES256 only, as everywhere in this app.
 * @module
 */
import 'reflect-metadata';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate, SubjectPublicKeyInfo, Version } from '@peculiar/asn1-x509';
import { BasicConstraintsExtension, X509Certificate, X509ChainBuilder } from '@peculiar/x509';
import { bytesToHex } from '@noble/hashes/utils.js';
import { p256 } from '@noble/curves/nist.js';
import type { CborMap } from '../../../ctap/cbor.js';
import { aaguidString } from '../../../ctap/ctap2/info.js';
import { CoseAlgorithm, verifySignature, type AuthenticatorData } from '../../../ctap/ctap2/make-credential.js';
import type { AttestationVerdictCode } from './attestation-verdicts.js';
import type { MdsIndex } from './mds-index.js';

export { ATTESTATION_VERDICTS, type AttestationVerdictCode } from './attestation-verdicts.js';

/** WebAuthn §8.2.1: the id-fido-gen-ce-aaguid extension of an attestation certificate. */
export const OID_FIDO_AAGUID = '1.3.6.1.4.1.45724.1.1.4';

export interface AttestationVerdict {
  verdict: AttestationVerdictCode;
  /** The AAGUID of the new credential (lowercase, hyphenated). */
  aaguid: string;
  fmt: string;
  /** The MDS status that made the model unfit, for revoked / compromised. */
  status?: string;
  /** What exactly failed, for the Details disclosure (never shown as the message). */
  details?: string;
}

export interface AttestationInput {
  fmt: string;
  attStmt: CborMap;
  authData: AuthenticatorData;
  clientDataHash: Uint8Array;
  mds: MdsIndex | null;
  now?: Date;
}

export async function verifyAttestation(input: AttestationInput): Promise<AttestationVerdict> {
  const credential = input.authData.attestedCredentialData;
  const aaguid = credential ? aaguidString(credential.aaguid) : '';
  const verdict = (code: AttestationVerdictCode, extra: { status?: string; details?: string } = {}): AttestationVerdict => ({ verdict: code, aaguid, fmt: input.fmt, ...extra });
  if (!credential) return verdict('bad-signature', { details: 'no attested credential data' });
  if (input.fmt === 'none') return verdict('none');
  if (input.fmt !== 'packed') return verdict('unsupported', { details: `format ${input.fmt}` });
  const { attStmt } = input;
  const alg = attStmt.get('alg');
  const sig = attStmt.get('sig');
  const x5c = attStmt.get('x5c');
  if (attStmt.has('ecdaaKeyId')) return verdict('unsupported', { details: 'ECDAA' });
  if (typeof alg !== 'number' || !(sig instanceof Uint8Array)) return verdict('bad-signature', { details: 'attStmt lacks alg or sig' });

  if (x5c === undefined) {
    // §8.2.2 self attestation: the credential key signs, with its own algorithm.
    if (alg !== credential.publicKey.alg) return verdict('bad-signature', { details: `alg ${alg} is not the credential's ${credential.publicKey.alg}` });
    if (alg !== CoseAlgorithm.ES256) return verdict('unsupported', { details: `COSE algorithm ${alg}` });
    const valid = verifySignature({ publicKey: credential.publicKey, authData: input.authData.raw, clientDataHash: input.clientDataHash, signature: sig });
    return verdict(valid ? 'self-attestation' : 'bad-signature');
  }

  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => c instanceof Uint8Array)) return verdict('bad-certificate', { details: 'x5c is not a list of certificates' });
  let chain: X509Certificate[];
  try {
    chain = (x5c as Uint8Array[]).map((der) => new X509Certificate(Uint8Array.from(der)));
  } catch (error) {
    return verdict('bad-certificate', { details: `unreadable certificate: ${String(error)}` });
  }
  const leaf = chain[0]!;
  let leafProblem: string | null;
  let point: Uint8Array | null;
  try {
    leafProblem = checkLeaf(leaf, credential.aaguid);
    point = p256Point(leaf);
  } catch (error) {
    // A certificate that X.509 parses but whose fields do not decode is no valid leaf either.
    return verdict('bad-certificate', { details: `unreadable leaf field: ${String(error)}` });
  }
  if (leafProblem === 'aaguid-mismatch') return verdict('aaguid-mismatch');
  if (leafProblem) return verdict('bad-certificate', { details: leafProblem });
  if (alg !== CoseAlgorithm.ES256) return verdict('unsupported', { details: `COSE algorithm ${alg}` });
  if (!point) return verdict('unsupported', { details: 'the leaf key is not a P-256 key' });
  if (!verifyEs256(point, input.authData.raw, input.clientDataHash, sig)) return verdict('bad-signature');

  const now = input.now ?? new Date();
  const outdated = chain.findIndex((c) => now < c.notBefore || now > c.notAfter);
  if (outdated >= 0) return verdict('expired-certificate', { details: `certificate ${outdated} of x5c is valid ${c(chain[outdated]!)}` });
  if (!input.mds) return verdict('no-mds');
  const entry = input.mds.lookup(aaguid);
  if (!entry) return verdict('no-mds-entry');
  const trusted = await chainToRoot(chain, entry.roots, now);
  if (trusted !== true) return verdict(trusted.verdict, { details: trusted.details });
  if (entry.unfit === 'REVOKED') return verdict('revoked-model', { status: entry.unfit });
  if (entry.unfit) return verdict('compromised-model', { status: entry.unfit });
  return verdict('verified');
}

function c(cert: X509Certificate): string {
  return `from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}`;
}

/** §8.2.1 leaf requirements; a reason text, 'aaguid-mismatch', or null when the leaf is fine. */
function checkLeaf(leaf: X509Certificate, aaguid: Uint8Array): string | null {
  const parsed = AsnConvert.parse(leaf.rawData, Certificate);
  if (parsed.tbsCertificate.version !== Version.v3) return 'the leaf is not an X.509 version 3 certificate';
  const subject = leaf.subjectName;
  for (const field of ['C', 'O', 'CN']) if (subject.getField(field).length === 0) return `the leaf's subject has no ${field}`;
  if (subject.getField('OU')[0] !== 'Authenticator Attestation') return 'the leaf\'s subject OU is not "Authenticator Attestation"';
  const constraints = leaf.getExtension(BasicConstraintsExtension);
  if (!constraints) return 'the leaf has no basic constraints';
  if (constraints.ca) return 'the leaf is a CA certificate (CA=true)';
  const extension = leaf.getExtension(OID_FIDO_AAGUID);
  if (extension) {
    if (extension.critical) return 'the AAGUID extension is marked critical';
    let value: Uint8Array;
    try {
      value = new Uint8Array(AsnConvert.parse(extension.value, OctetString).buffer);
    } catch {
      return 'the AAGUID extension is not an OCTET STRING';
    }
    if (bytesToHex(value) !== bytesToHex(aaguid)) return 'aaguid-mismatch';
  }
  return null;
}

/** The uncompressed P-256 point of a certificate's key, or null for another kind of key. */
function p256Point(cert: X509Certificate): Uint8Array | null {
  const algorithm = cert.publicKey.algorithm as { name: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') return null;
  return new Uint8Array(AsnConvert.parse(cert.publicKey.rawData, SubjectPublicKeyInfo).subjectPublicKey);
}

/** ES256 over authData ‖ clientDataHash; the signature is ASN.1 DER (WebAuthn §6.5.5). */
function verifyEs256(point: Uint8Array, authData: Uint8Array, clientDataHash: Uint8Array, sig: Uint8Array): boolean {
  const message = new Uint8Array(authData.length + clientDataHash.length);
  message.set(authData, 0);
  message.set(clientDataHash, authData.length);
  try {
    return p256.verify(sig, message, point, { format: 'der', lowS: false });
  } catch {
    return false;
  }
}

/**
 * Build the chain from the leaf through x5c to one of the model's roots (MDS3: a listed
 * certificate is a trust anchor even when it is an intermediate), each link signed by the next
 * and valid now.
 */
async function chainToRoot(x5c: X509Certificate[], rootsBase64: string[], now: Date): Promise<true | { verdict: AttestationVerdictCode; details: string }> {
  let roots: X509Certificate[];
  try {
    roots = rootsBase64.map((b64) => new X509Certificate(b64));
  } catch (error) {
    return { verdict: 'unknown-root', details: `the MDS entry's root certificates are unreadable: ${String(error)}` };
  }
  if (roots.length === 0) return { verdict: 'unknown-root', details: 'the MDS entry lists no attestation root' };
  let built: X509Certificate[];
  try {
    built = [...(await new X509ChainBuilder({ certificates: [...x5c.slice(1), ...roots] }).build(x5c[0]!))];
  } catch (error) {
    return { verdict: 'unknown-root', details: `no chain could be built: ${String(error)}` };
  }
  const thumbprints = await Promise.all(roots.map(async (r) => bytesToHex(new Uint8Array(await r.getThumbprint()))));
  let anchor = -1;
  for (let i = 0; i < built.length && anchor < 0; i++) {
    if (thumbprints.includes(bytesToHex(new Uint8Array(await built[i]!.getThumbprint())))) anchor = i;
  }
  if (anchor < 0) return { verdict: 'unknown-root', details: `the chain ends at "${built[built.length - 1]!.subject}", not at a root the MDS lists for this model` };
  for (let i = 0; i <= anchor; i++) {
    const cert = built[i]!;
    if (now < cert.notBefore || now > cert.notAfter) return { verdict: 'expired-certificate', details: `"${cert.subject}" is valid ${c(cert)}` };
    if (i < anchor && !(await cert.verify({ publicKey: built[i + 1]!.publicKey, date: now }))) {
      return { verdict: 'unknown-root', details: `"${cert.subject}" is not signed by "${built[i + 1]!.subject}"` };
    }
  }
  return true;
}
