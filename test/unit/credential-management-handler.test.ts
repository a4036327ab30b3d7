/**
 * The virtual key's credentialManagement handler (CTAP 2.1 §6.8) on its edges: iterator
 * lifetime, missing credentials, user id checks, preview restrictions. Requests go through the
 * production HID transport; MACs are made by the production client or by hand.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CredentialManagement, CredMgmtSubCommand } from '../../ctap/ctap2/credential-management.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import { openVirtualKey, storedCredential, type VirtualHarness } from '../flows/manage-helpers.js';

const PIN = '24680';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function setup(preset = 'ctap21'): Promise<{ h: VirtualHarness; token: PinUvAuthToken; manager: CredentialManagement }> {
  const h = await openVirtualKey({ preset, pin: PIN });
  harnesses.push(h);
  h.key.state.credentials.push(
    storedCredential({ rpId: 'a.example', user: 'alice' }),
    storedCredential({ rpId: 'a.example', user: 'bob' }),
    storedCredential({ rpId: 'b.example', rpName: null, user: 'carol' }),
  );
  const token = await new ClientPin(h.session).getToken(PIN, { permissions: Permission.cm });
  return { h, token, manager: new CredentialManagement(h.session, token) };
}

/** A hand-made authenticated request, for what the client refuses to send. */
async function raw(h: VirtualHarness, request: { token: PinUvAuthToken; command: number; subCommand: number; params?: CborMap }): Promise<unknown> {
  const { token, command, subCommand, params } = request;
  const encoded = params ? encodeCanonical(params) : new Uint8Array(0);
  const message = new Uint8Array([subCommand, ...encoded]);
  const body = new Map<number, CborValue>([[1, subCommand], [3, token.protocol.version], [4, token.protocol.authenticate(token.token, message)]]);
  if (params) body.set(2, params);
  return h.session.send(command, body).catch((e: unknown) => e);
}

function status(result: unknown): number {
  if (!(result instanceof CtapError)) throw new Error(`expected a CtapError, got ${String(result)}`);
  return result.status;
}

describe('virtual credentialManagement handler', () => {
  it('ends an RP enumeration when another sub-command arrives (GetNext → NOT_ALLOWED)', async () => {
    const { h, token, manager } = await setup();
    const begin = await raw(h, { token, command: Ctap2Command.CREDENTIAL_MANAGEMENT, subCommand: CredMgmtSubCommand.enumerateRPsBegin });
    expect((begin as CborMap).get(0x05)).toBe(2);
    await manager.getMetadata();
    const next = await h.session.send(Ctap2Command.CREDENTIAL_MANAGEMENT, new Map([[1, CredMgmtSubCommand.enumerateRPsGetNextRP]])).catch((e: unknown) => e);
    expect(status(next)).toBe(CtapStatus.NOT_ALLOWED);
  });

  it('lists RPs in a stable sorted order; an RP without a name has none', async () => {
    const { manager } = await setup();
    expect(await manager.enumerateRps()).toEqual([
      { rp: { id: 'a.example', name: 'a.example (site)' }, rpIdHash: sha256(utf8ToBytes('a.example')) },
      { rp: { id: 'b.example', name: null }, rpIdHash: sha256(utf8ToBytes('b.example')) },
    ]);
  });

  it('leaves out non-discoverable credentials from counts and lists', async () => {
    const { h, manager } = await setup();
    h.key.state.credentials.push({ ...storedCredential({ rpId: 'c.example', user: 'dave' }), discoverable: false });
    expect((await manager.getMetadata()).existingResidentCredentialsCount).toBe(3);
    expect((await manager.enumerateRps()).map((r) => r.rp.id)).toEqual(['a.example', 'b.example']);
    expect(await manager.enumerateCredentials(sha256(utf8ToBytes('c.example')))).toEqual([]);
  });

  it('answers NO_CREDENTIALS for an unknown credential and keeps everything', async () => {
    const { h, manager } = await setup();
    const missing = await manager.deleteCredential({ type: 'public-key', id: new Uint8Array(32) }).catch((e: unknown) => e);
    expect(status(missing)).toBe(CtapStatus.NO_CREDENTIALS);
    expect(h.key.state.credentials).toHaveLength(3);
  });

  it('refuses updateUserInformation with another user id (INVALID_PARAMETER)', async () => {
    const { h, manager } = await setup();
    const bob = h.key.state.credentials[1]!;
    const wrong = await manager
      .updateUserInformation({ type: 'public-key', id: bob.id }, { id: new Uint8Array([1, 2, 3]), name: 'mallory', displayName: null })
      .catch((e: unknown) => e);
    expect(status(wrong)).toBe(CtapStatus.INVALID_PARAMETER);
    expect(bob.userName).toBe('bob');
  });

  it('has no updateUserInformation on the 2.1-PRE preview command (INVALID_SUBCOMMAND)', async () => {
    const { h, token } = await setup('ctap21-pre');
    const carol = h.key.state.credentials[2]!;
    const params = new Map<number, CborValue>([
      [2, new Map<string, CborValue>([['id', carol.id], ['type', 'public-key']])],
      [3, new Map<string, CborValue>([['id', carol.userId], ['name', 'x']])],
    ]);
    const result = await raw(h, { token, command: Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, subCommand: CredMgmtSubCommand.updateUserInformation, params });
    expect(status(result)).toBe(CtapStatus.INVALID_SUBCOMMAND);
    expect(carol.userName).toBe('carol');
  });

  it('rejects a MAC made with another token (PIN_AUTH_INVALID)', async () => {
    const { h, token } = await setup();
    const forged = { ...token, token: new Uint8Array(32).fill(9) };
    expect(status(await raw(h, { token: forged, command: Ctap2Command.CREDENTIAL_MANAGEMENT, subCommand: CredMgmtSubCommand.getCredsMetadata }))).toBe(CtapStatus.PIN_AUTH_INVALID);
  });
});
