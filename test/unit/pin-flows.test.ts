/**
 * PIN flows (ctap/flows/manage-pin.ts) over the virtual key through the production CTAPHID
 * transport: every test asserts the outcome AND what the key now holds (CTAP 2.1 §6.5).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CancelledError, UnsupportedError } from '../../ctap/errors.js';
import { changePin, pinStatus, setPin } from '../../ctap/flows/manage-pin.js';
import type { PinRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { presets } from '../../ctap/virtual/config.js';
import { VirtualKey, type VirtualKeyOptions } from '../../ctap/virtual/virtual-key.js';

const pinHash = (pin: string): Uint8Array => new Uint8Array(createHash('sha256').update(pin, 'utf8').digest().subarray(0, 16));

type Answer = string | ((request: PinRequest) => string | Promise<string>);

/** Prompts that answer PIN requests from a script and record what was asked. */
function scriptedPrompts(answers: Answer[]): UserPrompts & { asked: PinRequest[] } {
  const asked: PinRequest[] = [];
  return {
    asked,
    async pin(request) {
      asked.push(request);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected PIN prompt (${request.purpose})`);
      return typeof answer === 'function' ? answer(request) : answer;
    },
    async confirm() {
      throw new Error('unexpected confirm prompt');
    },
    touch() {
      throw new Error('unexpected touch prompt');
    },
    reinsert() {
      throw new Error('unexpected reinsert prompt');
    },
    progress() {},
  };
}

let open: { key: VirtualKey; transport: CtapHidTransport } | undefined;

async function connect(options: VirtualKeyOptions = {}): Promise<{ key: VirtualKey; session: Ctap2Session }> {
  const key = VirtualKey.create({ preset: 'ctap21', ...options });
  const transport = await CtapHidTransport.open(key.openHid());
  open = { key, transport };
  return { key, session: new Ctap2Session(transport) };
}

/** A key that already has `pin` (set through the flow itself, so no state is faked). */
async function connectWithPin(pin: string, options: VirtualKeyOptions = {}): Promise<{ key: VirtualKey; session: Ctap2Session }> {
  const connected = await connect(options);
  expect(await setPin({ session: connected.session, prompts: scriptedPrompts([pin]) })).toEqual({ outcome: 'done' });
  return connected;
}

afterEach(async () => {
  await open?.transport.close();
  open?.key.remove();
  open = undefined;
});

describe('pinStatus', () => {
  it('reports a fresh key', async () => {
    const { session } = await connect();
    expect(await pinStatus({ session })).toEqual({
      pinSupported: true,
      pinSet: false,
      retries: 8,
      powerCycleRequired: false,
      minPinLength: 4,
      forcePinChange: false,
      maxPinBytes: 63,
    });
  });

  it('reflects PIN set, retries used, a raised minimum and forcePINChange', async () => {
    const { key, session } = await connectWithPin('123456');
    key.state.pinRetries = 5;
    key.state.minPinLength = 8;
    key.state.forcePinChange = true;
    expect(await pinStatus({ session })).toMatchObject({ pinSet: true, retries: 5, minPinLength: 8, forcePinChange: true });
  });

  it('sends no getPINRetries to a key without clientPin', async () => {
    const { session } = await connect({ config: { supports: { ...presets.ctap21!.supports, clientPin: false }, options: { rk: true, up: true } } });
    expect(await pinStatus({ session })).toMatchObject({ pinSupported: false, pinSet: false, retries: null });
  });
});

describe('setPin', () => {
  it('sets the PIN the person chose, asking with the key’s rules', async () => {
    const { key, session } = await connect();
    const prompts = scriptedPrompts(['caf\u00e9 1234']);
    expect(await setPin({ session, prompts })).toEqual({ outcome: 'done' });
    expect(prompts.asked).toEqual([{ purpose: 'new', retries: null, minLength: 4, maxBytes: 63 }]);
    expect(key.state.pinHash).toEqual(pinHash('caf\u00e9 1234'));
  });

  it('asks again, saying why, when the host refuses a PIN — nothing reaches the key', async () => {
    const { key, session } = await connect();
    key.state.minPinLength = 6;
    const prompts = scriptedPrompts(['12345', '123456']);
    expect(await setPin({ session, prompts })).toEqual({ outcome: 'done' });
    expect(prompts.asked[0]).toMatchObject({ minLength: 6 });
    expect(prompts.asked[1]!.retry).toEqual({ reason: 'too-short', cause: 'host' });
    expect(key.state.pinHash).toEqual(pinHash('123456'));
  });

  it('gives up after three refused PINs with a host policy-violation; the key stays without PIN', async () => {
    const { key, session } = await connect();
    const outcome = await setPin({ session, prompts: scriptedPrompts(['1', '12', 'x'.repeat(64)]) });
    expect(outcome).toMatchObject({ outcome: 'policy-violation', source: 'host' });
    expect(key.state.pinHash).toBeNull();
  });

  it('returns already-set without asking on a key that has a PIN', async () => {
    const { key, session } = await connectWithPin('123456');
    const prompts = scriptedPrompts([]);
    expect(await setPin({ session, prompts })).toEqual({ outcome: 'already-set' });
    expect(prompts.asked).toEqual([]);
    expect(key.state.pinHash).toEqual(pinHash('123456'));
  });

  it('throws UnsupportedError for a key without PIN support', async () => {
    const { session } = await connect({ config: { supports: { ...presets.ctap21!.supports, clientPin: false }, options: { rk: true, up: true } } });
    await expect(setPin({ session, prompts: scriptedPrompts([]) })).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('changePin', () => {
  it('changes the PIN; the current-PIN prompt shows the retries left', async () => {
    const { key, session } = await connectWithPin('123456');
    const prompts = scriptedPrompts(['123456', '654321']);
    expect(await changePin({ session, prompts })).toEqual({ outcome: 'done' });
    expect(prompts.asked.map((r) => [r.purpose, r.retries])).toEqual([['current', 8], ['new', null]]);
    expect(key.state.pinHash).toEqual(pinHash('654321'));
  });

  it('a prompt that does not show the retries: no getPINRetries before it, and a wrong PIN still says what is left', async () => {
    const { key, session } = await connectWithPin('123456');
    const sent: number[] = [];
    const traced = new Ctap2Session(session.transport, { onTrace: (e) => e.direction === 'request' && sent.push(e.params?.get(0x02) as number) });
    const quiet = { ...scriptedPrompts(['123456', '654321']), showsRetries: false };
    expect(await changePin({ session: traced, prompts: quiet })).toEqual({ outcome: 'done' });
    expect(quiet.asked[0]).toMatchObject({ purpose: 'current', retries: null });
    // getInfo (no subcommand), then key agreement and changePIN only.
    expect(sent).toEqual([undefined, 0x02, 0x04]);
    const wrong = { ...scriptedPrompts(['000000', '111111']), showsRetries: false };
    expect(await changePin({ session: traced, prompts: wrong })).toEqual({ outcome: 'wrong-pin', retries: 7 });
    expect(key.state.pinHash).toEqual(pinHash('654321'));
  });

  it('clears forcePINChange with the normal change, and accepts a current PIN below the raised minimum', async () => {
    const { key, session } = await connectWithPin('1234');
    key.state.minPinLength = 6;
    key.state.forcePinChange = true;
    const prompts = scriptedPrompts(['1234', '24681357']);
    expect(await changePin({ session, prompts })).toEqual({ outcome: 'done' });
    expect(prompts.asked[0]).toMatchObject({ purpose: 'current', minLength: 4 });
    expect(prompts.asked[1]).toMatchObject({ purpose: 'new', minLength: 6 });
    expect(key.state.forcePinChange).toBe(false);
    expect(key.state.pinHash).toEqual(pinHash('24681357'));
  });

  it('asks for a different new PIN when it equals the current one', async () => {
    const { key, session } = await connectWithPin('123456');
    const prompts = scriptedPrompts(['123456', '123456', '999999']);
    expect(await changePin({ session, prompts })).toEqual({ outcome: 'done' });
    expect(prompts.asked[2]!.retry).toEqual({ reason: 'same-as-current', cause: 'host' });
    expect(key.state.pinHash).toEqual(pinHash('999999'));
  });

  it('a wrong current PIN → wrong-pin with the retries the key now reports', async () => {
    const { key, session } = await connectWithPin('123456');
    expect(await changePin({ session, prompts: scriptedPrompts(['000000', '654321']) })).toEqual({ outcome: 'wrong-pin', retries: 7 });
    expect(key.state.pinRetries).toBe(7);
    expect(key.state.pinHash).toEqual(pinHash('123456'));
  });

  it('the third wrong PIN in a row → pin-auth-blocked; then it does not even ask until the key is replugged', async () => {
    const { key, session } = await connectWithPin('123456');
    for (const expected of ['wrong-pin', 'wrong-pin', 'pin-auth-blocked']) {
      expect((await changePin({ session, prompts: scriptedPrompts(['000000', '654321']) })).outcome).toBe(expected);
    }
    const prompts = scriptedPrompts([]);
    expect(await changePin({ session, prompts })).toEqual({ outcome: 'pin-auth-blocked' });
    expect(prompts.asked).toEqual([]);
    expect(key.state.pinRetries).toBe(5);
  });

  it('the last retry used → pin-blocked; afterwards it does not ask at all', async () => {
    const { key, session } = await connectWithPin('123456');
    key.state.pinRetries = 1;
    expect(await changePin({ session, prompts: scriptedPrompts(['000000', '654321']) })).toEqual({ outcome: 'pin-blocked' });
    expect(key.state.pinRetries).toBe(0);
    const prompts = scriptedPrompts([]);
    expect(await changePin({ session, prompts })).toEqual({ outcome: 'pin-blocked' });
    expect(prompts.asked).toEqual([]);
  });

  it('a policy violation from the key (its rules changed under us) → policy-violation from the key', async () => {
    const { key, session } = await connectWithPin('123456');
    const prompts = scriptedPrompts([
      '123456',
      () => {
        // The key's minimum rises after the flow read getInfo: only the key can refuse now.
        key.state.minPinLength = 10;
        return '654321';
      },
    ]);
    expect(await changePin({ session, prompts })).toMatchObject({ outcome: 'policy-violation', source: 'key' });
    expect(key.state.pinHash).toEqual(pinHash('123456'));
  });

  it('returns no-pin on a key without a PIN', async () => {
    const { session } = await connect();
    expect(await changePin({ session, prompts: scriptedPrompts([]) })).toEqual({ outcome: 'no-pin' });
  });

  it('a cancelled prompt or an aborted signal → cancelled, the PIN untouched', async () => {
    const { key, session } = await connectWithPin('123456');
    const cancelling = scriptedPrompts([
      () => {
        throw new CancelledError();
      },
    ]);
    expect(await changePin({ session, prompts: cancelling })).toEqual({ outcome: 'cancelled' });
    const controller = new AbortController();
    const aborting = scriptedPrompts([
      '123456',
      () => {
        controller.abort();
        return '654321';
      },
    ]);
    expect(await changePin({ session, prompts: aborting, signal: controller.signal })).toEqual({ outcome: 'cancelled' });
    expect(key.state.pinHash).toEqual(pinHash('123456'));
    expect(key.state.pinRetries).toBe(8);
  });
});
