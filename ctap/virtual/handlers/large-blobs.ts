/**
 * The virtual key's authenticatorLargeBlobs (0x0C) — CTAP 2.1 §6.10.2, step by step: reads of at
 * most maxFragmentLength (maxMsgSize − 64) bytes from any offset up to the array's end; writes in
 * fragments at exactly the expected next offset, the total length announced on the first, each
 * fragment MACed with an `lbw` token when the key is protected by a PIN or built-in UV, and the
 * array replaced only once the last byte is in and its hash holds (INTEGRITY_FAILURE otherwise,
 * keeping the old array). A half-written array lives only in volatile power-up state.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { equalBytes } from '../../bytes.js';
import { Permission } from '../../ctap2/client-pin.js';
import { Ctap2Command } from '../../ctap2/commands.js';
import { LARGE_BLOB_HASH_LENGTH, LargeBlobsRequestKey, LargeBlobsResponseKey } from '../../ctap2/large-blobs.js';
import { CtapStatus } from '../../status.js';
import { StatusError, optionalParam, type CommandContext, type CommandHandler } from './context.js';
import { hasBuiltInUv } from './make-credential.js';
import { verifyPinUvAuthParam } from './token.js';

/** powerUp.pending kind of a write in progress (§6.10.2 expectedLength / expectedNextOffset). */
const PENDING_WRITE = 'large-blob-write';

interface PendingWrite {
  expectedLength: number;
  buffer: Uint8Array[];
  expectedNextOffset: number;
}

/** §6.10.2 step 4.b.iii: the smallest serialized array is one CBOR byte and the 16-byte hash. */
const MIN_ARRAY_LENGTH = LARGE_BLOB_HASH_LENGTH + 1;

export const handleLargeBlobs: CommandHandler = async (params, ctx) => {
  const get = optionalParam(params, LargeBlobsRequestKey.get, 'uint');
  const set = optionalParam(params, LargeBlobsRequestKey.set, 'bytes');
  const offset = optionalParam(params, LargeBlobsRequestKey.offset, 'uint');
  const length = optionalParam(params, LargeBlobsRequestKey.length, 'uint');
  // §6.10.2 steps 1–2: offset is required, and exactly one of get / set.
  if (offset === undefined) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'offset is missing');
  if ((get === undefined) === (set === undefined)) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'exactly one of get and set is needed');
  if (get !== undefined) return readFragment(ctx, { get, offset, length });
  writeFragment(ctx, {
    set: set!,
    offset,
    length,
    pinUvAuthParam: optionalParam(params, LargeBlobsRequestKey.pinUvAuthParam, 'bytes'),
    pinUvAuthProtocol: optionalParam(params, LargeBlobsRequestKey.pinUvAuthProtocol, 'uint'),
  });
  return undefined;
};

/** §6.10.2 step 3: up to `get` bytes from `offset`; reading needs no token. */
function readFragment(ctx: CommandContext, request: { get: number; offset: number; length: number | undefined }) {
  const array = ctx.state.largeBlobArray;
  if (request.length !== undefined) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'length goes with set only');
  if (request.get > maxFragmentLength(ctx)) throw new StatusError(CtapStatus.INVALID_LENGTH, 'get exceeds maxFragmentLength');
  if (request.offset > array.length) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'offset is beyond the array');
  return new Map([[LargeBlobsResponseKey.config, array.slice(request.offset, request.offset + request.get)]]);
}

/** §6.10.2 step 4. */
function writeFragment(
  ctx: CommandContext,
  request: { set: Uint8Array; offset: number; length: number | undefined; pinUvAuthParam: Uint8Array | undefined; pinUvAuthProtocol: number | undefined },
): void {
  const { set, offset, length } = request;
  if (set.length > maxFragmentLength(ctx)) throw new StatusError(CtapStatus.INVALID_LENGTH, 'set exceeds maxFragmentLength');
  let pending = pendingWrite(ctx);
  if (offset === 0) {
    if (length === undefined) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'the first fragment must carry length');
    if (length > (ctx.config.maxSerializedLargeBlobArray ?? 0)) throw new StatusError(CtapStatus.LARGE_BLOB_STORAGE_FULL);
    if (length < MIN_ARRAY_LENGTH) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'length is below 17 bytes');
    pending = { expectedLength: length, buffer: [], expectedNextOffset: 0 };
  } else if (length !== undefined) {
    throw new StatusError(CtapStatus.INVALID_PARAMETER, 'only the first fragment carries length');
  }
  if (!pending || offset !== pending.expectedNextOffset) throw new StatusError(CtapStatus.INVALID_SEQ, 'offset is not the expected next offset');
  // Step 4.e: a key protected by a PIN, built-in UV or alwaysUv wants every fragment MACed
  // with an lbw token over 32×0xff ‖ 0x0c 0x00 ‖ uint32LE(offset) ‖ SHA-256(set).
  if (ctx.state.pinHash !== null || hasBuiltInUv(ctx) || ctx.state.alwaysUv) {
    verifyPinUvAuthParam(ctx, {
      protocol: request.pinUvAuthProtocol,
      param: request.pinUvAuthParam,
      message: macMessage(offset, set),
      permission: Permission.lbw,
    });
  }
  if (offset + set.length > pending.expectedLength) throw new StatusError(CtapStatus.INVALID_PARAMETER, 'the fragment runs past length');
  // Steps 4.g–4.h: offset 0 starts a new buffer (kept in volatile state until complete).
  pending.buffer.push(set.slice());
  pending.expectedNextOffset += set.length;
  ctx.powerUp.pending = { kind: PENDING_WRITE, data: pending };
  if (pending.expectedNextOffset < pending.expectedLength) return;

  // Step 4.i: complete — keep it only if its trailing hash holds.
  ctx.powerUp.pending = null;
  const array = concatBytes(...pending.buffer);
  const body = array.subarray(0, array.length - LARGE_BLOB_HASH_LENGTH);
  if (!equalBytes(sha256(body).subarray(0, LARGE_BLOB_HASH_LENGTH), array.subarray(body.length))) {
    throw new StatusError(CtapStatus.INTEGRITY_FAILURE, 'the array hash does not match');
  }
  ctx.state.largeBlobArray = array;
  ctx.commit();
}

function pendingWrite(ctx: CommandContext): PendingWrite | null {
  const pending = ctx.powerUp.pending;
  return pending?.kind === PENDING_WRITE ? (pending.data as PendingWrite) : null;
}

/** §6.10.2: maxFragmentLength = maxMsgSize − 64. */
function maxFragmentLength(ctx: CommandContext): number {
  return ctx.config.maxMsgSize - 64;
}

/**
 * The bytes the platform MACed (§6.10.2 step 4.e.iv), built here from the spec rather than with
 * the platform's helper, so the conformance tests catch a platform that gets them wrong.
 */
function macMessage(offset: number, set: Uint8Array): Uint8Array {
  const offsetLe = new Uint8Array(4);
  new DataView(offsetLe.buffer).setUint32(0, offset, true);
  return concatBytes(new Uint8Array(32).fill(0xff), Uint8Array.of(Ctap2Command.LARGE_BLOBS, 0x00), offsetLe, sha256(set));
}
