/**
 * credentialManagement client (CTAP 2.1 §6.8) against a scripted transport: the exact bytes of
 * every request, the MAC over subCommand ‖ subCommandParams, the enumeration sequence, and the
 * parsing of the key's answers.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { CborMap, CborValue } from '../../ctap/cbor.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CredentialManagement, CredMgmtResult, CredMgmtSubCommand, MAX_ENUMERATED_RECORDS } from '../../ctap/ctap2/credential-management.js';
import { parseInfo } from '../../ctap/ctap2/info.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, ProtocolError, UnsupportedError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { ScriptedTransport, concatBytes, ctap21Info, ctap21PreInfo, fixedToken, infoMap, type Reply, type RecordedRequest } from '../flows/manage-helpers.js';

const token2 = fixedToken({ version: 2 });
const mac2 = (message: Uint8Array): Uint8Array => hmac(sha256, token2.token, message);

function rpReply(id: string, total?: number): Reply {
  const body: CborMap = new Map<number, CborValue>([
    [CredMgmtResult.rp, new Map([['id', id], ['name', `${id} name`]])],
    [CredMgmtResult.rpIDHash, sha256(utf8ToBytes(id))],
  ]);
  if (total !== undefined) body.set(CredMgmtResult.totalRPs, total);
  return { body };
}

function credReply(n: number, total?: number): Reply {
  const body: CborMap = new Map<number, CborValue>([
    [CredMgmtResult.user, new Map<string, CborValue>([['id', new Uint8Array([n])], ['name', `user${n}`], ['displayName', `User ${n}`]])],
    [CredMgmtResult.credentialID, new Map<string, CborValue>([['id', new Uint8Array(16).fill(n)], ['type', 'public-key']])],
    [CredMgmtResult.publicKey, new Map<number, CborValue>([[1, 2], [3, -7]])],
    [CredMgmtResult.credProtect, 2],
  ]);
  if (n === 2) body.set(CredMgmtResult.largeBlobKey, new Uint8Array(32).fill(7));
  if (total !== undefined) body.set(CredMgmtResult.totalCredentials, total);
  return { body };
}

function setup(info: CborMap, respond: (request: RecordedRequest) => Reply) {
  const transport = new ScriptedTransport(info, respond);
  return { transport, session: new Ctap2Session(transport) };
}

describe('CredentialManagement', () => {
  it('reports support from getInfo: credMgmt (2.1), credentialMgmtPreview only with FIDO_2_1_PRE', () => {
    expect(CredentialManagement.isSupported(parseInfo(ctap21Info()))).toBe(true);
    expect(CredentialManagement.isSupported(parseInfo(ctap21PreInfo()))).toBe(true);
    expect(CredentialManagement.isSupported(parseInfo(infoMap({ versions: ['FIDO_2_0'], options: { clientPin: true } })))).toBe(false);
    expect(CredentialManagement.isSupported(parseInfo(infoMap({ versions: ['FIDO_2_0'], options: { credentialMgmtPreview: true } })))).toBe(false);
  });

  it('getCredsMetadata sends exactly {1: 1, 3: 2, 4: HMAC(token, 0x01)} on command 0x0A', async () => {
    const { transport, session } = setup(ctap21Info(), () => ({
      body: new Map([[1, 7], [2, 18]]),
    }));
    const metadata = await new CredentialManagement(session, token2).getMetadata();
    expect(metadata).toEqual({ existingResidentCredentialsCount: 7, maxPossibleRemainingResidentCredentialsCount: 18 });
    expect(transport.requests).toHaveLength(1);
    const [request] = transport.requests;
    expect(request!.command).toBe(0x0a);
    expect(bytesToHex(request!.body)).toBe('a301010302045820' + bytesToHex(mac2(new Uint8Array([0x01]))));
  });

  it('uses 0x41 and a protocol 1 legacy token on a 2.1-PRE key (16-byte MAC)', async () => {
    const legacy = fixedToken({ version: 1, legacy: true, fill: 0x22 });
    const { transport, session } = setup(ctap21PreInfo(), () => ({ body: new Map([[1, 0], [2, 25]]) }));
    await new CredentialManagement(session, legacy).getMetadata();
    const [request] = transport.requests;
    expect(request!.command).toBe(Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW);
    const expectedMac = hmac(sha256, legacy.token, new Uint8Array([0x01])).slice(0, 16);
    expect(bytesToHex(request!.body)).toBe(`a3010103010450${bytesToHex(expectedMac)}`);
  });

  it('enumerates RPs as Begin (authenticated) then GetNextRP (no auth) with nothing in between', async () => {
    const ids = ['a.example', 'b.example', 'c.example'];
    let next = 0;
    const { transport, session } = setup(ctap21Info(), (request) => {
      const sub = request.params?.get(1);
      if (sub === CredMgmtSubCommand.enumerateRPsBegin) return rpReply(ids[next++]!, ids.length);
      if (sub === CredMgmtSubCommand.enumerateRPsGetNextRP) return rpReply(ids[next++]!);
      return { status: CtapStatus.INVALID_SUBCOMMAND };
    });
    const rps = await new CredentialManagement(session, token2).enumerateRps();
    expect(rps.map((r) => r.rp)).toEqual(ids.map((id) => ({ id, name: `${id} name` })));
    expect(bytesToHex(rps[1]!.rpIdHash)).toBe(bytesToHex(sha256(utf8ToBytes('b.example'))));
    expect(transport.requests.map((r) => bytesToHex(r.body))).toEqual([
      'a301020302045820' + bytesToHex(mac2(new Uint8Array([0x02]))),
      'a10103',
      'a10103',
    ]);
  });

  it('treats NO_CREDENTIALS on enumerateRPsBegin as no RPs, and other statuses as errors', async () => {
    const empty = setup(ctap21Info(), () => ({ status: CtapStatus.NO_CREDENTIALS }));
    await expect(new CredentialManagement(empty.session, token2).enumerateRps()).resolves.toEqual([]);
    const denied = setup(ctap21Info(), () => ({ status: CtapStatus.PIN_AUTH_INVALID }));
    const error = await new CredentialManagement(denied.session, token2).enumerateRps().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtapError);
    expect((error as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect((error as CtapError).command).toBe(0x0a);
  });

  it('enumerates credentials of one RP: exact Begin bytes, MAC over 0x04 ‖ {1: rpIdHash}, parsed records', async () => {
    const rpIdHash = sha256(utf8ToBytes('example.com'));
    let n = 0;
    const { transport, session } = setup(ctap21Info(), (request) => {
      n += 1;
      return request.params?.get(1) === CredMgmtSubCommand.enumerateCredentialsBegin ? credReply(n, 3) : credReply(n);
    });
    const creds = await new CredentialManagement(session, token2).enumerateCredentials(rpIdHash);
    const params = `a1015820${bytesToHex(rpIdHash)}`;
    const mac = mac2(concatBytes(new Uint8Array([0x04]), hexToBytes(params)));
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a4010402${params}0302045820${bytesToHex(mac)}`);
    expect(transport.requests.slice(1).map((r) => bytesToHex(r.body))).toEqual(['a10105', 'a10105']);
    expect(creds).toHaveLength(3);
    expect(creds[1]).toEqual({
      credentialId: { type: 'public-key', id: new Uint8Array(16).fill(2) },
      user: { id: new Uint8Array([2]), name: 'user2', displayName: 'User 2' },
      publicKey: new Map([[1, 2], [3, -7]]),
      credProtect: 2,
      largeBlobKey: new Uint8Array(32).fill(7),
    });
    expect(creds[0]!.largeBlobKey).toBeNull();
  });

  it('refuses an rpIdHash that is not 32 bytes before sending', async () => {
    const { transport, session } = setup(ctap21Info(), () => ({}));
    await expect(new CredentialManagement(session, token2).enumerateCredentials(new Uint8Array(31))).rejects.toThrow(TypeError);
    expect(transport.requests).toHaveLength(0);
  });

  it('deleteCredential sends the descriptor {id, type} in canonical order, MAC over 0x06 ‖ params', async () => {
    const { transport, session } = setup(ctap21Info(), () => ({}));
    const id = new Uint8Array([1, 2, 3, 4]);
    await new CredentialManagement(session, token2).deleteCredential({ type: 'public-key', id });
    // {2: {"id": h'01020304', "type": "public-key"}}
    const params = 'a102a2626964440102030464747970656a7075626c69632d6b6579';
    const mac = mac2(concatBytes(new Uint8Array([0x06]), hexToBytes(params)));
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a4010602${params}0302045820${bytesToHex(mac)}`);
  });

  it('updateUserInformation sends {2: descriptor, 3: user} on 2.1 keys', async () => {
    const { transport, session } = setup(ctap21Info(), () => ({}));
    const credentialId = { type: 'public-key' as const, id: new Uint8Array([9]) };
    await new CredentialManagement(session, token2).updateUserInformation(credentialId, { id: new Uint8Array([5]), name: 'new', displayName: null });
    // {2: {"id": h'09', "type": "public-key"}, 3: {"id": h'05', "name": "new"}} (null displayName omitted)
    const params = 'a202a262696441096474797065 6a7075626c69632d6b657903a2626964410564 6e616d65636e6577'.replaceAll(' ', '');
    const mac = mac2(concatBytes(new Uint8Array([0x07]), hexToBytes(params)));
    expect(bytesToHex(transport.requests[0]!.body)).toBe(`a4010702${params}0302045820${bytesToHex(mac)}`);
  });

  it('refuses updateUserInformation on a 2.1-PRE key without sending anything', async () => {
    const { transport, session } = setup(ctap21PreInfo(), () => ({}));
    const run = new CredentialManagement(session, fixedToken({ version: 1, legacy: true })).updateUserInformation(
      { type: 'public-key', id: new Uint8Array([1]) },
      { id: new Uint8Array([1]), name: 'x', displayName: null },
    );
    await expect(run).rejects.toBeInstanceOf(UnsupportedError);
    expect(transport.requests).toHaveLength(0);
  });

  it('rejects malformed answers with ProtocolError', async () => {
    const badHash = setup(ctap21Info(), () => ({
      body: new Map<number, CborValue>([
        [CredMgmtResult.rp, new Map([['id', 'x']])],
        [CredMgmtResult.rpIDHash, new Uint8Array(31)],
        [CredMgmtResult.totalRPs, 1],
      ]),
    }));
    await expect(new CredentialManagement(badHash.session, token2).enumerateRps()).rejects.toBeInstanceOf(ProtocolError);
    const noTotal = setup(ctap21Info(), () => ({ body: new Map([[1, 3]]) }));
    await expect(new CredentialManagement(noTotal.session, token2).getMetadata()).rejects.toBeInstanceOf(ProtocolError);
  });

  describe('counts from the key are bounded by what it can hold', () => {
    /** A faulty key: claims `total` RPs / credentials and answers every GetNext. */
    function inflated(total: number, metadata = new Map([[1, 2], [2, 3]])) {
      return setup(ctap21Info(), (request) => {
        switch (request.params?.get(1)) {
          case CredMgmtSubCommand.getCredsMetadata:
            return { body: metadata };
          case CredMgmtSubCommand.enumerateRPsBegin:
            return rpReply('a.example', total);
          case CredMgmtSubCommand.enumerateRPsGetNextRP:
            return rpReply('a.example');
          case CredMgmtSubCommand.enumerateCredentialsBegin:
            return credReply(1, total);
          default:
            return credReply(1);
        }
      });
    }
    const rpIdHash = sha256(utf8ToBytes('a.example'));

    it('refuses totalRPs beyond existing + remaining before any GetNext', async () => {
      const { transport, session } = inflated(100_000);
      const manager = new CredentialManagement(session, token2);
      await manager.getMetadata();
      const error = await manager.enumerateRps().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as Error).message).toMatch(/100000 relying parties, more than the 5/);
      expect(transport.requests).toHaveLength(2);
    });

    it('refuses totalCredentials beyond capacity, and the sum over several RPs', async () => {
      const single = inflated(6);
      const manager = new CredentialManagement(single.session, token2);
      await manager.getMetadata();
      await expect(manager.enumerateCredentials(rpIdHash)).rejects.toBeInstanceOf(ProtocolError);
      expect(single.transport.requests).toHaveLength(2);

      const split = inflated(3);
      const second = new CredentialManagement(split.session, token2);
      await second.getMetadata();
      await expect(second.enumerateCredentials(rpIdHash)).resolves.toHaveLength(3);
      await expect(second.enumerateCredentials(rpIdHash)).rejects.toThrow(/6 passkeys, more than the 5/);
    });

    it('applies a hard ceiling without metadata and whatever the metadata claims', async () => {
      const noMetadata = inflated(1_000_000);
      await expect(new CredentialManagement(noMetadata.session, token2).enumerateRps()).rejects.toBeInstanceOf(ProtocolError);
      expect(noMetadata.transport.requests).toHaveLength(1);
      const boastful = inflated(MAX_ENUMERATED_RECORDS + 1, new Map([[1, 0xffffff], [2, 0xffffff]]));
      const manager = new CredentialManagement(boastful.session, token2);
      await manager.getMetadata();
      await expect(manager.enumerateCredentials(rpIdHash)).rejects.toBeInstanceOf(ProtocolError);
      expect(boastful.transport.requests).toHaveLength(2);
    });
  });

  it('does not send when the signal has already fired', async () => {
    const { transport, session } = setup(ctap21Info(), () => ({}));
    const controller = new AbortController();
    controller.abort();
    await expect(new CredentialManagement(session, token2).getMetadata({ signal: controller.signal })).rejects.toThrow();
    expect(transport.requests).toHaveLength(0);
  });
});
