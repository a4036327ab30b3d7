// Runs `skm` in-process with captured stdio and no hardware discovery (tests must never depend on
// a real key or on pcscd). Not a test file itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { run } from '../../main/cli/skm.js';
import type { RunOverrides } from '../../main/cli/context.js';

export interface SkmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function skm(argv: string[], options: { stdin?: string; overrides?: RunOverrides } = {}): Promise<SkmResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin, 'utf8')]);
  const code = await run(argv, { stdin, stdout, stderr, env: {}, isTTY: false }, { hardwareSources: () => [], ...options.overrides });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export function parseJson<T>(result: SkmResult): T {
  return JSON.parse(result.stdout) as T;
}

export interface JsonError {
  error: { code: string; message: string; nextStep?: string; details?: string; retries?: number; devices?: { id: string; name: string }[] };
}

export async function tempDir(): Promise<{ dir: string; file: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'skm-test-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The state file as JSON (what the next `skm --virtual FILE` will load). */
export async function readState(path: string): Promise<{ preset: string; state: { pinHash: string | null; pinRetries: number; minPinLength: number } }> {
  return JSON.parse(await readFile(path, 'utf8')) as { preset: string; state: { pinHash: string | null; pinRetries: number; minPinLength: number } };
}

/** §6.5.5.5: what the key stores for a PIN: LEFT(SHA-256(pin), 16), hex. */
export function pinHashHex(pin: string): string {
  return bytesToHex(sha256(utf8ToBytes(pin)).slice(0, 16));
}
