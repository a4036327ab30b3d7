// Helpers for the fault matrix: a simulated key with a PIN and two passkeys and the faults of one
// row switched on, reached through the production stacks (the CLI in-process over CTAPHID, or
// the NFC transport over the card), with short timeouts so a whole matrix runs in seconds.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import type { HidTransportOptions } from '../../ctap/transport/hid/hid-transport.js';
import type { ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { VirtualCard } from '../../ctap/virtual/card.js';
import type { VirtualKeyConfig } from '../../ctap/virtual/config.js';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import type { FaultName } from '../../ctap/virtual/faults.js';
import { newState } from '../../ctap/virtual/state.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { parseJson, skm, type SkmResult } from '../cli/helpers.js';
import { storedCredential } from '../flows/manage-helpers.js';

export const PIN = '482916';

/** Client timeouts for the matrix: faults that make a client wait cost about a second. */
export const FAST_HID: HidTransportOptions = { responseTimeoutMs: 800, cancelTimeoutMs: 200, processingDeadlineMs: 1_200, touchDeadlineMs: 2_000 };

let serials = 0;

/** A key with PIN and two passkeys, and `faults` on (from the first command, or after some). */
export function faultyKey(faults: FaultName[], config: Partial<VirtualKeyConfig> = {}, preset = 'ctap21'): VirtualKey {
  const state = newState();
  state.pinHash = sha256(utf8ToBytes(PIN)).slice(0, 16);
  state.pinLength = PIN.length;
  state.credentials.push(storedCredential({ rpId: 'mail.example', user: 'ada' }), storedCredential({ rpId: 'shop.example', user: 'ada' }));
  serials += 1;
  return VirtualKey.create({ preset, state, config: { serial: `FAULT${serials}`, faults, ...config } });
}

export interface CliOutcome {
  code: number;
  /** The JSON error code, or "ok". */
  result: string;
  json: unknown;
}

/** Run `skm --json …` against the key through CTAPHID, PIN on stdin. */
export async function cli(key: VirtualKey, argv: string[], options: { hid?: HidTransportOptions } = {}): Promise<CliOutcome> {
  const discovery = new VirtualDiscovery([key], { hid: options.hid ?? FAST_HID });
  const result: SkmResult = await skm(['--json', ...argv], {
    stdin: `${PIN}\n`,
    overrides: { hardwareSources: () => [{ transport: 'virtual', timeoutMs: 2_000, load: () => Promise.resolve(discovery) }] },
  });
  let json: unknown = null;
  try {
    json = parseJson(result);
  } catch {
    json = null;
  }
  const error = (json as { error?: { code?: string } } | null)?.error?.code;
  return { code: result.code, result: result.code === 0 ? 'ok' : (error ?? `exit ${result.code}`), json };
}

/** A session over the key as a contactless card (short APDUs, so long requests are chained). */
export async function nfcSession(key: VirtualKey, wrap: (connection: ApduConnection) => ApduConnection = (c) => c): Promise<Ctap2Session> {
  const card = new VirtualCard({ authenticator: key.authenticator, config: key.config });
  const transport = await CtapNfcTransport.open(wrap(card.connect(`Fault reader ${key.config.serial}`)), {
    encoding: 'short',
    processingDeadlineMs: 1_200,
    touchDeadlineMs: 2_000,
  });
  return new Ctap2Session(transport);
}

/** Whether every passkey the key started with is still on it (ids compared). */
export function passkeysKept(key: VirtualKey, before: Uint8Array[]): boolean {
  const now = new Set(key.state.credentials.map((c) => Buffer.from(c.id).toString('hex')));
  return before.every((id) => now.has(Buffer.from(id).toString('hex')));
}

/** One row of the matrix as printed. */
export interface MatrixRow {
  fault: string;
  operation: string;
  outcome: string;
  goesOn: boolean;
  passkeysKept: boolean;
}

export function markdownTable(rows: MatrixRow[]): string {
  const yes = (b: boolean): string => (b ? 'yes' : '**NO**');
  return [
    '| fault | operation | outcome | next operation works | passkeys kept |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.fault} | ${r.operation} | ${r.outcome} | ${yes(r.goesOn)} | ${yes(r.passkeysKept)} |`),
  ].join('\n');
}
