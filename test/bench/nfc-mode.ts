/**
 * One NFC benchmark run in its own process (the transport remembers per reader whether extended
 * APDUs work, so the two encodings must not share a process). Prints one JSON line of rows.
 * Usage: tsx test/bench/nfc-mode.ts extended|short
 */
import { ClientPin } from '../../ctap/ctap2/client-pin.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import { changePin } from '../../ctap/flows/manage-pin.js';
import type { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { storedCredential } from '../flows/manage-helpers.js';
import { makeCard } from '../nfc/helpers/virtual-card.js';
import { tapCard, VPCD_READER } from '../nfc/helpers/vpcd-slot.js';
import { answeringPrompts, timed } from './measure.js';

const mode = process.argv[2];
if (mode !== 'extended' && mode !== 'short') throw new Error('usage: nfc-mode.ts extended|short');

const PIN = '493817';
const discovery = new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER });
const fixture = makeCard({ preset: 'ctap21', acceptExtended: mode === 'extended' });
for (let i = 0; i < 50; i++) fixture.state.credentials.push(storedCredential({ rpId: `rp${i % 10}.example`, user: `user${i}` }));
const tapped = await tapCard(discovery, fixture.card);
const rows: { operation: string; apdus: number; wallMs: number }[] = [];
try {
  const transport = (await tapped.device.open()) as CtapNfcTransport;
  const session = new Ctap2Session(transport);
  const measure = async (operation: string, run: () => Promise<unknown>) => {
    const before = transport.stats.apdus;
    const t = await timed(run);
    rows.push({ operation, apdus: transport.stats.apdus - before, wallMs: t.wallMs });
  };
  await session.getInfo(); // the extended-APDU probe happens here, once per reader
  await measure('getInfo', () => session.getInfo({ refresh: true }));
  await new ClientPin(session).setPin(PIN);
  await session.getInfo();
  await measure('PIN change (flow)', () => changePin({ session, prompts: answeringPrompts([PIN, '720581']) }));
  await session.getInfo();
  await measure('list 50 passkeys over 10 RPs (flow)', async () => {
    const outcome = await listPasskeys({ session, prompts: answeringPrompts(['720581']) });
    if (outcome.outcome !== 'listed' || outcome.passkeys.length !== 50) throw new Error(`listing failed: ${outcome.outcome}`);
  });
  await transport.close();
} finally {
  await tapped.lift();
  await discovery.close();
}
process.stdout.write(`${JSON.stringify(rows)}\n`);
process.exit(0);
