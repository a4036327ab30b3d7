/**
 * One operation, one PIN: flows that share OperationTokens ask for the PIN once and reuse the
 * token (as Chromium's credential management handler does), and ask again only when the key
 * stops accepting it (§6.5.2.1).
 */
import { describe, expect, it } from 'vitest';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { deletePasskey, listPasskeys, OperationTokens } from '../../ctap/flows/manage-credentials.js';
import { openVirtualKey, scriptedPrompts, storedCredential } from './manage-helpers.js';

const PIN = '86420864';

async function keyWithPasskeys() {
  const harness = await openVirtualKey({ pin: PIN });
  harness.key.state.credentials.push(storedCredential({ rpId: 'a.example', user: 'ann' }), storedCredential({ rpId: 'b.example', user: 'bob' }));
  return harness;
}

const clientPinRequests = (sent: number[]) => sent.filter((c) => c === Ctap2Command.CLIENT_PIN).length;

describe('OperationTokens', () => {
  it('find-then-delete asks for the PIN once and gets one token', async () => {
    const harness = await keyWithPasskeys();
    const prompts = scriptedPrompts({ pins: [PIN] });
    const tokens = new OperationTokens();
    const listed = await listPasskeys({ session: harness.session, prompts, tokens });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    const bob = listed.passkeys.find((p) => p.userName === 'bob')!;
    expect(await deletePasskey({ session: harness.session, prompts, tokens, passkey: bob })).toEqual({ outcome: 'deleted' });
    tokens.dispose();

    expect(prompts.log.pins).toHaveLength(1);
    // getPINRetries, getKeyAgreement, getPinUvAuthTokenUsingPinWithPermissions — once.
    expect(clientPinRequests(harness.sent)).toBe(3);
    expect(harness.key.state.credentials.map((c) => c.userName)).toEqual(['ann']);
    await harness.close();
  });

  it('without shared tokens each flow unlocks on its own', async () => {
    const harness = await keyWithPasskeys();
    const prompts = scriptedPrompts({ pins: [PIN] });
    const listed = await listPasskeys({ session: harness.session, prompts });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    await deletePasskey({ session: harness.session, prompts, passkey: listed.passkeys[0]! });
    expect(prompts.log.pins).toHaveLength(2);
    expect(clientPinRequests(harness.sent)).toBe(6);
    await harness.close();
  });

  it('asks for the PIN again when the key no longer accepts the shared token', async () => {
    const harness = await keyWithPasskeys();
    const prompts = scriptedPrompts({ pins: [PIN] });
    const tokens = new OperationTokens();
    const listed = await listPasskeys({ session: harness.session, prompts, tokens });
    if (listed.outcome !== 'listed') throw new Error(listed.outcome);
    // The key forgets its token, as after its usage timer ran out.
    harness.key.authenticator.powerUpState.token = null;
    expect(await deletePasskey({ session: harness.session, prompts, tokens, passkey: listed.passkeys[0]! })).toEqual({ outcome: 'deleted' });
    tokens.dispose();
    expect(prompts.log.pins).toHaveLength(2);
    expect(harness.key.state.credentials).toHaveLength(1);
    await harness.close();
  });

  it('dispose zeroes every token it holds', async () => {
    const harness = await keyWithPasskeys();
    const tokens = new OperationTokens();
    await listPasskeys({ session: harness.session, prompts: scriptedPrompts({ pins: [PIN] }), tokens });
    const held = tokens.get(0x04)!;
    expect(held.token.some((b) => b !== 0)).toBe(true);
    tokens.dispose();
    expect(held.token.every((b) => b === 0)).toBe(true);
    expect(tokens.get(0x04)).toBeUndefined();
    await harness.close();
  });
});
