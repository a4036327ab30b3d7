/**
 * Decoded, redacted CTAP trace (DESIGN.md "Developers: a decoded and redacted CTAP trace").
 * Feeds on Ctap2Session's onTrace (ctap/ctap2/session.ts TraceEvent) and turns each exchange into
 * one line: direction, command name, subcommand name, status name, the round trip's time in ms
 * (on answers), parameters.
 *
 * Redaction: everything derived from the PIN or the pinUvAuthToken is replaced by its length
 * before formatting, never after — CTAP 2.1 §6.5.5.1 clientPIN pinUvAuthParam (0x04), newPinEnc
 * (0x05), pinHashEnc (0x06) and the response's pinUvAuthToken (0x02); the pinUvAuthParam of every
 * other command (§6.1 0x08, §6.2 0x06, §6.7 0x05, §6.8 0x04, §6.10 0x05, §6.11 0x04); and the
 * largeBlobKey secrets (§6.1 0x05, §6.2 0x07, §6.8 0x0B).
 * @module
 */
import type { CborKey, CborValue } from '../../ctap/cbor.js';
import { ConfigSubCommand } from '../../ctap/ctap2/authenticator-config.js';
import { BioSubCommand } from '../../ctap/ctap2/bio-enrollment.js';
import { ClientPinSubCommand } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command, commandName } from '../../ctap/ctap2/commands.js';
import { CredMgmtSubCommand } from '../../ctap/ctap2/credential-management.js';
import type { TraceEvent } from '../../ctap/ctap2/session.js';
import { statusName } from '../../ctap/status.js';
import { hex } from '../../ctap/bytes.js';

const C = Ctap2Command;

/** Request map keys whose values are PIN- or token-derived, per command. */
const redactedRequestKeys: ReadonlyMap<number, readonly number[]> = new Map([
  [C.CLIENT_PIN, [0x04, 0x05, 0x06]],
  [C.MAKE_CREDENTIAL, [0x08]],
  [C.GET_ASSERTION, [0x06]],
  [C.BIO_ENROLLMENT, [0x05]],
  [C.BIO_ENROLLMENT_PREVIEW, [0x05]],
  [C.CREDENTIAL_MANAGEMENT, [0x04]],
  [C.CREDENTIAL_MANAGEMENT_PREVIEW, [0x04]],
  [C.LARGE_BLOBS, [0x05]],
  [C.CONFIG, [0x04]],
]);

/** Response map keys holding secrets, per command. */
const redactedResponseKeys: ReadonlyMap<number, readonly number[]> = new Map([
  [C.CLIENT_PIN, [0x02]],
  [C.MAKE_CREDENTIAL, [0x05]],
  [C.GET_ASSERTION, [0x07]],
  [C.GET_NEXT_ASSERTION, [0x07]],
  [C.CREDENTIAL_MANAGEMENT, [0x0b]],
  [C.CREDENTIAL_MANAGEMENT_PREVIEW, [0x0b]],
]);

/** name → number tables as number → name. */
function byNumber(table: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  return new Map(Object.entries(table).map(([name, value]) => [value, name]));
}

/**
 * Sub-command names per command, for readable lines: §6.5.5.1 clientPIN, §6.7 bioEnrollment,
 * §6.8 credentialManagement, §6.11 authenticatorConfig (the 2.1-PRE preview commands number
 * their sub-commands the same way).
 */
const subCommandNames: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [C.CLIENT_PIN, byNumber(ClientPinSubCommand)],
  [C.BIO_ENROLLMENT, byNumber(BioSubCommand)],
  [C.BIO_ENROLLMENT_PREVIEW, byNumber(BioSubCommand)],
  [C.CREDENTIAL_MANAGEMENT, byNumber(CredMgmtSubCommand)],
  [C.CREDENTIAL_MANAGEMENT_PREVIEW, byNumber(CredMgmtSubCommand)],
  [C.CONFIG, byNumber(ConfigSubCommand)],
]);

/** Where each command carries its subCommand (§6.5 0x02, §6.7 0x02, §6.8 0x01, §6.11 0x01). */
const subCommandKey: ReadonlyMap<number, number> = new Map([
  [C.CLIENT_PIN, 0x02],
  [C.BIO_ENROLLMENT, 0x02],
  [C.BIO_ENROLLMENT_PREVIEW, 0x02],
  [C.CREDENTIAL_MANAGEMENT, 0x01],
  [C.CREDENTIAL_MANAGEMENT_PREVIEW, 0x01],
  [C.CONFIG, 0x01],
]);

/** Longest byte string shown in full; longer ones are cut (credential ids, attestation certs). */
const MAX_SHOWN_BYTES = 48;

/** Stands in for a secret value: only its length is kept. */
export class Redacted {
  constructor(readonly byteLength: number) {}
}

export type RedactedMap = Map<CborKey, CborValue | Redacted>;

/** A copy of the event's params with secret values replaced; the original map is not touched. */
export function redactParams(event: TraceEvent): RedactedMap | undefined {
  if (!event.params) return undefined;
  const table = event.direction === 'request' ? redactedRequestKeys : redactedResponseKeys;
  const keys = table.get(event.command) ?? [];
  const out: RedactedMap = new Map();
  for (const [key, value] of event.params) {
    const secret = typeof key === 'number' && keys.includes(key);
    out.set(key, secret ? new Redacted(value instanceof Uint8Array ? value.length : 0) : value);
  }
  return out;
}

/** One trace line, already redacted. */
export function formatTraceEvent(event: TraceEvent): string {
  const arrow = event.direction === 'request' ? '→' : '←';
  const parts = [arrow, commandName(event.command)];
  const subKey = subCommandKey.get(event.command);
  const sub = subKey !== undefined ? event.params?.get(subKey) : undefined;
  if (event.direction === 'request' && typeof sub === 'number') {
    // A vendor's own sub-command (authenticatorConfig 0xFF vendorPrototype) has no spec name.
    parts.push(subCommandNames.get(event.command)?.get(sub) ?? `subCommand ${hex(sub)}`);
  }
  if (event.status !== undefined) parts.push(statusName(event.status));
  // The round trip's time, so a slow key or reader shows (a touch wait shows as one long line).
  if (event.elapsedMs !== undefined) parts.push(`${event.elapsedMs.toFixed(1)} ms`);
  parts.push(`(${event.byteLength} bytes)`);
  const params = redactParams(event);
  if (params && params.size > 0) parts.push(formatValue(params));
  return parts.join(' ');
}

/** A session onTrace callback that writes redacted lines. */
export function createTracer(write: (line: string) => void): (event: TraceEvent) => void {
  return (event) => write(formatTraceEvent(event));
}

function formatValue(value: CborValue | Redacted | RedactedMap): string {
  if (value instanceof Redacted) return `<redacted ${value.byteLength} bytes>`;
  if (value instanceof Uint8Array) {
    const shown = Buffer.from(value.subarray(0, MAX_SHOWN_BYTES)).toString('hex');
    return value.length > MAX_SHOWN_BYTES ? `h'${shown}…' (${value.length} bytes)` : `h'${shown}'`;
  }
  if (value instanceof Map) {
    // Negative keys are COSE labels (-1 crv, -2 x, -3 y): shown as numbers, not hex.
    const entries = [...(value as RedactedMap)].map(([k, v]) => `${typeof k === 'number' ? (k < 0 ? String(k) : hex(k)) : JSON.stringify(k)}: ${formatValue(v)}`);
    return `{${entries.join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
