// Helpers for the key-management command tests (creds, bio, config, reset, select, wink, test):
// seed a simulated key's state file, read it back, and run `skm` as if on a terminal, answering
// prompts as they appear. Not a test file itself.
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { p256 } from '@noble/curves/nist.js';
import { run } from '../../main/cli/skm.js';
import { newState, parseStateFile, saveStateFile, type StoredCredential, type VirtualKeyState } from '../../ctap/virtual/state.js';
import type { SkmResult } from './helpers.js';

export const PIN = '135790';

/**
 * A random credential id whose base64url form does not start with "-": on a command line such
 * an id reads as an option unless it follows "--" (tested on its own in creds.test.ts).
 */
function credentialId(): Uint8Array {
  for (;;) {
    const id = randomBytes(32);
    if (Buffer.from(id).toString('base64url')[0] !== '-') return id;
  }
}

/** A discoverable credential as the simulated key stores it. */
export function passkey(args: { rpId: string; rpName?: string; user: string; displayName?: string; credProtect?: number; largeBlobKey?: boolean }): StoredCredential {
  return {
    id: credentialId(),
    rpId: args.rpId,
    rpName: args.rpName ?? null,
    userId: sha256(utf8ToBytes(`${args.rpId}/${args.user}`)).slice(0, 16),
    userName: args.user,
    userDisplayName: args.displayName ?? null,
    privateKey: p256.utils.randomSecretKey(),
    signCount: 0,
    credProtect: args.credProtect ?? 1,
    largeBlobKey: args.largeBlobKey ? randomBytes(32) : null,
    discoverable: true,
    createdAt: 0,
  };
}

/** Write a state file: a key of `preset` with this PIN (or none), passkeys and fingerprints. */
export async function seedKey(
  path: string,
  options: { preset: string; pin?: string | null; credentials?: StoredCredential[]; templates?: { id: string; name: string | null }[]; change?: (state: VirtualKeyState) => void },
): Promise<void> {
  const state = newState();
  const pin = options.pin === undefined ? PIN : options.pin;
  if (pin !== null) {
    state.pinHash = sha256(utf8ToBytes(pin)).slice(0, 16);
    state.pinLength = [...pin].length;
  }
  state.credentials.push(...(options.credentials ?? []));
  state.templates.push(...(options.templates ?? []).map((t) => ({ id: hexToBytes(t.id), friendlyName: t.name })));
  options.change?.(state);
  await saveStateFile(path, { preset: options.preset, state });
}

/** The state a later `skm --virtual FILE` loads (bytes as Uint8Array). */
export async function loadState(path: string): Promise<VirtualKeyState> {
  return parseStateFile(await readFile(path, 'utf8')).state;
}

/** WebAuthn's form of an id: unpadded base64url. */
export function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function hex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** One scripted answer: when stderr shows `when`, type `type` (include "\r" or "\n"). */
export interface Answer {
  when: RegExp;
  type: string;
}

/**
 * Run `skm` as on an interactive terminal (hidden PIN prompt in raw mode, y/N confirmations,
 * live progress). Each answer is typed once, in order, when its prompt appears on stderr.
 */
export async function skmOnTerminal(argv: string[], answers: Answer[]): Promise<SkmResult & { unanswered: number }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { setRawMode: (): boolean => true });
  const out: Buffer[] = [];
  let err = '';
  let consumed = 0;
  const pending = [...answers];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    const next = pending[0];
    if (next && next.when.test(err.slice(consumed))) {
      consumed = err.length;
      pending.shift();
      // Typed after the prompt has started listening (it writes the prompt first).
      setImmediate(() => stdin.write(next.type));
    }
  });
  const code = await run(argv, { stdin, stdout, stderr, env: {}, isTTY: true }, { hardwareSources: () => [] });
  stdin.end();
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err, unanswered: pending.length };
}
