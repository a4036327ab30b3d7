import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { TransportError } from '../../ctap/errors.js';
import type { DeviceDescriptor, Discovery, DiscoveryEvent } from '../../ctap/transport/discovery.js';
import type { ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { VirtualAuthenticator } from '../../ctap/virtual/authenticator.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import { presetConfig } from '../../ctap/virtual/config.js';
import { Presence } from '../../ctap/virtual/presence.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import type { PresenceScript } from '../../ctap/virtual/presence.js';
import { newState } from '../../ctap/virtual/state.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { AppError } from '../../main/service/errors.js';
import { resetKey, type Replug } from '../../main/service/operations/reset.js';
import { parseJson, skm, tempDir } from './helpers.js';
import { loadState, passkey, PIN, seedKey, skmOnTerminal } from './tty-session.js';
import { Copy } from '../../main/copy/index.js';

const cli = new Copy('cli');
/** What the CLI prints for an operation's error. */
const words = (error: unknown): { message: string; nextStep?: string } => cli.error((error as AppError).toServiceError());

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
beforeEach(async () => {
  tmp = await tempDir();
  path = tmp.file('key.json');
});
afterEach(async () => {
  await tmp.cleanup();
});

const used = (preset: string): Promise<void> =>
  seedKey(path, {
    preset,
    credentials: [passkey({ rpId: 'example.com', user: 'alice' }), passkey({ rpId: 'login.test', user: 'bob' })],
    templates: preset === 'bio' ? [{ id: 'a1', name: 'Left thumb' }] : [],
    change: (state) => {
      state.alwaysUv = true;
      state.enterpriseAttestation = true;
      state.minPinLength = 8;
      state.pinRetries = 5;
    },
  });

describe('skm reset on a simulated key', () => {
  it('--yes: remove, reinsert (simulated), touch; the key is factory-fresh afterwards', async () => {
    await used('ctap21');
    const result = await skm(['--virtual', path, '--yes', 'reset']);
    expect(result.code).toBe(0);
    // The hint repeats --virtual, so it runs against the same simulated key as shown.
    expect(result.stdout).toBe(`Virtual FIDO2 Key (Simulated key) is reset: it has no passkeys, fingerprints or PIN now.\nSet a new PIN with \`skm --virtual ${path} pin set\` before you use it again.\n`);
    // The ceremony's steps, in order, with plain instructions.
    const steps = ['Remove your security key', 'Simulated key: removed.', 'Insert your security key again.', 'Simulated key: inserted again.', 'Touch your security key'];
    const at = steps.map((s) => result.stderr.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(await loadState(path)).toEqual(newState());
  });

  it('erases fingerprints too (bio key), and prints the key in --json', async () => {
    await used('bio');
    const result = await skm(['--virtual', path, '--yes', '--json', 'reset']);
    expect(result.code).toBe(0);
    expect(parseJson(result)).toMatchObject({ reset: true, id: expect.stringMatching(/^virtual:SIM/) });
    const state = await loadState(path);
    expect(state.templates).toEqual([]);
    expect(state.credentials).toEqual([]);
    expect(state.pinHash).toBeNull();
  });

  it('works on a key with a 5 s window: the simulated replug is immediate', async () => {
    await used('reset-5s');
    const result = await skm(['--virtual', path, '--yes', 'reset']);
    expect(result.code).toBe(0);
    expect(await loadState(path)).toEqual(newState());
  });

  it('works on an OpenSK-like key that drops the reset permission after any other command', async () => {
    await used('reset-drops-permission');
    const result = await skm(['--virtual', path, '--yes', 'reset']);
    expect(result.code).toBe(0);
    expect(await loadState(path)).toEqual(newState());
  });

  it('on a terminal: confirmation lists what is lost, then a countdown of the window', async () => {
    await used('ctap21');
    const result = await skmOnTerminal(['--virtual', path, 'reset'], [{ when: /Continue\? \[y\/N\]/, type: 'y\n' }]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Reset this security key:');
    expect(result.stderr).toContain('Every passkey on this key is deleted');
    expect(result.stderr).toContain('The PIN is removed.');
    // §6.6: 10 s window for a generic key, counted down in place.
    expect(result.stderr).toMatch(/\rTouch your security key when it blinks .*\((10|9) s left\)/);
    expect((await loadState(path)).credentials).toEqual([]);
  });

  it('a YubiKey-like key (2.1-PRE) gets Yubico’s instructions and its 5 s window in the countdown', async () => {
    await used('ctap21-pre');
    const result = await skmOnTerminal(['--virtual', path, 'reset'], [{ when: /Continue\? \[y\/N\]/, type: 'y\n' }]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Reset this YubiKey:');
    expect(result.stderr).toContain('Remove your YubiKey from the USB port.');
    expect(result.stderr).toMatch(/\rTouch the metal contact on your YubiKey when the light flashes\. \((5|4) s left\)/);
    expect(await loadState(path)).toEqual(newState());
  });

  it('declined at the confirmation: nothing is sent, the state file is untouched (exit 4, not an error)', async () => {
    await used('ctap21');
    const before = await readFile(path);
    const result = await skmOnTerminal(['--virtual', path, 'reset'], [{ when: /Continue\? \[y\/N\]/, type: 'n\n' }]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Nothing was reset.');
    expect(result.stderr).not.toContain('Error:');
    expect(result.stderr).not.toContain('Remove your security key');
    expect(await readFile(path)).toEqual(before);
  });

  it('a U2F-only key is refused in words, with no CTAP2 command sent', async () => {
    const u2f = tmp.file('u2f.json');
    const result = await skm(['--virtual', u2f, '--virtual-preset', 'u2f-only', '--yes', '--trace', '--json', 'reset']);
    expect(result.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('NOT_FIDO2');
    expect(result.stderr).not.toContain('GET_INFO');
  });

  it('without a terminal and without --yes it refuses (exit 2) and the key keeps everything', async () => {
    await used('ctap21');
    const before = await readFile(path);
    const result = await skm(['--virtual', path, 'reset'], { stdin: 'y\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(await readFile(path)).toEqual(before);
  });
});

// The outcomes a person causes (late, no touch, refusal, another key) through the operation,
// with simulated keys whose clock and touch are scripted.
describe('reset operation outcomes', () => {
  const quiet: UserPrompts = {
    pin: () => Promise.reject(new Error('no PIN is needed for a reset')),
    confirm: () => Promise.resolve(true),
    touch: () => () => undefined,
    reinsert: () => () => undefined,
    progress: () => undefined,
  };

  async function resetWith(options: { presence?: PresenceScript; lateByMs?: number; insertOther?: boolean }): Promise<{ error: unknown; key: VirtualKey; other: VirtualKey }> {
    let now = 1_000_000;
    const clock = (): number => now;
    const make = (serial: string): VirtualKey =>
      VirtualKey.create({ preset: 'ctap21', clock, presence: options.presence ?? 'approve', config: { serial, touchTimeoutMs: 20 }, state: { ...newState(), credentials: [passkey({ rpId: 'a.test', user: 'u' })] } });
    const key = make('SIMRESET0001');
    const other = make('SIMRESET0002');
    other.remove();
    const discovery = new VirtualDiscovery([key, other]);
    const [device] = (await discovery.list()) as [DeviceDescriptor];
    const replug: Replug = {
      remove: () => key.remove(),
      insert: () => {
        (options.insertOther ? other : key).insert();
        now += options.lateByMs ?? 0;
      },
    };
    let error: unknown;
    try {
      await resetKey({ discovery, device, openSession: async (d) => new Ctap2Session(await d.open()), prompts: quiet, replug });
    } catch (caught) {
      error = caught;
    }
    await discovery.close();
    return { error, key, other };
  }

  it('too late: says the window length and to start again at once', async () => {
    const { error, key } = await resetWith({ lateByMs: 11_000 });
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RESET_TOO_LATE');
    expect(words(error).message).toContain('within 10 seconds');
    expect(words(error).nextStep).toContain('skm reset');
    expect(key.state.credentials).toHaveLength(1);
  });

  it('declined on the key: plain words, next step, raw status only in details', async () => {
    const { error, key } = await resetWith({ presence: 'deny' });
    expect((error as AppError).code).toBe('OPERATION_DENIED');
    expect(words(error).message).toContain('refused the reset');
    expect((error as AppError).details).toContain('0x27');
    expect(key.state.credentials).toHaveLength(1);
  });

  it('not touched in time', async () => {
    const { error, key } = await resetWith({ presence: 'never' });
    expect((error as AppError).code).toBe('TOUCH_TIMEOUT');
    expect(words(error).message).toContain('not touched in time');
    expect(key.state.credentials).toHaveLength(1);
  });

  it('a different key inserted: refused, nothing sent to either key', async () => {
    const { error, key, other } = await resetWith({ insertOther: true });
    expect((error as AppError).code).toBe('DIFFERENT_KEY');
    expect(words(error).message).toContain('nothing on it was changed');
    expect(key.state.credentials).toHaveLength(1);
    expect(other.state.credentials).toHaveLength(1);
  });
});

// A card on a reader (the production NFC transport over the simulated FIDO card): by default the
// reader switches it off and on, and nobody is asked to lift it; a reader that cannot, or
// readerPowerCycle: false, gets the lift-and-tap. The prompts lift and tap the card when asked.
describe('reset operation on a card reader', () => {
  type ReaderKind = 'can-cycle' | 'cannot-cycle' | 'cycle-fails';

  function simulatedCard(options: { aaguid?: Uint8Array } = {}) {
    const config = { ...presetConfig('nfc-card'), ...(options.aaguid ? { aaguid: options.aaguid } : {}) };
    const state = { ...newState(), credentials: [passkey({ rpId: 'a.test', user: 'u' })] };
    const card = new VirtualCard({ authenticator: new VirtualAuthenticator({ config, state, presence: new Presence('approve'), clock: Date.now }), config });
    return { card, state };
  }

  function cardOnReader(options: { reader: ReaderKind; tapInstead?: VirtualCard }) {
    const first = simulatedCard();
    let onReader: VirtualCard | null = first.card;
    first.card.powerOn();
    const powerOns: number[] = [];
    const listeners = new Set<(event: DiscoveryEvent) => void>();
    const connect = (card: VirtualCard): ApduConnection => {
      const connection = card.connect('Reader 0');
      const { name } = connection;
      const transmit = (apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> => connection.transmit(apdu, signal);
      const close = (): Promise<void> => connection.close();
      if (options.reader === 'cannot-cycle') return { name, transmit, close };
      const powerCycle = async (): Promise<void> => {
        if (options.reader === 'cycle-fails') throw new TransportError('io', 'SCardDisconnect failed');
        await connection.powerCycle!();
        powerOns.push(Date.now());
      };
      return { name, transmit, close, powerCycle };
    };
    const descriptor = (): DeviceDescriptor => ({
      id: 'nfc:Reader 0',
      transport: 'nfc',
      name: 'Reader 0',
      vid: null,
      pid: null,
      serial: null,
      reader: 'Reader 0',
      status: onReader ? 'ready' : 'no-card',
      open: () => (onReader ? CtapNfcTransport.open(connect(onReader)) : Promise.reject(new TransportError('disconnected', 'There is no key on the reader.'))),
    });
    const place = (card: VirtualCard | null): void => {
      const before = descriptor();
      onReader?.powerOff();
      onReader = card;
      onReader?.powerOn();
      for (const listener of listeners) listener({ type: 'removed', device: before });
      for (const listener of listeners) listener({ type: 'added', device: descriptor() });
    };
    const discovery: Discovery = {
      list: () => Promise.resolve([descriptor()]),
      watch: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => Promise.resolve(),
    };
    const asked: string[] = [];
    const prompts: UserPrompts = {
      pin: () => Promise.reject(new Error('no PIN is needed for a reset')),
      confirm: () => Promise.resolve(true),
      touch: () => () => undefined,
      reinsert: (request) => {
        asked.push(cli.reinsert(request));
        place(request.phase === 'remove' ? null : (options.tapInstead ?? first.card));
        return () => undefined;
      },
      progress: () => undefined,
    };
    const reset = (readerPowerCycle?: boolean) =>
      resetKey({
        discovery,
        device: descriptor(),
        openSession: async (d) => new Ctap2Session(await d.open()),
        prompts,
        ...(readerPowerCycle === undefined ? {} : { readerPowerCycle }),
      });
    return { state: first.state, asked, powerOns, reset };
  }

  const failure = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => null,
      (caught: unknown) => caught,
    );

  it('by default the reader power-cycles the card, then the reset is the first command: no lift or tap asked', async () => {
    const { state, asked, powerOns, reset } = cardOnReader({ reader: 'can-cycle' });
    await expect(reset()).resolves.toMatchObject({ reset: true, id: 'nfc:Reader 0' });
    expect(powerOns).toHaveLength(1);
    expect(state.credentials).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('a reader that cannot power-cycle: the person is asked to lift the card and tap it again', async () => {
    const { state, asked, reset } = cardOnReader({ reader: 'cannot-cycle' });
    await expect(reset()).resolves.toMatchObject({ reset: true });
    expect(asked).toEqual(['Lift your security key off the reader.', 'Tap your security key on the reader again and hold it there.']);
    expect(state.credentials).toEqual([]);
  });

  it('readerPowerCycle: false asks for the lift and tap even where the reader could power-cycle', async () => {
    const { state, asked, powerOns, reset } = cardOnReader({ reader: 'can-cycle' });
    await expect(reset(false)).resolves.toMatchObject({ reset: true });
    expect(powerOns).toEqual([]);
    expect(asked).toHaveLength(2);
    expect(state.credentials).toEqual([]);
  });

  it('a power cycle that fails: plain words, --no-power-cycle as the next step, the card untouched', async () => {
    const { state, reset } = cardOnReader({ reader: 'cycle-fails' });
    const error = await failure(reset());
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('TRANSPORT');
    expect(words(error).message).toContain('could not switch the key off and on');
    expect(words(error).nextStep).toContain('skm reset --no-power-cycle');
    expect(state.credentials).toHaveLength(1);
  });

  it('a different card tapped again is refused before the reset; neither card loses anything', async () => {
    const other = simulatedCard({ aaguid: new Uint8Array(16).fill(0x5a) });
    const { state, reset } = cardOnReader({ reader: 'cannot-cycle', tapInstead: other.card });
    const error = await failure(reset());
    expect((error as AppError).code).toBe('DIFFERENT_KEY');
    expect(words(error).message).toContain('it was not reset');
    expect(other.state.credentials).toHaveLength(1);
    expect(state.credentials).toHaveLength(1);
  });

  it('--no-power-cycle is accepted for a key on another connection (it only concerns card readers)', async () => {
    await used('ctap21');
    const result = await skm(['--virtual', path, '--yes', 'reset', '--no-power-cycle']);
    expect(result.code).toBe(0);
    expect(await loadState(path)).toEqual(newState());
  });

  it('--help names the opt-out', async () => {
    const result = await skm(['reset', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/--no-power-cycle Key on an NFC or smart-card reader: lift it and tap it again/);
  });
});

describe('the reset confirmation names what this key holds', () => {
  it('no fingerprints on a key without a sensor; with --count the passkeys are counted (PIN asked first)', async () => {
    await used('ctap21');
    const plain = await skmOnTerminal(['--virtual', path, 'reset'], [{ when: /Continue\? \[y\/N\]/, type: 'n\n' }]);
    expect(plain.code).toBe(4);
    expect(plain.stderr).toContain('Every passkey on this key is deleted;');
    expect(plain.stderr).not.toContain('fingerprint');
    const counted = await skmOnTerminal(['--virtual', path, 'reset', '--count'], [
      { when: /Enter the PIN/, type: `${PIN}\r` },
      { when: /Continue\? \[y\/N\]/, type: 'n\n' },
    ]);
    expect(counted.code).toBe(4);
    expect(counted.stderr).toContain('Every passkey on this key is deleted (2 passkeys on 2 websites)');
  });

  it('a key with a sensor lists its fingerprints among what is lost', async () => {
    await used('bio');
    const result = await skmOnTerminal(['--virtual', path, 'reset'], [{ when: /Continue\? \[y\/N\]/, type: 'n\n' }]);
    expect(result.stderr).toContain('Every fingerprint enrolled on this key is deleted.');
  });
});
