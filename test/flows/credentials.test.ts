/**
 * Passkey flows (ctap/flows/manage-credentials.ts) against the virtual key through the production
 * CTAPHID transport, on the 2.1 (0x0A, permission token) and 2.1-PRE (0x41, legacy token) presets.
 * Every test checks the outcome and what the key holds afterwards.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CborMap } from '../../ctap/cbor.js';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { CredentialManagement } from '../../ctap/ctap2/credential-management.js';
import { deletePasskey, listPasskeys, updateUser, type PasskeyView } from '../../ctap/flows/manage-credentials.js';
import { CtapError } from '../../ctap/errors.js';
import { CtapStatus } from '../../ctap/status.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import { openVirtualKey, scriptedPrompts, storedCredential, type VirtualHarness } from './manage-helpers.js';

const PIN = '314159';
const harnesses: VirtualHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function keyWith(preset: string, credentials: StoredCredential[], pin: string | null = PIN): Promise<VirtualHarness> {
  const h = await openVirtualKey({ preset, ...(pin === null ? {} : { pin }) });
  harnesses.push(h);
  h.key.state.credentials.push(...credentials);
  return h;
}

/** `perRp` passkeys on each of `rps` sites. */
function passkeys(rps: number, perRp: number): StoredCredential[] {
  const out: StoredCredential[] = [];
  for (let r = 0; r < rps; r++) {
    for (let u = 0; u < perRp; u++) out.push(storedCredential({ rpId: `site${r}.example`, user: `user${r}-${u}`, credProtect: 1 + (u % 3), largeBlobKey: u === 0 }));
  }
  return out;
}

function expectMatches(view: PasskeyView, stored: StoredCredential): void {
  expect(view.rpId).toBe(stored.rpId);
  expect(view.rpName).toBe(stored.rpName);
  expect(view.userName).toBe(stored.userName);
  expect(view.userDisplayName).toBe(stored.userDisplayName);
  expect(view.userId).toEqual(stored.userId);
  expect(view.credProtect).toBe(stored.credProtect);
  expect(view.largeBlobKey).toBe(stored.largeBlobKey !== null);
  // The COSE key is the credential's real public key.
  const point = p256.getPublicKey(stored.privateKey, false);
  const cose = view.publicKey as CborMap;
  expect(cose.get(3)).toBe(-7);
  expect(cose.get(-2)).toEqual(point.slice(1, 33));
  expect(cose.get(-3)).toEqual(point.slice(33, 65));
}

describe.each([
  { preset: 'ctap21', command: Ctap2Command.CREDENTIAL_MANAGEMENT, rps: 10, perRp: 5, slots: 100 },
  { preset: 'ctap21-pre', command: Ctap2Command.CREDENTIAL_MANAGEMENT_PREVIEW, rps: 5, perRp: 4, slots: 25 },
])('listPasskeys on $preset', ({ preset, command, rps, perRp, slots }) => {
  it(`lists ${rps * perRp} passkeys over ${rps} RPs with the fewest requests`, async () => {
    const stored = passkeys(rps, perRp);
    const h = await keyWith(preset, stored);
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await listPasskeys({ session: h.session, prompts });
    if (result.outcome !== 'listed') throw new Error(`unexpected outcome ${result.outcome}`);
    const total = rps * perRp;
    expect(result.metadata).toEqual({ existingResidentCredentialsCount: total, maxPossibleRemainingResidentCredentialsCount: slots - total });
    expect(result.rps.map((r) => r.rp.id)).toEqual(Array.from({ length: rps }, (_, r) => `site${r}.example`));
    for (const rp of result.rps) expect(rp.rpIdHash).toEqual(sha256(utf8ToBytes(rp.rp.id)));
    expect(result.passkeys).toHaveLength(total);
    for (const credential of stored) {
      const view = result.passkeys.find((p) => p.credentialId.every((b, i) => b === credential.id[i]) && p.credentialId.length === credential.id.length);
      expect(view, `passkey of ${credential.userName}`).toBeDefined();
      expectMatches(view!, credential);
    }
    // metadata 1 + RPs R + credentials C, and nothing else on the management command.
    expect(h.sent.filter((c) => c === command)).toHaveLength(1 + rps + total);
    // In all: getInfo, getPINRetries (the prompt shows the tries left), key agreement, token, then those.
    expect(h.sent).toHaveLength(total + rps + 5);
    expect(h.sent.filter((c) => c === Ctap2Command.GET_INFO)).toHaveLength(1);
    expect(h.sent).not.toContain(command === 0x0a ? 0x41 : 0x0a);
    // The PIN was asked once, with the retries the key reported; the token asked for cm only.
    expect(prompts.log.pins).toHaveLength(1);
    expect(prompts.log.pins[0]).toMatchObject({ purpose: 'current', retries: 8 });
    expect(prompts.log.progress.at(-1)).toMatchObject({ current: rps, total: rps });
    expect(h.key.state.credentials).toHaveLength(total);
  });

  it('deletes one passkey after a confirmation naming the site and the account', async () => {
    const stored = passkeys(rps, perRp);
    const h = await keyWith(preset, stored);
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    const victim = listed.passkeys.find((p) => p.userName === 'user2-1')!;
    const prompts = scriptedPrompts({ pins: [PIN], confirm: true });
    await expect(deletePasskey({ session: h.session, prompts, passkey: victim })).resolves.toEqual({ outcome: 'deleted' });
    expect(prompts.log.confirms).toHaveLength(1);
    expect(prompts.log.confirms[0]).toMatchObject({ action: 'delete-passkey', subject: { rpId: 'site2.example', account: 'user2-1' } });
    expect(prompts.log.confirms[0]!.consequences).toContainEqual({ code: 'passkey-sign-in-lost', rpId: 'site2.example', account: 'user2-1' });
    // The key's state agrees: one fewer, and exactly that one gone.
    expect(h.key.state.credentials).toHaveLength(rps * perRp - 1);
    expect(h.key.state.credentials.some((c) => c.userName === 'user2-1')).toBe(false);
    const again = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (again.outcome !== 'listed') throw new Error(again.outcome);
    expect(again.passkeys).toHaveLength(rps * perRp - 1);
    expect(again.metadata.existingResidentCredentialsCount).toBe(rps * perRp - 1);
    expect(again.passkeys.some((p) => p.userName === 'user2-1')).toBe(false);
  });
});

describe('passkey flows', () => {
  it('50 passkeys over 10 RPs, then deleting one leaves 49 on the key', async () => {
    const stored = passkeys(10, 5);
    const h = await keyWith('ctap21', stored);
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    expect(listed.passkeys).toHaveLength(50);
    expect(listed.rps).toHaveLength(10);
    for (const rp of listed.rps) expect(rp.credentials).toHaveLength(5);
    const victim = listed.passkeys[17]!;
    await deletePasskey({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), passkey: victim });
    expect(h.key.state.credentials).toHaveLength(49);
    expect(h.key.state.credentials.some((c) => c.userName === victim.userName)).toBe(false);
  });

  it('keeps the passkey when the person declines, and never asks for the PIN', async () => {
    const h = await keyWith('ctap21', passkeys(1, 2));
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    const prompts = scriptedPrompts({ pins: [PIN], confirm: false });
    await expect(deletePasskey({ session: h.session, prompts, passkey: listed.passkeys[0]! })).resolves.toEqual({ outcome: 'declined' });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.key.state.credentials).toHaveLength(2);
  });

  it('a full key reports no slots remaining', async () => {
    const h = await keyWith('slots-25', passkeys(5, 5));
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    expect(listed.metadata).toEqual({ existingResidentCredentialsCount: 25, maxPossibleRemainingResidentCredentialsCount: 0 });
  });

  it('an empty key with a PIN lists no passkeys (supported, just empty)', async () => {
    const h = await keyWith('ctap21', []);
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    expect(listed).toMatchObject({ outcome: 'listed', rps: [], passkeys: [], metadata: { existingResidentCredentialsCount: 0, maxPossibleRemainingResidentCredentialsCount: 100 } });
    expect(h.sent.filter((c) => c === Ctap2Command.CREDENTIAL_MANAGEMENT)).toHaveLength(1);
  });

  it('a CTAP 2.0 key says in words that it cannot list passkeys, and sends nothing else', async () => {
    const h = await keyWith('ctap20', passkeys(1, 1));
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await listPasskeys({ session: h.session, prompts });
    expect(result).toEqual({ outcome: 'unsupported', feature: 'credential-management-ctap20' });
    expect(prompts.log.pins).toHaveLength(0);
    expect(h.sent).toEqual([Ctap2Command.GET_INFO]);
  });

  it('a key without a PIN explains that a PIN must be set first', async () => {
    const h = await keyWith('ctap21', passkeys(1, 1), null);
    const prompts = scriptedPrompts({ pins: [PIN] });
    const result = await listPasskeys({ session: h.session, prompts });
    expect(result).toEqual({ outcome: 'pin-required-not-set' });
    expect(prompts.log.pins).toHaveLength(0);
  });

  it('sends no getPINRetries for a prompt that does not show the tries left, and still reports them after a wrong PIN', async () => {
    const h = await keyWith('ctap21', passkeys(3, 2));
    const prompts = { ...scriptedPrompts({ pins: ['000000', PIN] }), showsRetries: false };
    const result = await listPasskeys({ session: h.session, prompts });
    expect(result.outcome).toBe('listed');
    expect(prompts.log.pins[0]).toMatchObject({ purpose: 'current', retries: null });
    // The wrong PIN is followed by a read of the counter: the person learns what is left.
    expect(prompts.log.pins[1]).toMatchObject({ retries: 7, retry: { reason: 'wrong-pin', cause: 'key' } });
    const clientPinSent = h.sent.filter((c) => c === Ctap2Command.CLIENT_PIN).length;
    // Key agreement + token per attempt (2 × 2), one getPINRetries after the wrong PIN.
    expect(clientPinSent).toBe(5);
  });

  it('lists with the minimum C + R + 4 commands when the tries left are not shown', async () => {
    const h = await keyWith('ctap21', passkeys(4, 3));
    const result = await listPasskeys({ session: h.session, prompts: { ...scriptedPrompts({ pins: [PIN] }), showsRetries: false } });
    expect(result.outcome).toBe('listed');
    // getInfo, key agreement, token, metadata, then R RPs and C credentials.
    expect(h.sent).toHaveLength(12 + 4 + 4);
    expect(h.sent.filter((c) => c === Ctap2Command.GET_INFO)).toHaveLength(1);
  });

  it('a blocked key ends the flow without the retries read before the prompt', async () => {
    const h = await keyWith('ctap21', passkeys(1, 1));
    h.key.state.pinRetries = 0;
    const prompts = { ...scriptedPrompts({ pins: [PIN] }), showsRetries: false };
    expect(await listPasskeys({ session: h.session, prompts })).toEqual({ outcome: 'pin-blocked' });
  });

  it('asks again after a wrong PIN with the tries left, and the counter recovers', async () => {
    const h = await keyWith('ctap21', passkeys(2, 1));
    const prompts = scriptedPrompts({ pins: ['000000', PIN] });
    const result = await listPasskeys({ session: h.session, prompts });
    expect(result.outcome).toBe('listed');
    expect(prompts.log.pins).toHaveLength(2);
    expect(prompts.log.pins[1]!.retries).toBe(7);
    expect(prompts.log.pins[1]!.retry).toEqual({ reason: 'wrong-pin', cause: 'key' });
    expect(h.key.state.pinRetries).toBe(8);
  });

  it('renames the account of a passkey on a 2.1 key (user id must stay the same)', async () => {
    const h = await keyWith('ctap21', passkeys(2, 2));
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    const target = listed.passkeys[1]!;
    const result = await updateUser({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), passkey: target, name: 'renamed@example', displayName: null });
    expect(result).toEqual({ outcome: 'updated' });
    const stored = h.key.state.credentials.find((c) => c.userName === 'renamed@example');
    expect(stored?.userDisplayName).toBeNull();
    expect(stored?.userId).toEqual(target.userId);
    expect(h.key.state.credentials.filter((c) => c.userName === target.userName)).toHaveLength(0);
  });

  it('refuses to rename on a 2.1-PRE key, in words', async () => {
    const h = await keyWith('ctap21-pre', passkeys(1, 1));
    const listed = await listPasskeys({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }) });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    const result = await updateUser({ session: h.session, prompts: scriptedPrompts({ pins: [PIN] }), passkey: listed.passkeys[0]!, name: 'x', displayName: null });
    expect(result.outcome).toBe('unsupported');
    expect(h.key.state.credentials[0]!.userName).toBe('user0-0');
  });
});

describe('virtual key credentialManagement rules (§6.8)', () => {
  it('a token scoped to one RP sees only that RP and cannot read metadata', async () => {
    const h = await keyWith('ctap21', passkeys(2, 2));
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.cm, rpId: 'site1.example' });
    const manager = new CredentialManagement(h.session, token);
    const metadata = await manager.getMetadata().catch((e: unknown) => e);
    expect((metadata as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    const own = await manager.enumerateCredentials(sha256(utf8ToBytes('site1.example')));
    expect(own.map((c) => c.user.name)).toEqual(['user1-0', 'user1-1']);
    const other = await manager.enumerateCredentials(sha256(utf8ToBytes('site0.example'))).catch((e: unknown) => e);
    expect((other as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    const victim = h.key.state.credentials.find((c) => c.rpId === 'site0.example')!;
    const refused = await manager.deleteCredential({ type: 'public-key', id: victim.id }).catch((e: unknown) => e);
    expect((refused as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    expect(h.key.state.credentials).toHaveLength(4);
  });

  it('a token without the cm permission is refused; GetNext without Begin is NOT_ALLOWED', async () => {
    const h = await keyWith('ctap21', passkeys(2, 2));
    const token = await new ClientPin(h.session).getPinUvAuthTokenUsingPin(PIN, { permissions: Permission.acfg });
    const refused = await new CredentialManagement(h.session, token).getMetadata().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CtapError);
    expect((refused as CtapError).status).toBe(CtapStatus.PIN_AUTH_INVALID);
    const next = await h.session.send(Ctap2Command.CREDENTIAL_MANAGEMENT, new Map([[1, 0x03]])).catch((e: unknown) => e);
    expect((next as CtapError).status).toBe(CtapStatus.NOT_ALLOWED);
    const unauthenticated = await h.session.send(Ctap2Command.CREDENTIAL_MANAGEMENT, new Map([[1, 0x01]])).catch((e: unknown) => e);
    expect((unauthenticated as CtapError).status).toBe(CtapStatus.PUAT_REQUIRED);
  });

  it('a 2.1 key answers the preview command 0x41 with INVALID_COMMAND, a 2.1-PRE key answers 0x0A so', async () => {
    const full = await keyWith('ctap21', []);
    expect(((await full.session.send(0x41, new Map([[1, 1]])).catch((e: unknown) => e)) as CtapError).status).toBe(CtapStatus.INVALID_COMMAND);
    const pre = await keyWith('ctap21-pre', []);
    expect(((await pre.session.send(0x0a, new Map([[1, 1]])).catch((e: unknown) => e)) as CtapError).status).toBe(CtapStatus.INVALID_COMMAND);
  });
});
