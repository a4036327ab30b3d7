/**
 * credentialManagement answers real keys give (python-fido2 credman.py is the reference): each
 * test pins one fixed discrepancy and failed before the fix.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { CborMap, CborValue } from '../../ctap/cbor.js';
import { CredentialManagement, CredMgmtResult, CredMgmtSubCommand } from '../../ctap/ctap2/credential-management.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { ctap21Info, fixedToken, ScriptedTransport } from '../flows/manage-helpers.js';

function rpBody(id: string, total?: number): CborMap {
  const body: CborMap = new Map<number, CborValue>([
    [CredMgmtResult.rp, new Map([['id', id]])],
    [CredMgmtResult.rpIDHash, sha256(utf8ToBytes(id))],
  ]);
  if (total !== undefined) body.set(CredMgmtResult.totalRPs, total);
  return body;
}

describe('credential management enumeration edge cases (python-fido2 credman.py)', () => {
  it('enumerateRPsBegin answered OK with totalRPs 0 and no rp (YubiKey 5 preview firmware) is an empty list', async () => {
    const transport = new ScriptedTransport(ctap21Info(), () => ({ body: new Map([[CredMgmtResult.totalRPs, 0]]) }));
    const rps = await new CredentialManagement(new Ctap2Session(transport), fixedToken({ version: 2 })).enumerateRps();
    expect(rps).toEqual([]);
    // Nothing after the Begin: a GetNextRP with no enumeration running would be answered NOT_ALLOWED.
    expect(transport.requests.map((r) => r.params?.get(0x01))).toEqual([CredMgmtSubCommand.enumerateRPsBegin]);
  });

  it('a credentials Begin without totalCredentials is one credential, as python-fido2 reads it', async () => {
    const credential: CborMap = new Map<number, CborValue>([
      [CredMgmtResult.user, new Map<string, CborValue>([['id', new Uint8Array([7])], ['name', 'alice']])],
      [CredMgmtResult.credentialID, new Map<string, CborValue>([['id', new Uint8Array(16).fill(3)], ['type', 'public-key']])],
      [CredMgmtResult.publicKey, new Map<number, CborValue>([[1, 2], [3, -7]])],
    ]);
    const transport = new ScriptedTransport(ctap21Info(), () => ({ body: credential }));
    const manager = new CredentialManagement(new Ctap2Session(transport), fixedToken({ version: 2 }));
    const creds = await manager.enumerateCredentials(sha256(utf8ToBytes('example.com')));
    expect(creds).toHaveLength(1);
    expect(creds[0]!.user.name).toBe('alice');
    expect(transport.requests).toHaveLength(1);
  });

  it('still walks every RP when totalRPs says more than one', async () => {
    const ids = ['a.example', 'b.example'];
    let n = 0;
    const transport = new ScriptedTransport(ctap21Info(), () => ({ body: rpBody(ids[n]!, n++ === 0 ? 2 : undefined) }));
    const rps = await new CredentialManagement(new Ctap2Session(transport), fixedToken({ version: 2 })).enumerateRps();
    expect(rps.map((r) => r.rp.id)).toEqual(ids);
  });
});
