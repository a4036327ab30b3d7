/**
 * Every `skm` command on a key on a PC/SC reader, through the real stack: the CLI runs in-process
 * with only the PC/SC discovery of the vpcd reader as hardware (no USB, no --virtual), so each
 * command goes nfc-pcsc → libpcsclite → pcscd → vsmartcard vpcd → the virtual card (CTAP 2.1
 * §11.3). Each test asserts what the person reads AND what the card now holds. One file, run in
 * order: the one vpcd slot is taken through the shared ticket lock (helpers/vpcd-slot.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCommand, StatusWord } from '../../ctap/transport/nfc/apdu.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import type { RunOverrides } from '../../main/cli/context.js';
import { parseJson, pinHashHex, skm, type JsonError, type SkmResult } from '../cli/helpers.js';
import { makeCard, type CardFixture } from './helpers/virtual-card.js';
import { acquireSlot, readerStatus, realStackSkipReason, tapCard, VPCD_READER as READER, type Tapped } from './helpers/vpcd-slot.js';

const skipReason = await realStackSkipReason();
const skip = skipReason !== null;
if (skip) console.warn(`Skipping the real PC/SC CLI tests: ${skipReason}.`);

const DEVICE_ID = `nfc:${READER}`;
const PIN = '246810';
const NEW_PIN = '135791';

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

/** `skm ARGV` against the vpcd reader; PINs and answers on stdin (never in argv). */
function skmNfc(argv: string[], stdin?: string): Promise<SkmResult> {
  return skm(argv, { overrides, ...(stdin === undefined ? {} : { stdin }) });
}

/** Exit code `code`, with what the person read in the failure message. */
function expectExit(result: SkmResult, code: number): void {
  expect(result.code, `${result.stdout}${result.stderr}`).toBe(code);
}

interface ListRow {
  id: string;
  transport: string;
  name: string;
  status: string;
  aaguid: string | null;
  reader: string | null;
  vid: number | null;
  pid: number | null;
}

interface PasskeyJson {
  rpId: string;
  userName: string | null;
  credentialId: string;
}

function uuid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const hex = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));

let discovery: PcscDiscovery;

async function tap(fixture: CardFixture): Promise<Tapped & { fixture: CardFixture }> {
  return { fixture, ...(await tapCard(discovery, fixture.card)) };
}

describe.skipIf(skip)('skm on a key on a PC/SC reader (pcscd + vpcd)', () => {
  beforeAll(() => {
    discovery = new PcscDiscovery({ readerFilter: (name) => name === READER });
  });

  afterAll(async () => {
    await discovery?.close();
  });

  it('lists an empty reader as waiting for a key, and no command picks it', async () => {
    const release = await acquireSlot();
    try {
      await readerStatus(discovery, 'no-card');
      const human = await skmNfc(['list']);
      expectExit(human, 0);
      expect(human.stdout).toMatch(new RegExp(`^nfc:${READER}\\s+nfc\\s+${READER} \\(no key on the reader: tap your key\\)`, 'm'));

      const rows = parseJson<ListRow[]>(await skmNfc(['--json', 'list']));
      expect(rows).toEqual([expect.objectContaining({ id: DEVICE_ID, transport: 'nfc', status: 'no-card', reader: READER, aaguid: null })]);

      // A reader without a card is not a key: "which key?" (exit 3), not an attempt to open it.
      const info = await skmNfc(['--json', 'info']);
      expectExit(info, 3);
      expect(parseJson<JsonError>(info).error.code).toBe('NO_DEVICE');
    } finally {
      release();
    }
  });

  it('list, info and --device selection on a tapped CTAP 2.1 card', async () => {
    const card = await tap(makeCard({ preset: 'ctap21' }));
    try {
      const rows = parseJson<ListRow[]>(await skmNfc(['--json', 'list']));
      expect(rows).toEqual([
        expect.objectContaining({ id: DEVICE_ID, transport: 'nfc', status: 'ready', reader: READER, aaguid: uuid(card.fixture.config.aaguid), vid: null, pid: null }),
      ]);
      // Named by its model (from the AAGUID), not after the reader, over NFC as in-process.
      expect(rows[0]).toMatchObject({ name: 'Simulated key', model: 'Simulated key', vendor: 'Security Key Manager' });
      const human = await skmNfc(['list']);
      expect(human.stdout).toMatch(new RegExp(`^nfc:${READER}\\s+nfc\\s+Simulated key\\s`, 'm'));
      expect(human.stdout).not.toContain('tap your key');

      const info = await skmNfc(['--device', DEVICE_ID, '--json', 'info']);
      expectExit(info, 0);
      expect(JSON.stringify(parseJson(info))).toContain(uuid(card.fixture.config.aaguid));
      expect(parseJson(info)).toMatchObject({ name: 'Simulated key', model: 'Simulated key' });
      // A unique start of the id picks the same key.
      const byPrefix = await skmNfc(['--device', 'nfc:Virt', 'info']);
      expectExit(byPrefix, 0);
      expect(byPrefix.stdout).toContain(READER);
      // The only key on any reader is chosen without a touch; its id is what --device takes.
      const select = await skmNfc(['select']);
      expectExit(select, 0);
      expect(select.stdout).toBe(`The only key connected is ${READER}.\n${DEVICE_ID}\n`);
      const unknown = await skmNfc(['--device', 'nfc:Nothing here', '--json', 'info']);
      expectExit(unknown, 3);
      expect(parseJson<JsonError>(unknown).error.code).toBe('DEVICE_NOT_FOUND');
    } finally {
      await card.lift();
    }
    expect(card.fixture.internalErrors).toEqual([]);
  });

  it('an id naming the empty reader says in words to tap the key', async () => {
    const release = await acquireSlot();
    try {
      await readerStatus(discovery, 'no-card');
      const result = await skmNfc(['--device', DEVICE_ID, 'pin', 'status']);
      expectExit(result, 1);
      expect(result.stderr).toContain('Tap your security key on the reader and hold it there.');
    } finally {
      release();
    }
  });

  it('fingerprints on a bio card: sensor info, enroll with a name, list', async () => {
    const fixture = makeCard({ preset: 'bio' });
    fixture.state.pinHash = sha256(utf8ToBytes(PIN)).slice(0, 16);
    fixture.state.pinLength = PIN.length;
    const card = await tap(fixture);
    try {
      const info = await skmNfc(['--json', 'bio', 'info']);
      expectExit(info, 0);
      expect(parseJson(info)).toMatchObject({ kind: 'touch', samplesPerFingerprint: fixture.config.bio.samplesRequired });
      const enrolled = await skmNfc(['--json', 'bio', 'enroll', '--name', 'Left thumb'], `${PIN}\n`);
      expectExit(enrolled, 0);
      expect(fixture.state.templates).toHaveLength(1);
      const templateId = Buffer.from(fixture.state.templates[0]!.id).toString('hex');
      expect(parseJson(enrolled)).toEqual({ templateId, name: 'Left thumb' });
      const listed = await skmNfc(['--json', 'bio', 'list'], `${PIN}\n`);
      expect(parseJson(listed)).toEqual([{ templateId, name: 'Left thumb' }]);
    } finally {
      await card.lift();
    }
    expect(fixture.internalErrors).toEqual([]);
  });

  // The same commands over extended APDUs and over a short-APDU-only card (chaining + GET RESPONSE).
  it.each([
    { kind: 'extended APDUs', acceptExtended: true },
    { kind: 'short APDUs only', acceptExtended: false },
  ])('PIN, passkeys, settings and wink over $kind', async ({ acceptExtended }) => {
    const fixture = makeCard({ preset: 'ctap21', acceptExtended });
    // Which APDU encodings the card really accepted (a refused extended probe answers 6700).
    const accepted = new Set<string>();
    const process = fixture.card.process.bind(fixture.card);
    vi.spyOn(fixture.card, 'process').mockImplementation(async (apdu) => {
      const response = await process(apdu);
      const sw = (response.at(-2)! << 8) | response.at(-1)!;
      if (sw !== StatusWord.WRONG_LENGTH) accepted.add(parseCommand(apdu).encoding);
      return response;
    });
    const card = await tap(fixture);
    const { state } = fixture;
    try {
      // ── PIN: set, status, change (PINs on stdin) ──
      const set = await skmNfc(['pin', 'set'], `${PIN}\n`);
      expectExit(set, 0);
      expect(set.stdout).toBe('The PIN is set.\n');
      expect(hex(state.pinHash)).toBe(pinHashHex(PIN));
      const status = parseJson<{ pinSet: boolean; pinRetries: number; minPinLength: number }>(await skmNfc(['--json', 'pin', 'status']));
      expect(status).toMatchObject({ pinSet: true, pinRetries: 8, minPinLength: 4 });
      const change = await skmNfc(['pin', 'change'], `${PIN}\n${NEW_PIN}\n`);
      expectExit(change, 0);
      expect(change.stdout).toBe('The PIN is changed.\n');
      expect(hex(state.pinHash)).toBe(pinHashHex(NEW_PIN));

      // ── a wrong PIN: tries left in words, the key counts it ──
      const wrong = await skmNfc(['pin', 'change'], `000000\n${PIN}\n`);
      expectExit(wrong, 1);
      expect(wrong.stderr).toContain('That PIN is wrong. 7 tries left.');
      expect(state.pinRetries).toBe(7);
      expect(hex(state.pinHash)).toBe(pinHashHex(NEW_PIN));

      // ── a stored passkey: made by `skm test --resident`, listed, deleted ──
      const made = await skmNfc(['--json', 'test', '--resident', '--rp', 'nfc.example', '--user', 'nora'], `${NEW_PIN}\n`);
      expectExit(made, 0);
      expect(parseJson<{ discoverable: boolean; userVerified: boolean }>(made)).toMatchObject({ discoverable: true, userVerified: true });
      // A correct PIN resets the counter (§6.5.5.7).
      expect(state.pinRetries).toBe(8);
      expect(state.credentials).toHaveLength(1);
      expect(state.credentials[0]).toMatchObject({ rpId: 'nfc.example', userName: 'nora', discoverable: true });
      const storedId = Buffer.from(state.credentials[0]!.id).toString('base64url');

      const listed = await skmNfc(['--json', 'creds', 'list'], `${NEW_PIN}\n`);
      expectExit(listed, 0);
      expect(parseJson<PasskeyJson[]>(listed)).toEqual([expect.objectContaining({ rpId: 'nfc.example', userName: 'nora', credentialId: storedId })]);
      const humanList = await skmNfc(['creds', 'list'], `${NEW_PIN}\n`);
      expect(humanList.stdout).toContain('Passkeys stored: 1.');
      expect(humanList.stdout).toContain(`Credential ID:   ${storedId}`);

      const renamed = await skmNfc(['creds', 'update-user', storedId, '--display-name', 'Nora N.'], `${NEW_PIN}\n`);
      expectExit(renamed, 0);
      expect(state.credentials[0]).toMatchObject({ userName: 'nora', userDisplayName: 'Nora N.' });

      const deleted = await skmNfc(['--yes', 'creds', 'delete', storedId], `${NEW_PIN}\n`);
      expectExit(deleted, 0);
      expect(deleted.stdout).toMatch(/^Deleted the passkey for nfc\.example \(nora\b/);
      expect(state.credentials).toEqual([]);

      // ── settings: always require verification, minimum PIN length ──
      const alwaysUv = await skmNfc(['--yes', 'config', 'always-uv', 'on'], `${NEW_PIN}\n`);
      expectExit(alwaysUv, 0);
      expect(alwaysUv.stdout).toBe('Always require the PIN or a fingerprint: now on.\n');
      expect(state.alwaysUv).toBe(true);
      const minimum = await skmNfc(['--yes', 'config', 'min-pin-length', '6'], `${NEW_PIN}\n`);
      expectExit(minimum, 0);
      expect(state.minPinLength).toBe(6);
      expect(parseJson<{ minPinLength: number }>(await skmNfc(['--json', 'pin', 'status']))).toMatchObject({ minPinLength: 6 });

      // ── wink: a card on a reader cannot blink; said in words, nothing else sent ──
      const wink = await skmNfc(['wink']);
      expectExit(wink, 1);
      expect(wink.stderr).toMatch(/cannot blink/i);
      expect(wink.stderr).toMatch(/NFC reader/);

      // SELECT is always short; CTAP messages went extended only where the card takes them.
      expect(accepted.has('extended')).toBe(acceptExtended);
      expect(accepted.has('short')).toBe(true);
    } finally {
      await card.lift();
    }
    expect(card.fixture.internalErrors).toEqual([]);
  });
});
