/**
 * Test helpers for the passkey / fingerprint / settings suites: a scripted CTAP transport
 * that records every request (unit tests assert the exact CBOR sent), and scripted UserPrompts
 * that record what the person was shown (flow tests assert the guidance).
 */
import { p256 } from '@noble/curves/nist.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { decodeMap, encodeCanonical, type CborMap, type CborValue } from '../../ctap/cbor.js';
import { ClientPin, Permission, type PinUvAuthToken } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { PinProtocolV1, PinProtocolV2 } from '../../ctap/ctap2/pin-protocol.js';
import { Ctap2Session, type TraceEvent } from '../../ctap/ctap2/session.js';
import type { ConfirmRequest, PinRequest, ProgressEvent, TouchRequest, UserPrompts } from '../../ctap/flows/prompts.js';
import { CtapHidTransport } from '../../ctap/transport/hid/hid-transport.js';
import type { CtapTransport, TransactOptions } from '../../ctap/transport/transport.js';
import type { StoredCredential } from '../../ctap/virtual/state.js';
import { VirtualKey, type VirtualKeyOptions } from '../../ctap/virtual/virtual-key.js';

export interface RecordedRequest {
  command: number;
  /** The request exactly as sent (command byte excluded). */
  body: Uint8Array;
  params: CborMap | undefined;
}

export type Reply = { status?: number; body?: CborMap };
export type Responder = (request: RecordedRequest) => Reply;

/**
 * A CtapTransport that answers getInfo from a fixed map and everything else from `respond`.
 * getInfo requests are not recorded, so `requests` holds only the commands under test.
 */
export class ScriptedTransport implements CtapTransport {
  readonly kind = 'hid' as const;
  readonly capabilities = { cbor: true, msg: false, wink: false };
  readonly requests: RecordedRequest[] = [];

  constructor(
    private readonly info: CborMap,
    private readonly respond: Responder,
  ) {}

  async transact(_command: number, data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    if (options.signal?.aborted) throw new Error('aborted');
    const command = data[0]!;
    const body = data.slice(1);
    if (command === Ctap2Command.GET_INFO) return withStatus(0, this.info);
    const request: RecordedRequest = { command, body, params: body.length > 0 ? decodeMap(body) : undefined };
    this.requests.push(request);
    const reply = this.respond(request);
    return withStatus(reply.status ?? 0, reply.body);
  }

  async wink(): Promise<void> {}
  async close(): Promise<void> {}
}

function withStatus(status: number, body: CborMap | undefined): Uint8Array {
  const encoded = body ? encodeCanonical(body) : new Uint8Array(0);
  const out = new Uint8Array(1 + encoded.length);
  out[0] = status;
  out.set(encoded, 1);
  return out;
}

/** A getInfo response map (§6.4) with the given versions and options. */
export function infoMap(args: { versions: string[]; options: Record<string, boolean>; extra?: [number, CborValue][] }): CborMap {
  const map: CborMap = new Map<number, CborValue>([
    [0x01, args.versions],
    [0x03, new Uint8Array(16).fill(0xab)],
    [0x04, new Map(Object.entries(args.options))],
    [0x06, [2, 1]],
  ]);
  for (const [key, value] of args.extra ?? []) map.set(key, value);
  return map;
}

export const ctap21Info = (options: Record<string, boolean> = {}, extra: [number, CborValue][] = []): CborMap =>
  infoMap({
    versions: ['FIDO_2_0', 'FIDO_2_1'],
    options: { clientPin: true, pinUvAuthToken: true, credMgmt: true, ...options },
    extra,
  });

export const ctap21PreInfo = (options: Record<string, boolean> = {}): CborMap =>
  infoMap({ versions: ['FIDO_2_0', 'FIDO_2_1_PRE'], options: { clientPin: true, credentialMgmtPreview: true, ...options } });

/** A token with known bytes, so tests can recompute pinUvAuthParam independently. */
export function fixedToken(args: { version: 1 | 2; permissions?: number; legacy?: boolean; fill?: number }): PinUvAuthToken {
  const token = new Uint8Array(32).fill(args.fill ?? 0x11);
  return {
    protocol: args.version === 2 ? new PinProtocolV2() : new PinProtocolV1(),
    token,
    permissions: args.permissions ?? Permission.cm,
    legacy: args.legacy ?? false,
    dispose: () => token.fill(0),
  };
}

/** Byte concatenation for building expected MAC inputs (noble's, re-exported for the tests). */
export { concatBytes } from '@noble/hashes/utils.js';

// ── scripted prompts ─────────────────────────────────────────────────────────────────────────

export interface PromptLog {
  pins: PinRequest[];
  confirms: ConfirmRequest[];
  touches: TouchRequest[];
  progress: ProgressEvent[];
}

/**
 * UserPrompts that answer from a script: PINs in order (the last one repeats), one confirm answer
 * for every question, and a log of everything shown.
 */
export function scriptedPrompts(
  script: { pins?: string[]; confirm?: boolean; onTouch?: (request: TouchRequest) => void } = {},
): UserPrompts & { log: PromptLog } {
  const pins = [...(script.pins ?? [])];
  const log: PromptLog = { pins: [], confirms: [], touches: [], progress: [] };
  return {
    log,
    async pin(request) {
      log.pins.push(request);
      const pin = pins.length > 1 ? pins.shift() : pins[0];
      if (pin === undefined) throw new Error('The test script has no PIN to give.');
      return pin;
    },
    async confirm(request) {
      log.confirms.push(request);
      return script.confirm ?? true;
    },
    touch(request) {
      log.touches.push(request);
      script.onTouch?.(request);
      return () => {};
    },
    reinsert() {
      return () => {};
    },
    progress(event) {
      log.progress.push(event);
    },
  };
}

// ── the virtual key through the production HID transport ─────────────────────────────────────

export interface VirtualHarness {
  key: VirtualKey;
  session: Ctap2Session;
  /** Every CTAP2 request the session sent (command bytes), in order. */
  sent: number[];
  /** Closes the transport; rejects if the virtual key hit an internal error meanwhile. */
  close(): Promise<void>;
}

/**
 * VirtualKey.create → CtapHidTransport.open(key.openHid()) → Ctap2Session, optionally with a PIN
 * set through the production clientPIN code. `sent` starts empty after the setup.
 */
export async function openVirtualKey(options: VirtualKeyOptions & { pin?: string }): Promise<VirtualHarness> {
  const { pin, ...keyOptions } = options;
  // A handler bug makes the key answer CTAP1_ERR_OTHER; keep it and fail the test on close.
  const internalErrors: unknown[] = [];
  const key = VirtualKey.create({ ...keyOptions, onInternalError: (error) => internalErrors.push(error) });
  const transport = await CtapHidTransport.open(key.openHid());
  const sent: number[] = [];
  const session = new Ctap2Session(transport, {
    onTrace: (event: TraceEvent) => {
      if (event.direction === 'request') sent.push(event.command);
    },
  });
  if (pin !== undefined) await new ClientPin(session).setPin(pin);
  session.invalidateInfo();
  sent.length = 0;
  return {
    key,
    session,
    sent,
    async close() {
      await transport.close();
      if (internalErrors.length > 0) throw internalErrors[0];
    },
  };
}

let created = 0;

/** A discoverable ES256 credential with a real P-256 key, as makeCredential would store it. */
export function storedCredential(args: { rpId: string; rpName?: string | null; user: string; credProtect?: number; largeBlobKey?: boolean }): StoredCredential {
  created += 1;
  return {
    id: randomBytes(32),
    rpId: args.rpId,
    rpName: args.rpName === undefined ? `${args.rpId} (site)` : args.rpName,
    userId: new TextEncoder().encode(`id:${args.user}`),
    userName: args.user,
    userDisplayName: `Display ${args.user}`,
    privateKey: p256.utils.randomSecretKey(),
    signCount: 0,
    credProtect: args.credProtect ?? 1,
    largeBlobKey: args.largeBlobKey ? randomBytes(32) : null,
    discoverable: true,
    createdAt: created,
  };
}
