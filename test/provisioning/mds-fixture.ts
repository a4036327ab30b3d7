// A FIDO Metadata Service of our own for tests (not a test file itself): a root CA, a BLOB signing
// certificate under it, and a BLOB (JWS, ES256, x5c header) with the entries a test needs.
import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import { BasicConstraintsExtension, X509CertificateGenerator, type X509Certificate } from '@peculiar/x509';
import { CompactSign } from 'jose';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TestMdsEntry {
  aaguid: string;
  description: string;
  statuses: string[];
  /** attestationRootCertificates (base64 DER); default none. */
  roots?: string[];
  icon?: string;
}

export interface TestMds {
  rootPem: string;
  sign(payload: unknown, options?: { expiredSigner?: boolean }): Promise<string>;
  blob(entries: TestMdsEntry[]): Promise<string>;
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function authority(name: string): Promise<{ cert: X509Certificate; keys: webcrypto.CryptoKeyPair }> {
  const keys = await keyPair();
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date('2020-01-01'),
    notAfter: new Date('2045-01-01'),
    signingAlgorithm: ALG,
    keys,
    extensions: [new BasicConstraintsExtension(true, undefined, true)],
  });
  return { cert, keys };
}

export async function testMds(): Promise<TestMds> {
  const root = await authority('Test FIDO MDS Root');
  const signer = async (expired: boolean): Promise<{ cert: X509Certificate; keys: webcrypto.CryptoKeyPair }> => {
    const keys = await keyPair();
    const cert = await X509CertificateGenerator.create({
      serialNumber: '02',
      subject: 'CN=Test FIDO MDS BLOB Signer',
      issuer: root.cert.subject,
      notBefore: new Date('2020-01-01'),
      notAfter: expired ? new Date('2021-01-01') : new Date('2045-01-01'),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: root.keys.privateKey,
    });
    return { cert, keys };
  };
  const sign = async (payload: unknown, options: { expiredSigner?: boolean } = {}): Promise<string> => {
    const { cert, keys } = await signer(options.expiredSigner === true);
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [cert.toString('base64'), root.cert.toString('base64')] })
      .sign(keys.privateKey);
  };
  return {
    rootPem: root.cert.toString('pem'),
    sign,
    blob: (entries) =>
      sign({
        legalHeader: 'test',
        no: 42,
        nextUpdate: '2045-01-01',
        entries: entries.map((e) => ({
          aaguid: e.aaguid,
          metadataStatement: { description: e.description, attestationRootCertificates: e.roots ?? [], ...(e.icon ? { icon: e.icon } : {}) },
          statusReports: e.statuses.map((status) => ({ status, effectiveDate: '2024-01-01' })),
          timeOfLastStatusChange: '2024-01-01',
        })),
      }),
  };
}

/** Another root, for a BLOB that must not be trusted. */
export async function otherRootPem(): Promise<string> {
  return (await authority('Somebody Else')).cert.toString('pem');
}
