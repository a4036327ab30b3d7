// The fault matrix: the simulated key misbehaves on purpose (ctap/virtual/faults.ts) — and the
// machine around it fails (pcscd restarted, a full disk, a stale lock) — while the production
// stack runs a real operation. Every row must end in a clear typed outcome (an error code, or a
// correct degraded result), the next operation must work, and no passkey may be lost. The table
// is printed at the end (and written to $FAULT_MATRIX_OUT when set).
import { spawnSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientPin, Permission } from '../../ctap/ctap2/client-pin.js';
import { makeCredential } from '../../ctap/ctap2/make-credential.js';
import { resetAuthenticator } from '../../ctap/ctap2/reset.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { CtapError, FidoError, TransportError } from '../../ctap/errors.js';
import { statusName } from '../../ctap/status.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import { PcscConnection, type CardSlot, type NfcReader } from '../../ctap/transport/nfc/pcsc-connection.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import type { FaultName } from '../../ctap/virtual/faults.js';
import { stateFileSystem } from '../../ctap/virtual/state.js';
import { parseJson, skm, tempDir } from '../cli/helpers.js';
import type { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { FAST_HID, PIN, cli, faultyKey, markdownTable, nfcSession, passkeysKept, type MatrixRow } from './harness.js';

const rows: MatrixRow[] = [];

afterAll(async () => {
  const table = markdownTable(rows);
  console.log(`\nFault matrix (${rows.length} rows, ${new Set(rows.map((r) => r.fault)).size} faults)\n${table}\n`);
  if (process.env.FAULT_MATRIX_OUT) await writeFile(process.env.FAULT_MATRIX_OUT, `${table}\n`);
});

/** What a typed failure is called in the table. */
function describeError(error: unknown): string {
  if (error instanceof CtapError) return `CtapError ${statusName(error.status)}`;
  if (error instanceof TransportError) return `TransportError ${error.kind}`;
  if (error instanceof FidoError) return error.name;
  throw error;
}

interface CliRow {
  fault: FaultName;
  operation: string[];
  /** The expected `--json` error code, or "ok" for a correct (maybe degraded) result. */
  expected: string;
  preset?: string;
  config?: Parameters<typeof faultyKey>[1];
  degraded?: (json: unknown) => void;
}

const cliRows: CliRow[] = [
  { fault: 'endless-keepalive', operation: ['info'], expected: 'TIMEOUT' },
  { fault: 'endless-keepalive', operation: ['creds', 'list'], expected: 'TIMEOUT' },
  { fault: 'endless-keepalive-touch', operation: ['test', '--resident'], expected: 'TIMEOUT' },
  { fault: 'wrong-channel', operation: ['info'], expected: 'TIMEOUT' },
  { fault: 'dropped-response', operation: ['info'], expected: 'TIMEOUT' },
  { fault: 'dropped-response', operation: ['creds', 'list'], expected: 'TIMEOUT', config: { faultAfterCommands: 3 } },
  { fault: 'answer-before-timeout', operation: ['info'], expected: 'ok', config: { faultDelayMs: 600 } },
  { fault: 'channel-busy', operation: ['info'], expected: 'ok' },
  { fault: 'invalid-channel-once', operation: ['creds', 'list'], expected: 'ok', config: { faultAfterCommands: 2 } },
  { fault: 'wrong-sequence', operation: ['info'], expected: 'PROTOCOL' },
  { fault: 'truncated-response', operation: ['info'], expected: 'TIMEOUT' },
  { fault: 'hid-error', operation: ['info'], expected: 'KEY_FAILURE' },
  { fault: 'garbage-cbor', operation: ['info'], expected: 'PROTOCOL' },
  { fault: 'garbage-cbor', operation: ['creds', 'list'], expected: 'PROTOCOL', config: { faultAfterCommands: 4 } },
  { fault: 'non-canonical-cbor', operation: ['info'], expected: 'PROTOCOL' },
  { fault: 'non-canonical-cbor', operation: ['test', '--resident'], expected: 'PROTOCOL', config: { faultAfterCommands: 3 } },
  { fault: 'inflated-enumeration', operation: ['creds', 'list'], expected: 'PROTOCOL' },
  {
    fault: 'negative-retries',
    operation: ['info'],
    expected: 'ok',
    degraded: (json) => expect(json).toMatchObject({ pinRetries: null, unreadableFields: ['pinRetries'] }),
  },
  { fault: 'pin-auth-blocked', operation: ['creds', 'list'], expected: 'PIN_AUTH_BLOCKED' },
  { fault: 'pin-blocked', operation: ['creds', 'list'], expected: 'PIN_BLOCKED' },
  { fault: 'uv-blocked', operation: ['bio', 'list'], expected: 'UV_BLOCKED', preset: 'bio' },
  { fault: 'no-touch', operation: ['test', '--resident'], expected: 'TOUCH_TIMEOUT' },
  { fault: 'key-store-full', operation: ['test', '--resident'], expected: 'KEY_STORE_FULL' },
  { fault: 'status-other', operation: ['info'], expected: 'KEY_FAILURE' },
];

describe('fault matrix over the CLI (CTAPHID)', () => {
  it.each(cliRows)('$fault × $operation', async (row) => {
    const key = faultyKey([row.fault], row.config, row.preset);
    const before = key.state.credentials.map((c) => c.id);
    const outcome = await cli(key, row.operation);
    key.authenticator.faults.clear();
    const next = await cli(key, ['info']);
    const kept = passkeysKept(key, before);
    rows.push({ fault: row.fault, operation: `skm ${row.operation.join(' ')}`, outcome: outcome.result, goesOn: next.code === 0, passkeysKept: kept });
    expect(outcome.result).toBe(row.expected);
    row.degraded?.(outcome.json);
    expect(next.code).toBe(0);
    expect(kept).toBe(true);
  });
});

describe('fault matrix at the protocol layer', () => {
  /** Run `fault`, then check the same connection goes on, and record the row. */
  async function protocolRow(fault: string, operation: string, key: VirtualKey, run: () => Promise<unknown>, next: () => Promise<unknown>): Promise<string> {
    const before = key.state.credentials.map((c) => c.id);
    const outcome = await run().then(() => 'ok', describeError);
    const goesOn = await next().then(
      () => true,
      () => false,
    );
    const kept = passkeysKept(key, before);
    rows.push({ fault, operation, outcome, goesOn, passkeysKept: kept });
    expect(goesOn).toBe(true);
    expect(kept).toBe(true);
    return outcome;
  }

  it('late-answer-after-cancel × makeCredential, then getInfo on the same connection', async () => {
    const key = faultyKey(['late-answer-after-cancel'], { faultDelayMs: 500 });
    key.presence.script = 'never';
    const transport = await CtapHidTransport.open(key.openHid(), FAST_HID);
    const session = new Ctap2Session(transport);
    const outcome = await protocolRow(
      'late-answer-after-cancel',
      'makeCredential, then getInfo (same connection)',
      key,
      async () => {
        const token = await new ClientPin(session).getToken(PIN, { permissions: Permission.mc, rpId: 'new.example' });
        await makeCredential(session, { clientDataHash: new Uint8Array(32), rp: { id: 'new.example' }, user: { id: Uint8Array.of(7), name: 'x' }, residentKey: true, token });
      },
      async () => {
        // The late KEEPALIVE_CANCEL arrives while this runs; it must not pass for getInfo's answer.
        await new Promise((resolve) => setTimeout(resolve, 400));
        const info = await session.getInfo({ refresh: true });
        if (info.versions.length === 0) throw new Error('not an answer to getInfo');
      },
    );
    expect(outcome).toBe('TransportError timeout');
    await transport.close();
  });

  it('reset-too-late and no-touch × authenticatorReset', async () => {
    for (const fault of ['reset-too-late', 'no-touch'] as const) {
      const key = faultyKey([fault]);
      const session = new Ctap2Session(await CtapHidTransport.open(key.openHid(), FAST_HID));
      const outcome = await protocolRow(fault, 'authenticatorReset', key, () => resetAuthenticator(session), () => session.getInfo({ refresh: true }));
      expect(outcome).toBe(fault === 'no-touch' ? 'CtapError CTAP2_ERR_USER_ACTION_TIMEOUT' : 'CtapError CTAP2_ERR_NOT_ALLOWED');
    }
  });

  it('endless-9100 × getInfo over NFC, then the same card once it behaves', async () => {
    const key = faultyKey(['endless-9100']);
    const session = await nfcSession(key);
    // The first getInfo is answered with the applet probe's; the row's getInfo must reach the key.
    await session.getInfo();
    const outcome = await protocolRow(
      'endless-9100',
      'getInfo over NFC',
      key,
      () => session.getInfo({ refresh: true }),
      async () => {
        key.authenticator.faults.clear();
        await session.getInfo({ refresh: true });
      },
    );
    expect(outcome).toBe('TransportError timeout');
  });

  it('removal-mid-chain × makeCredential over NFC (chained short APDUs), then a fresh tap', async () => {
    const key = faultyKey(['removal-mid-chain']);
    const session = await nfcSession(key);
    const outcome = await protocolRow(
      'removal-mid-chain',
      'makeCredential over NFC (chained)',
      key,
      async () => {
        const token = await new ClientPin(session).getToken(PIN, { permissions: Permission.mc, rpId: 'new.example' });
        // A long user name makes the request longer than one short APDU: it is chained.
        await makeCredential(session, { clientDataHash: new Uint8Array(32), rp: { id: 'new.example' }, user: { id: Uint8Array.of(7), name: 'n'.repeat(60), displayName: 'd'.repeat(60) }, residentKey: true, token });
      },
      async () => {
        key.authenticator.faults.clear();
        await (await nfcSession(key)).getInfo();
      },
    );
    expect(outcome).toBe('TransportError disconnected');
  });

  it('pcscd restarted × getInfo over PC/SC, then the reader after the restart', async () => {
    const key = faultyKey([]);
    const card = new VirtualCard({ authenticator: key.authenticator, config: key.config });
    card.powerOn();
    let serviceUp = true;
    // A stand-in for nfc-pcsc's Reader (as test/nfc/pcsc-discovery.test.ts uses): pcsclite
    // answers SCARD_E_NO_SERVICE while pcscd restarts.
    const reader = {
      name: 'Restarting reader',
      reader: { name: 'Restarting reader', SCARD_UNPOWER_CARD: 2, SCARD_STATE_PRESENT: 0x20, SCARD_STATE_EMPTY: 0x10, disconnect: () => undefined, on: () => undefined, close: () => undefined },
      autoProcessing: false,
      connection: {},
      connect: () => Promise.resolve({}),
      transmit: async (data: Buffer) => {
        if (!serviceUp) throw new Error('SCardTransmit error: The Smart card resource manager is not running. (0x8010001D)');
        return Buffer.from(await card.process(Uint8Array.from(data)));
      },
      on: () => undefined,
    } as unknown as NfcReader;
    const slot: CardSlot = { reader, generation: 1, card: { atr: Uint8Array.of(0x3b) } };
    const session = new Ctap2Session(await CtapNfcTransport.open(new PcscConnection(slot), { encoding: 'short' }));
    // The first getInfo is answered with the applet probe's; the row's getInfo must reach pcscd.
    await session.getInfo();
    const outcome = await protocolRow(
      'pcscd restarted',
      'getInfo over PC/SC',
      key,
      () => {
        serviceUp = false;
        return session.getInfo({ refresh: true });
      },
      async () => {
        serviceUp = true;
        // After the restart the card is seen anew: a new generation, a new connection.
        const restarted: CardSlot = { ...slot, generation: 2 };
        await new Ctap2Session(await CtapNfcTransport.open(new PcscConnection(restarted), { encoding: 'short' })).getInfo();
      },
    );
    expect(outcome).toBe('TransportError io');
  });
});

describe('fault matrix: the machine around the key', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await tmp.cleanup();
  });

  const storedRps = async (path: string): Promise<number> => (JSON.parse(await readFile(path, 'utf8')) as { state: { credentials: unknown[] } }).state.credentials.length;

  async function keyFileWithTwoPasskeys(path: string): Promise<void> {
    expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: `${PIN}\n` })).code).toBe(0);
    for (const rp of ['mail.example', 'shop.example']) expect((await skm(['--virtual', path, 'test', '--resident', '--rp', rp], { stdin: `${PIN}\n` })).code).toBe(0);
  }

  it('disk full (ENOSPC) × skm test --resident on a simulated key file', async () => {
    const path = tmp.file('key.json');
    await keyFileWithTwoPasskeys(path);
    const before = await readFile(path, 'utf8');
    const open = stateFileSystem.open;
    vi.spyOn(stateFileSystem, 'open').mockImplementation(async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      handle.writeFile = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return handle;
    });
    const full = await skm(['--virtual', path, '--json', 'test', '--resident', '--rp', 'third.example'], { stdin: `${PIN}\n` });
    vi.restoreAllMocks();
    const code = full.code === 0 ? 'ok' : parseJson<{ error: { code: string } }>(full).error.code;
    const next = await skm(['--virtual', path, '--json', 'info']);
    rows.push({ fault: 'disk full (ENOSPC)', operation: 'skm test --resident (simulated key file)', outcome: code, goesOn: next.code === 0, passkeysKept: (await storedRps(path)) === 2 });
    expect(code).toBe('FILE_ACCESS');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(next.code).toBe(0);
    expect(await readdir(tmp.dir)).toEqual(['key.json']);
  });

  it('stale lock of a killed skm × skm creds list', async () => {
    const path = tmp.file('key.json');
    await keyFileWithTwoPasskeys(path);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${path}.lock`, `${dead} 00000000deadbeef\n`);
    const listed = await skm(['--virtual', path, '--json', 'creds', 'list'], { stdin: `${PIN}\n` });
    const next = await skm(['--virtual', path, '--json', 'info']);
    rows.push({ fault: 'stale lock', operation: 'skm creds list (simulated key file)', outcome: listed.code === 0 ? 'ok' : `exit ${listed.code}`, goesOn: next.code === 0, passkeysKept: (await storedRps(path)) === 2 });
    expect(listed.code).toBe(0);
    expect(next.code).toBe(0);
  });
});

// Keep the PIN hash helper honest: the harness stores SHA-256(PIN)[0..16] as the key would.
it('the harness key accepts its PIN', async () => {
  const key = faultyKey([]);
  expect(key.state.pinHash).toEqual(sha256(utf8ToBytes(PIN)).slice(0, 16));
  const outcome = await cli(key, ['creds', 'list']);
  expect(outcome.result).toBe('ok');
});
