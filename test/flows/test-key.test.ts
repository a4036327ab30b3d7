/**
 * The `skm test` flow (ctap/flows/test-key.ts) against simulated keys through the production
 * CTAPHID transport: a real credential is made, used, and its signature checked.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { getAssertions, verifyAssertion } from '../../ctap/ctap2/get-assertion.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { PinRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { testKey } from '../../ctap/flows/test-key.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';

const PIN = '314159';
const sessions: Ctap2Session[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.transport.close();
});

async function setup(options: { preset: string; presence?: PresenceScript; pin?: boolean; config?: Partial<VirtualKeyConfig> }) {
  const key = VirtualKey.create({ preset: options.preset, presence: options.presence, config: options.config });
  const [device] = await new VirtualDiscovery(key).list();
  const session = new Ctap2Session(await device!.open());
  sessions.push(session);
  if (options.pin) await new ClientPin(session).setPin(PIN);
  return { key, session };
}

function prompts(answers: string[] = [], asked: PinRequest[] = []): UserPrompts {
  return {
    pin: async (request) => {
      asked.push(request);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no PIN answer left');
      return answer;
    },
    confirm: () => Promise.reject(new Error('the test flow never asks for confirmation')),
    touch: () => () => undefined,
    reinsert: () => () => undefined,
    progress: () => undefined,
  };
}

describe('skm test', () => {
  it('creates a discoverable test passkey with the PIN, signs in with it, and the signature verifies', async () => {
    const { key, session } = await setup({ preset: 'ctap21', pin: true });
    const asked: PinRequest[] = [];

    const result = await testKey({ session, prompts: prompts([PIN], asked) });

    expect(result.outcome).toBe('passed');
    if (result.outcome !== 'passed') return;
    expect(asked).toHaveLength(1);
    expect(asked[0]!.retries).toBe(8);
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ['unlock', true],
      ['make-credential', true],
      ['attestation', true],
      ['get-assertion', true],
      ['signature', true],
    ]);
    expect(result.attestation).toEqual({ kind: 'self', valid: true });
    expect(result.userVerified).toBe(true);
    // The passkey is on the key, for skm.test, and the key counted one signature.
    const stored = key.state.credentials.filter((c) => c.rpId === 'skm.test');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.discoverable).toBe(true);
    expect(stored[0]!.userName).toBe('skm-test');
    expect(stored[0]!.id).toEqual(result.credentialId);
    expect(stored[0]!.signCount).toBe(result.signCount);
    expect(result.signCount).toBe(1);
  });

  it('replaces its own passkey on a second run instead of filling the key', async () => {
    const { key, session } = await setup({ preset: 'ctap21' });
    const first = await testKey({ session, prompts: prompts() });
    const second = await testKey({ session, prompts: prompts() });
    expect([first.outcome, second.outcome]).toEqual(['passed', 'passed']);
    expect(key.state.credentials.filter((c) => c.discoverable)).toHaveLength(1);
    if (second.outcome === 'passed') expect(key.state.credentials[0]!.id).toEqual(second.credentialId);
  });

  it('works with a legacy PIN token on a 2.1-PRE key and on a CTAP 2.0 key', async () => {
    for (const preset of ['ctap21-pre', 'ctap20']) {
      const { key, session } = await setup({ preset, pin: true });
      const result = await testKey({ session, prompts: prompts([PIN]), rpId: 'example.org', userName: 'bob' });
      expect(result.outcome, preset).toBe('passed');
      expect(key.state.credentials.map((c) => [c.rpId, c.userName])).toEqual([['example.org', 'bob']]);
    }
  });

  it('reports a wrong PIN with the retries left, and creates nothing', async () => {
    const { key, session } = await setup({ preset: 'ctap21', pin: true });
    const result = await testKey({ session, prompts: prompts(['000000']) });
    expect(result).toMatchObject({ outcome: 'wrong-pin', retries: 7 });
    expect(key.state.credentials).toEqual([]);
  });

  it('reports a refused step: a full key answers KEY_STORE_FULL to the discoverable passkey', async () => {
    const { key, session } = await setup({ preset: 'ctap21', config: { credentialSlots: 0 } });
    const result = await testKey({ session, prompts: prompts() });
    expect(result).toMatchObject({ outcome: 'failed', step: 'make-credential', status: 0x28 });
    expect(key.state.credentials).toEqual([]);
  });

  it('reports not-touched and declined', async () => {
    const never = await setup({ preset: 'ctap21', presence: 'never', config: { touchTimeoutMs: 30 } });
    await expect(testKey({ session: never.session, prompts: prompts() })).resolves.toMatchObject({ outcome: 'not-touched' });
    const deny = await setup({ preset: 'ctap21', presence: 'deny' });
    await expect(testKey({ session: deny.session, prompts: prompts() })).resolves.toMatchObject({ outcome: 'declined' });
    expect(deny.key.state.credentials).toEqual([]);
  });
});

describe('virtual key makeCredential / getAssertion handlers', () => {
  const io = { transport: 'usb' as const, channel: 1, signal: new AbortController().signal, keepalive: () => undefined };

  it('signs assertions with the stored key and walks every discoverable credential of the RP', async () => {
    const { key, session } = await setup({ preset: 'ctap21' });
    await testKey({ session, prompts: prompts(), userName: 'first' });
    await testKey({ session, prompts: prompts(), userName: 'second' });
    expect(key.state.credentials).toHaveLength(2);
    const clientDataHash = sha256(new Uint8Array([9]));
    const assertions = await getAssertions(session, { rpId: 'skm.test', clientDataHash });
    expect(assertions).toHaveLength(2);
    expect(assertions[0]!.numberOfCredentials).toBe(2);
    const byId = (id: Uint8Array) => key.state.credentials.find((c) => c.id.every((b, i) => b === id[i]))!;
    for (const assertion of assertions) {
      const stored = byId(assertion.credentialId);
      const cose = new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1]]);
      const point = p256.getPublicKey(stored.privateKey, false);
      cose.set(-2, point.slice(1, 33)).set(-3, point.slice(33));
      expect(verifyAssertion({ assertion, clientDataHash, publicKey: { alg: -7, cose, p256Point: point } })).toBe(true);
    }
    expect(assertions.map((a) => a.user?.id)).toEqual([byId(assertions[0]!.credentialId).userId, byId(assertions[1]!.credentialId).userId]);
    // Nothing is pending any more: a third getNextAssertion is not allowed.
    expect(await key.authenticator.handle(Uint8Array.of(0x08), io)).toEqual(Uint8Array.of(0x30));
  });
});
