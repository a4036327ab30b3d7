// A key maker of our own for tests (not a test file itself): a root CA, an intermediate CA and an
// attestation leaf certificate (WebAuthn L2 §8.2.1: version 3, OU "Authenticator Attestation",
// CA=false, the AAGUID extension), with knobs to break each requirement. The leaf's private key
// comes back as the 32 raw bytes a simulated key signs with (config.attestation).
import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BasicConstraintsExtension, Extension, X509CertificateGenerator, type X509Certificate } from '@peculiar/x509';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const AAGUID_OID = '1.3.6.1.4.1.45724.1.1.4';

interface Authority {
  cert: X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

export interface LeafOptions {
  /** The subject's OU; default "Authenticator Attestation". */
  ou?: string | null;
  /** Basic constraints CA flag; default false. */
  ca?: boolean;
  /** The AAGUID extension's value (hyphenated); null: no extension. Default: the maker's AAGUID. */
  aaguid?: string | null;
  notAfter?: Date;
}

export interface Maker {
  /** The root the MDS lists for the model (base64 DER, as in attestationRootCertificates). */
  rootBase64: string;
  /** A simulated key's config.attestation: leaf key and x5c [leaf, intermediate]. */
  attestation(leaf?: LeafOptions): Promise<{ privateKey: Uint8Array; x5c: Uint8Array[] }>;
}

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function ca(name: string, issuer?: Authority): Promise<Authority> {
  const keys = await keyPair();
  const extensions = [new BasicConstraintsExtension(true, undefined, true)];
  const common = { serialNumber: '01', notBefore: new Date('2020-01-01'), notAfter: new Date('2045-01-01'), signingAlgorithm: ALG, extensions };
  const cert = issuer
    ? await X509CertificateGenerator.create({ ...common, subject: `CN=${name}`, issuer: issuer.cert.subject, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey })
    : await X509CertificateGenerator.createSelfSigned({ ...common, name: `CN=${name}`, keys });
  return { cert, keys };
}

function uuidBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replaceAll('-', ''), 'hex'));
}

/** A maker whose leaves name `aaguid`; `rootName` tells two makers apart. */
export async function testMaker(aaguid: string, rootName = 'Test Maker Root'): Promise<Maker> {
  const root = await ca(rootName);
  const intermediate = await ca(`${rootName} Intermediate`, root);
  return {
    rootBase64: root.cert.toString('base64'),
    async attestation(leaf = {}) {
      const keys = await keyPair();
      const ou = leaf.ou === undefined ? 'Authenticator Attestation' : leaf.ou;
      const extensions: Extension[] = [new BasicConstraintsExtension(leaf.ca ?? false, undefined, true)];
      const named = leaf.aaguid === undefined ? aaguid : leaf.aaguid;
      if (named !== null) extensions.push(new Extension(AAGUID_OID, false, AsnConvert.serialize(new OctetString(uuidBytes(named)))));
      const cert = await X509CertificateGenerator.create({
        serialNumber: '0a',
        subject: `C=SE, O=Test Maker, ${ou === null ? '' : `OU=${ou}, `}CN=Test Maker Attestation`,
        issuer: intermediate.cert.subject,
        notBefore: new Date('2020-01-01'),
        notAfter: leaf.notAfter ?? new Date('2045-01-01'),
        signingAlgorithm: ALG,
        publicKey: keys.publicKey,
        signingKey: intermediate.keys.privateKey,
        extensions,
      });
      const jwk = (await crypto.subtle.exportKey('jwk', keys.privateKey)) as { d: string };
      return { privateKey: Uint8Array.from(Buffer.from(jwk.d, 'base64url')), x5c: [new Uint8Array(cert.rawData), new Uint8Array(intermediate.cert.rawData)] };
    },
  };
}
