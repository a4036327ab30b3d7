/**
 * skm's in-process side of the side-by-side benchmark: open the card on a PC/SC reader, getInfo,
 * a PIN token (cm), metadata, every RP and its credentials — the production transport and flow,
 * as `skm creds list` runs them — `repeat` times in one process. Prints one JSON line with the
 * time of each run (ms). The card itself is served by the parent (side-by-side.ts).
 * Usage: tsx test/bench/skm-list.ts REPEAT < pin (the reader is the vpcd slot's, SKM_VPCD_READER)
 */
import { createInterface } from 'node:readline';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { readerStatus, VPCD_READER } from '../nfc/helpers/vpcd-slot.js';
import { answeringPrompts } from './measure.js';

const repeat = Number(process.argv[2]);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error('usage: skm-list.ts REPEAT < pin');
const pin = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const discovery = new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER });
// Connecting to the card can outlast discovery's settling on a loaded machine: wait for it.
const device = await readerStatus(discovery, 'ready');
const runsMs: number[] = [];
let passkeys = 0;
for (let i = 0; i < repeat; i++) {
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
}
await discovery.close();
process.stdout.write(`${JSON.stringify({ passkeys, runsMs })}\n`);
process.exit(0);
