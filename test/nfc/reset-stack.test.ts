/**
 * `skm reset` on a card on a PC/SC reader, through the real stack (nfc-pcsc → pcscd → vsmartcard
 * vpcd → the virtual card): the reader's power cycle by default (SCARD_UNPOWER_CARD, a new
 * power-up, so the §6.6 window starts again), the lift-and-tap with --no-power-cycle, a different
 * card tapped at the insert step, and a reset that reaches the card after its window.
 *
 * The test plays the person: it lifts the card (closes the vpcd socket) when the ceremony says
 * "Lift …" and taps it (connects again) at "Tap … again". It holds the one vpcd slot for each
 * whole test (helpers/vpcd-slot.ts), so no other test's card can land on the reader in between.
 */
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { UserPrompts } from '../../ctap/flows/prompts.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { presetConfig, type VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { newState, type VirtualKeyState } from '../../ctap/virtual/state.js';
import { attachToVpcd } from '../../ctap/virtual/vpcd.js';
import { run } from '../../main/cli/skm.js';
import type { RunOverrides } from '../../main/cli/context.js';
import { AppError } from '../../main/service/errors.js';
import { resetKey } from '../../main/service/operations/reset.js';
import type { JsonError, SkmResult } from '../cli/helpers.js';
import { passkey } from '../cli/tty-session.js';
import { makeCard, type CardFixture } from './helpers/virtual-card.js';
import { acquireSlot, readerStatus, realStackSkipReason, VPCD_PORT, VPCD_READER as READER } from './helpers/vpcd-slot.js';
import { Copy } from '../../main/copy/index.js';

const skipReason = await realStackSkipReason();
const skip = skipReason !== null;
if (skip) console.warn(`Skipping the real PC/SC reset tests: ${skipReason}.`);

const RESET = 0x07;
const GET_INFO = 0x04;

/** The production PC/SC discovery, limited to the vpcd reader (another reader may hold a card). */
const overrides: RunOverrides = {
  hardwareSources: () => [
    {
      transport: 'nfc',
      timeoutMs: 5_000,
      load: () => Promise.resolve(new PcscDiscovery({ readerFilter: (name) => name === READER })),
    },
  ],
};

interface Reaction {
  when: RegExp;
  then: () => unknown;
}

/**
 * `skm ARGV` in-process against the vpcd reader, doing what the person is told: each reaction
 * runs once, as soon as stderr shows its text.
 */
async function skmReacting(argv: string[], reactions: Reaction[] = []): Promise<SkmResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const pending = [...reactions];
  const done: Promise<unknown>[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk);
    const text = Buffer.concat(err).toString('utf8');
    for (const reaction of [...pending]) {
      if (!reaction.when.test(text)) continue;
      pending.splice(pending.indexOf(reaction), 1);
      done.push(Promise.resolve().then(reaction.then));
    }
  });
  const code = await run(argv, { stdin: Readable.from([]), stdout, stderr, env: {}, isTTY: false }, overrides);
  await Promise.all(done);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function expectExit(result: SkmResult, code: number): void {
  expect(result.code, `${result.stdout}${result.stderr}`).toBe(code);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A card somebody has used: PIN, a passkey, a raised minimum PIN length. */
function usedCard(config: Partial<VirtualKeyConfig> = {}): CardFixture {
  const fixture = makeCard({ preset: 'ctap21', config });
  const { state } = fixture;
  state.pinHash = sha256(utf8ToBytes('24682468')).slice(0, 16);
  state.pinLength = 8;
  state.minPinLength = 8;
  state.credentials.push(passkey({ rpId: 'card.example', user: 'carol' }));
  return fixture;
}

const onlyGetInfo = (entries: string[]): boolean => entries.every((entry) => entry === `cmd:0${GET_INFO}`);

const snapshot = (state: VirtualKeyState): VirtualKeyState => structuredClone(state);

/** What the card lived through, in order: power off/on and each CTAP command byte. */
function recordCard(fixture: CardFixture): string[] {
  const log: string[] = [];
  const { card, authenticator } = fixture;
  const powerOff = card.powerOff.bind(card);
  const powerOn = card.powerOn.bind(card);
  const handle = authenticator.handle.bind(authenticator);
  vi.spyOn(card, 'powerOff').mockImplementation(() => {
    log.push('off');
    powerOff();
  });
  vi.spyOn(card, 'powerOn').mockImplementation(() => {
    log.push('on');
    powerOn();
  });
  vi.spyOn(authenticator, 'handle').mockImplementation((request, io) => {
    log.push(`cmd:${request[0]!.toString(16).padStart(2, '0')}`);
    return handle(request, io);
  });
  return log;
}

let discovery: PcscDiscovery;
let release: (() => void) | undefined;
/** The card on the reader now (its vpcd connection), lifted after each test. */
let onReader: { lift(): Promise<void> } | undefined;

/** Put `fixture` on the reader (connect to vpcd); the slot is already held. */
async function tap(fixture: CardFixture): Promise<void> {
  const controller = new AbortController();
  const attached = attachToVpcd({ card: fixture.card, signal: controller.signal, port: VPCD_PORT });
  onReader = {
    lift: async () => {
      controller.abort();
      await attached;
    },
  };
  await readerStatus(discovery, 'ready');
}

async function lift(): Promise<void> {
  const card = onReader;
  onReader = undefined;
  await card?.lift();
}

describe.skipIf(skip)('skm reset on a card on a PC/SC reader (pcscd + vpcd)', () => {
  beforeAll(() => {
    discovery = new PcscDiscovery({ readerFilter: (name) => name === READER });
  });

  afterAll(async () => {
    await discovery?.close();
  });

  beforeEach(async () => {
    release = await acquireSlot();
    await readerStatus(discovery, 'no-card');
  });

  afterEach(async () => {
    try {
      await lift();
      await readerStatus(discovery, 'no-card');
    } finally {
      release?.();
      vi.restoreAllMocks();
    }
  });

  it('by default the reader switches the card off and on: reset without a lift, even long after the tap', async () => {
    // A 1.5 s window that has passed before the command starts: only a new power-up allows the reset.
    const fixture = usedCard({ reset: { ...presetConfig('ctap21').reset, windowMs: 1_500 } });
    await tap(fixture);
    await sleep(1_600);
    const log = recordCard(fixture);
    const result = await skmReacting(['--yes', 'reset']);
    expectExit(result, 0);
    expect(result.stdout).toContain(`${READER} is reset: it has no passkeys, fingerprints or PIN now.`);
    expect(result.stderr).not.toMatch(/Lift|again and hold/);
    expect(result.stderr).toContain('Keep your security key on the reader until the reset is done.');
    expect(fixture.state).toEqual(newState());
    // The card really lost power and came back during the command, and the reset came after that.
    const resetAt = log.indexOf(`cmd:0${RESET}`);
    expect(resetAt).toBeGreaterThan(0);
    const before = log.slice(0, resetAt);
    expect(before.lastIndexOf('off')).toBeGreaterThanOrEqual(0);
    expect(before.lastIndexOf('on')).toBeGreaterThan(before.lastIndexOf('off'));
    // Nothing but getInfo (the transport's CTAP2 probe of a U2F_V2 applet, §11.3.3) reached the
    // card between that power-up and the reset: getInfo keeps the reset permission.
    expect(onlyGetInfo(before.slice(before.lastIndexOf('on') + 1))).toBe(true);
    expect(fixture.internalErrors).toEqual([]);
  });

  it('--no-power-cycle: lift the card, tap it again, touch; the card is empty afterwards', async () => {
    const fixture = usedCard();
    await tap(fixture);
    const log = recordCard(fixture);
    const result = await skmReacting(
      ['--yes', 'reset', '--no-power-cycle'],
      [
        { when: /Lift your security key off the reader\./, then: lift },
        { when: /Tap your security key on the reader again and hold it there\./, then: () => tap(fixture) },
      ],
    );
    expectExit(result, 0);
    const steps = ['Lift your security key off the reader.', 'Tap your security key on the reader again and hold it there.', 'Keep your security key on the reader until the reset is done.'];
    const at = steps.map((step) => result.stderr.indexOf(step));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(fixture.state).toEqual(newState());
    // Lifted (off), tapped (on), then only getInfo — which identifies the card — before the reset.
    const resetAt = log.indexOf(`cmd:0${RESET}`);
    const afterTap = log.slice(log.lastIndexOf('on', resetAt) + 1, resetAt);
    expect(log.slice(0, resetAt)).toContain('off');
    expect(afterTap).toContain(`cmd:0${GET_INFO}`);
    expect(onlyGetInfo(afterTap)).toBe(true);
    expect(fixture.internalErrors).toEqual([]);
  });

  it('a different card tapped at the insert step is refused, and it keeps everything', async () => {
    const first = usedCard();
    const other = usedCard({ aaguid: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i) });
    const firstBefore = snapshot(first.state);
    const otherBefore = snapshot(other.state);
    await tap(first);
    const otherLog = recordCard(other);
    const result = await skmReacting(
      ['--yes', '--json', 'reset', '--no-power-cycle'],
      [
        { when: /Lift your security key off the reader\./, then: lift },
        { when: /Tap your security key on the reader again/, then: () => tap(other) },
      ],
    );
    expectExit(result, 1);
    const error = (JSON.parse(result.stdout) as JsonError).error;
    expect(error.code).toBe('DIFFERENT_KEY');
    expect(error.message).toContain('it was not reset');
    // The other card was only asked who it is; no reset reached it.
    const otherCommands = otherLog.filter((entry) => entry.startsWith('cmd:'));
    expect(otherCommands.length).toBeGreaterThan(0);
    expect(onlyGetInfo(otherCommands)).toBe(true);
    expect(other.state).toEqual(otherBefore);
    expect(first.state).toEqual(firstBefore);
  });

  it('a reset that reaches the card after its window: the plain "too late", the card untouched', async () => {
    // A 5 s key whose window is cut to 300 ms; the re-tapped card is opened only after 600 ms.
    const fixture = makeCard({ preset: 'reset-5s', config: { reset: { ...presetConfig('reset-5s').reset, windowMs: 300 } } });
    fixture.state.credentials.push(passkey({ rpId: 'late.example', user: 'lee' }));
    const before = snapshot(fixture.state);
    await tap(fixture);
    const device = await readerStatus(discovery, 'ready');
    let opened = 0;
    const prompts: UserPrompts = {
      pin: () => Promise.reject(new Error('no PIN is needed for a reset')),
      confirm: () => Promise.resolve(true),
      touch: () => () => undefined,
      reinsert: (request) => {
        void (request.phase === 'remove' ? lift() : tap(fixture));
        return () => undefined;
      },
      progress: () => undefined,
    };
    const error = await resetKey({
      discovery,
      device,
      openSession: async (target) => {
        opened += 1;
        // The second session is the one after the re-tap: it comes too late.
        if (opened === 2) await sleep(600);
        return new Ctap2Session(await target.open());
      },
      prompts,
      readerPowerCycle: false,
    }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(opened).toBe(2);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RESET_TOO_LATE');
    const words = new Copy('cli').error((error as AppError).toServiceError());
    expect(words.message).toMatch(/^Too late: .*Nothing was reset\.$/);
    expect(words.nextStep).toContain('skm reset');
    expect(fixture.state).toEqual(before);
  });
});
