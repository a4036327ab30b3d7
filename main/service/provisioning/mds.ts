/**
 * The FIDO Metadata Service (MDS3) BLOB a person downloaded from the FIDO Alliance: a JWS whose
 * header carries the signer's certificate chain (x5c). It is trusted only when that chain leads
 * to a root the person gave (the FIDO MDS root, PEM) and the signature verifies; then its entries
 * say, per AAGUID, what the model is, how it is certified, and whether it was revoked or
 * compromised (status reports).
 *
 * JWS by jose, X.509 by @peculiar/x509 (signature and validity of each link); no hand-written
 * ASN.1. Revocation lists of the BLOB's own certificates are not fetched (no network here).
 * @module
 */
import 'reflect-metadata';
import { PemConverter, X509Certificate } from '@peculiar/x509';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { MdsIndex, UNFIT_STATUSES, type MdsFacts } from './mds-index.js';

export { MdsIndex, modelFacts, UNFIT_STATUSES, type MdsFacts, type MdsModelFacts } from './mds-index.js';

const payloadSchema = z.object({
  no: z.number().int(),
  nextUpdate: z.string(),
  entries: z.array(
    z
      .object({
        aaguid: z.string().optional(),
        metadataStatement: z
          .object({ description: z.string().optional(), icon: z.string().optional(), attestationRootCertificates: z.array(z.string()).default([]) })
          .passthrough()
          .optional(),
        statusReports: z.array(z.object({ status: z.string(), effectiveDate: z.string().optional() }).passthrough()).default([]),
      })
      .passthrough(),
  ),
});

/**
 * Verify the BLOB against `rootsPem` (one or more PEM certificates) at `now` and index it.
 * @throws AppError FILE_ACCESS: reason mds-untrusted when its chain or signature does not lead to
 * the given root, mds-invalid when it is not a BLOB at all.
 */
export async function loadMdsBlob(blob: string, rootsPem: string, now: Date = new Date()): Promise<MdsIndex> {
  try {
    const jws = blob.trim();
    const header = decodeProtectedHeader(jws);
    if (!header.x5c?.length || !header.alg) throw new Error('the JWS header has no x5c certificate chain or no alg');
    const chain = header.x5c.map((der) => new X509Certificate(der));
    await verifyChain(chain, rootsPem, now);
    const key = await importX509(chain[0]!.toString('pem'), header.alg);
    const { payload } = await compactVerify(jws, key).catch((error: unknown) => {
      throw new UntrustedBlob(error instanceof Error ? error.message : String(error));
    });
    const parsed = payloadSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
    const entries = new Map<string, MdsFacts>();
    for (const entry of parsed.entries) {
      if (entry.aaguid) entries.set(entry.aaguid.toLowerCase(), factsOf(entry));
    }
    return new MdsIndex(parsed.no, parsed.nextUpdate, entries);
  } catch (error) {
    const reason = error instanceof UntrustedBlob ? 'mds-untrusted' : 'mds-invalid';
    throw new AppError('FILE_ACCESS', { reason, details: error instanceof Error ? error.message : String(error), cause: error });
  }
}

/** The BLOB is well formed but not signed through the given root (a person wants to know which). */
class UntrustedBlob extends Error {}

/** Each certificate signed by the next and valid now; the last one is a given root or signed by one. */
async function verifyChain(chain: X509Certificate[], rootsPem: string, now: Date): Promise<void> {
  const roots = PemConverter.decode(rootsPem).map((der) => new X509Certificate(der));
  if (roots.length === 0) throw new Error('no root certificate given');
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await chain[i]!.verify({ publicKey: chain[i + 1]!.publicKey, date: now }))) throw new UntrustedBlob(`certificate ${i} of the BLOB's chain is not signed by the next one, or not valid now`);
  }
  const top = chain[chain.length - 1]!;
  for (const root of roots) {
    if (root.equal(top) && (await root.verify({ date: now }))) return;
    if ((await top.verify({ publicKey: root.publicKey, date: now })) && (await root.verify({ date: now }))) return;
  }
  throw new UntrustedBlob('the BLOB is not signed by a certificate chain to the given root');
}

function factsOf(entry: z.infer<typeof payloadSchema>['entries'][number]): MdsFacts {
  const statuses = entry.statusReports.map((r) => r.status);
  const certifications = statuses.filter((s) => s.startsWith('FIDO_CERTIFIED')).sort();
  const newest = [...entry.statusReports].sort((a, b) => (a.effectiveDate ?? '').localeCompare(b.effectiveDate ?? '')).pop();
  return {
    description: entry.metadataStatement?.description ?? null,
    certification: certifications[certifications.length - 1] ?? 'NOT_FIDO_CERTIFIED',
    unfit: statuses.find((s) => (UNFIT_STATUSES as readonly string[]).includes(s)) ?? null,
    status: newest?.status ?? null,
    hasIcon: typeof entry.metadataStatement?.icon === 'string' && entry.metadataStatement.icon.length > 0,
    roots: entry.metadataStatement?.attestationRootCertificates ?? [],
  };
}
