/**
 * skm's in-process side of the side-by-side benchmark: open the card on a PC/SC reader, getInfo,
 * a PIN token (cm), metadata, every RP and its credentials — the production transport and flow,
 * as `skm creds list` runs them — `repeat` times in one process. Prints one JSON line with the
 * time of each run (ms), and per APDU: the time inside the PC/SC transmit (command out → answer
 * in) and the host's own time between an answer and the next command. The card itself is served
 * by the parent (side-by-side.ts), which times the card's share.
 * With --rtt N it instead sends N SELECTs back to back on the same connection and prints their
 * round trips (µs): the PC/SC path alone, with a card that answers at once.
 * Usage: tsx test/bench/skm-list.ts REPEAT < pin | tsx test/bench/skm-list.ts --rtt N
 * (the reader is the vpcd slot's, SKM_VPCD_READER)
 */
import { createInterface } from 'node:readline';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import { PcscConnection } from '../../ctap/transport/nfc/pcsc-connection.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { readerStatus, VPCD_READER } from '../nfc/helpers/vpcd-slot.js';
import { answeringPrompts } from './measure.js';

/** SELECT of the FIDO applet (CTAP 2.1 §11.3.3), as every NFC session starts. */
const SELECT_FIDO = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x08, 0xa0, 0x00, 0x00, 0x06, 0x47, 0x2f, 0x00, 0x01, 0x00]);
const RTT_WARM_UP = 50;

/** Every transmit on a PcscConnection in this process: when it was called and when it answered. */
const exchanges: { sent: number; answered: number }[] = [];
const transmit = PcscConnection.prototype.transmit;
PcscConnection.prototype.transmit = async function timedTransmit(this: PcscConnection, apdu, signal) {
  const sent = performance.now();
  const answer = await transmit.call(this, apdu, signal);
  exchanges.push({ sent, answered: performance.now() });
  return answer;
};

const rttIndex = process.argv.indexOf('--rtt');
const rttCount = rttIndex > 0 ? Number(process.argv[rttIndex + 1]) : 0;
const repeat = rttIndex > 0 ? 0 : Number(process.argv[2]);
if (rttIndex > 0 ? !Number.isInteger(rttCount) || rttCount < 1 : !Number.isInteger(repeat) || repeat < 1) {
  throw new Error('usage: skm-list.ts REPEAT < pin | skm-list.ts --rtt N');
}
const pin = rttIndex > 0 ? '' : await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const discovery = new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER });
// Connecting to the card can outlast discovery's settling on a loaded machine: wait for it.
const device = await readerStatus(discovery, 'ready');

if (rttIndex > 0) {
  const transport = await device.open();
  // The transport keeps its connection private; the benchmark reaches it to send raw APDUs.
  const connection = (transport as unknown as { connection: PcscConnection }).connection;
  for (let i = 0; i < RTT_WARM_UP; i++) await connection.transmit(SELECT_FIDO);
  exchanges.length = 0;
  for (let i = 0; i < rttCount; i++) await connection.transmit(SELECT_FIDO);
  await transport.close();
  await discovery.close();
  process.stdout.write(`${JSON.stringify({ rttUs: exchanges.map((e) => (e.answered - e.sent) * 1000) })}\n`);
  process.exit(0);
}

const runsMs: number[] = [];
const transmitMs: number[] = [];
const betweenMs: number[] = [];
let passkeys = 0;
for (let i = 0; i < repeat; i++) {
  exchanges.length = 0;
  const start = performance.now();
  const transport = await device.open();
  try {
    // The PIN comes from a pipe, as for `skm --json creds list < pin`: the tries left are not shown.
    const outcome = await listPasskeys({ session: new Ctap2Session(transport), prompts: { ...answeringPrompts([pin]), showsRetries: false } });
    if (outcome.outcome !== 'listed') throw new Error(`listing failed: ${outcome.outcome}`);
    passkeys = outcome.passkeys.length;
  } finally {
    await transport.close();
  }
  runsMs.push(performance.now() - start);
  exchanges.forEach((exchange, k) => {
    transmitMs.push(exchange.answered - exchange.sent);
    if (k > 0) betweenMs.push(exchange.sent - exchanges[k - 1]!.answered);
  });
}
await discovery.close();
process.stdout.write(`${JSON.stringify({ passkeys, runsMs, transmitMs, betweenMs })}\n`);
process.exit(0);
