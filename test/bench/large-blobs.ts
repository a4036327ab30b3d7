/**
 * Large-blob listing cost: reading the array (ceil((size + 1) / maxFragmentLength) largeBlobs
 * requests at maxMsgSize 1200) plus the passkey listing that yields the largeBlobKeys, and the
 * trial decryptions of attribution (up to N × N AES-GCM opens for N passkeys and N entries),
 * with the virtual key's simulated USB timing off and at 1 ms per 64-byte report.
 */
import { Ctap2Command } from '../../ctap/ctap2/commands.js';
import { sealLargeBlob } from '../../ctap/ctap2/large-blob-entry.js';
import { serializeLargeBlobArray } from '../../ctap/ctap2/large-blobs.js';
import { listLargeBlobs } from '../../ctap/flows/manage-large-blobs.js';
import { handleLargeBlobs } from '../../ctap/virtual/handlers/large-blobs.js';
import { storedCredential } from '../flows/manage-helpers.js';
import { answeringPrompts, fmt, openHidBench, timed } from './measure.js';

const PIN = '493817';
/** Room for 100 entries of ~200 bytes; the spec's 1024 is only the minimum a key must offer. */
const MAX_ARRAY = 64 * 1024;

async function listOnce(passkeys: number, reportLatencyMs: number) {
  const bench = await openHidBench({ pin: PIN, config: { reportLatencyMs, credentialSlots: Math.max(100, passkeys), maxSerializedLargeBlobArray: MAX_ARRAY } });
  let largeBlobRequests = 0;
  const credentials = Array.from({ length: passkeys }, (_, i) => storedCredential({ rpId: `rp${i % 10}.example`, user: `user${i}`, largeBlobKey: true }));
  bench.key.state.credentials.push(...credentials);
  // Entries in reverse order of the passkeys, so attribution cannot win by position.
  const entries = credentials.map((c, i) => sealLargeBlob(c.largeBlobKey!, new TextEncoder().encode(`ssh certificate #${i} `.repeat(8)))).reverse();
  bench.key.state.largeBlobArray = serializeLargeBlobArray(entries);
  await bench.session.getInfo();
  bench.reset();
  bench.key.authenticator.registerHandler(Ctap2Command.LARGE_BLOBS, (params, ctx) => {
    largeBlobRequests++;
    return handleLargeBlobs(params, ctx);
  });
  const t = await timed(() => listLargeBlobs({ session: bench.session, prompts: answeringPrompts([PIN]) }));
  if (t.value.outcome !== 'listed' || t.value.passkeys.some((p) => p.blob.state !== 'stored')) throw new Error(`listing failed: ${t.value.outcome}`);
  const result = { ...bench.counters, largeBlobRequests, arrayBytes: bench.key.state.largeBlobArray.length, wallMs: t.wallMs, cpuMs: t.cpuMs };
  await bench.close();
  return result;
}

export async function largeBlobBenchmarks(print: (line: string) => void): Promise<void> {
  print('### Listing large blobs with their passkeys (USB HID, virtual key, maxMsgSize 1200)');
  print('| passkeys = entries N | array bytes | CTAP transactions | of which largeBlobs reads | wall ms (no latency) | CPU ms | wall ms (1 ms/report) |');
  print('|---|---|---|---|---|---|---|');
  for (const n of [1, 10, 25, 50, 100]) {
    const fast = await listOnce(n, 0);
    const slow = await listOnce(n, 1);
    print(`| ${n} | ${fast.arrayBytes} | ${fast.transactions} | ${fast.largeBlobRequests} | ${fmt(fast.wallMs, 0)} | ${fmt(fast.cpuMs, 0)} | ${fmt(slow.wallMs, 0)} |`);
  }
  print('');
  print('The rest of the transactions are the passkey listing (getPINRetries, key agreement, token,');
  print('metadata, R RP and C credential answers). Attribution is up to N × N trial AES-GCM opens on the');
  print('host. CPU ms counts host and simulated key together (one process); wall times grow with the');
  print('machine\'s load, the transaction counts do not.');
  print('');
}
