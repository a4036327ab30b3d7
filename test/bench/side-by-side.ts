/**
 * skm next to python-fido2 (Debian's python3-fido2 0.9.1) on the same simulated card through the
 * real PC/SC stack (pcscd + vsmartcard vpcd), listing 50 passkeys over 10 websites. Runs
 * alternate (skm, python, skm, …) so machine load hits both alike; medians and ratios are printed.
 * The card runs in this process, so it also counts what each side sends it: CTAP commands and
 * APDUs, exactly.
 *
 * SKM_BENCH_BIN=path/to/skm.mjs measures another build (an older one, for before/after figures);
 * SKM_BENCH_NODE=path/to/node runs skm (and the bare `node -e 0`) on another Node, for example the
 * Node 22 that `engines` asks for, where skm's compile cache applies. The in-process listing
 * always runs on this process's Node.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { Ctap2Session } from '../../ctap/ctap2/session.js';
import { listPasskeys } from '../../ctap/flows/manage-credentials.js';
import type { ApduConnection } from '../../ctap/transport/nfc/apdu.js';
import { CtapNfcTransport } from '../../ctap/transport/nfc/nfc-transport.js';
import { PcscDiscovery } from '../../ctap/transport/nfc/pcsc.js';
import { storedCredential } from '../flows/manage-helpers.js';
import { makeCard, type CardFixture } from '../nfc/helpers/virtual-card.js';
import { pcscdReachable, tapCard, VPCD_READER } from '../nfc/helpers/vpcd-slot.js';
import { answeringPrompts, fmt, median } from './measure.js';

const PYTHON = '/usr/bin/python3';
const NODE = process.env.SKM_BENCH_NODE ?? process.execPath;
const PIN = '493817';
const PASSKEYS = 50;
const SITES = 10;
const WHOLE_RUNS = 9;
const STARTUP_RUNS = 15;
/** In-process: ROUNDS alternating processes per side, each listing REPEAT times. */
const ROUNDS = 3;
const REPEAT = 5;
const MEMORY_RUNS = 3;
/** SELECTs back to back per side, for the PC/SC round trip alone. */
const RTT_SELECTS = 500;
/** Listings against a card in this process (no PC/SC): warm-up, then measured. */
const DIRECT_WARM_UP = 30;
const DIRECT_RUNS = 15;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

interface Ran {
  /** performance.now() at spawn. */
  startedAt: number;
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a process to its end without blocking this event loop (the card answers from here). */
function run(command: string, args: string[], stdin = ''): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ startedAt: start, ms: performance.now() - start, code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function ok(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}: ${`${ran.stdout}${ran.stderr}`.trim().slice(0, 600)}`);
  return ran;
}

/** Why the comparison cannot run here, or null. python-fido2 is installed from Debian when missing. */
async function unavailable(): Promise<string | null> {
  if (!(await pcscdReachable())) return 'pcscd is not reachable (run .ci/pcscd.sh)';
  const hasFido2 = () => spawnSync(PYTHON, ['-c', 'import fido2.pcsc, smartcard'], { stdio: 'ignore' }).status === 0;
  if (!hasFido2() && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    spawnSync('/usr/bin/apt-get', ['install', '-y', '-qq', 'python3-fido2', 'python3-pyscard'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (!hasFido2()) return `python-fido2 is not available to ${PYTHON} (apt-get install python3-fido2 python3-pyscard)`;
  return null;
}

async function skmBundle(): Promise<string> {
  const given = process.env.SKM_BENCH_BIN;
  if (given) return given;
  const bundle = here('../../dist/skm.mjs');
  if (!existsSync(bundle)) {
    const { buildCli } = (await import('../../main/cli/build.mjs')) as { buildCli: () => Promise<string> };
    await buildCli();
  }
  return bundle;
}

/** What the card received, counted at the card. */
interface CardCounts {
  ctap: number;
  apdus: number;
  /** performance.now() when the first APDU (the SELECT) reached the card. */
  firstApduAt: number | null;
  /** While not null, the card's own time for each APDU (ms), from its arrival to its answer. */
  busyMs: number[] | null;
}

function countAtCard(fixture: CardFixture): CardCounts {
  const counts: CardCounts = { ctap: 0, apdus: 0, firstApduAt: null, busyMs: null };
  const process = fixture.card.process.bind(fixture.card);
  fixture.card.process = async (bytes) => {
    counts.apdus += 1;
    const arrived = performance.now();
    counts.firstApduAt ??= arrived;
    const answer = await process(bytes);
    counts.busyMs?.push(performance.now() - arrived);
    return answer;
  };
  const handle = fixture.authenticator.handle.bind(fixture.authenticator);
  fixture.authenticator.handle = (request, io) => {
    counts.ctap += 1;
    return handle(request, io);
  };
  return counts;
}

/** One side's in-process figures: each listing, and per APDU (ms). */
interface InProcessTimes {
  runsMs: number[];
  transmitMs: number[];
  betweenMs: number[];
  cardMs: number[];
}

function inProcessTimes(): InProcessTimes {
  return { runsMs: [], transmitMs: [], betweenMs: [], cardMs: [] };
}

/** Time spent inside PC/SC transmits, per listing: the floor under a side's in-process listing. */
function transmitMsPerListing(times: InProcessTimes): number {
  return times.transmitMs.reduce((total, ms) => total + ms, 0) / times.runsMs.length;
}

/** The JSON object a measuring script prints as its last line. */
function lastJsonLine<T>(ran: Ran): T {
  return JSON.parse(ran.stdout.trim().split('\n').pop()!) as T;
}

/** A card holding the benchmark's PIN and passkeys. */
function listingCard(): CardFixture {
  const fixture = makeCard({ preset: 'ctap21' });
  fixture.state.pinHash = sha256(utf8ToBytes(PIN)).slice(0, 16);
  fixture.state.pinLength = PIN.length;
  for (let i = 0; i < PASSKEYS; i++) fixture.state.credentials.push(storedCredential({ rpId: `rp${i % SITES}.example`, user: `user${i}` }));
  return fixture;
}

/**
 * skm's own time per APDU for the listing, with the card called directly in this process: no
 * PC/SC, no threads, no other process to wait for. Wall time minus the card's share, warm.
 */
async function hostMsPerApduDirect(): Promise<number[]> {
  const fixture = listingCard();
  fixture.card.powerOn();
  let cardMs = 0;
  let apdus = 0;
  const connection: ApduConnection = {
    name: 'in-process card',
    async transmit(apdu) {
      const start = performance.now();
      const answer = await fixture.card.process(apdu);
      cardMs += performance.now() - start;
      apdus += 1;
      return answer;
    },
    async close() {},
  };
  const perApdu: number[] = [];
  for (let i = 0; i < DIRECT_WARM_UP + DIRECT_RUNS; i++) {
    cardMs = 0;
    apdus = 0;
    const start = performance.now();
    const transport = await CtapNfcTransport.open(connection);
    const outcome = await listPasskeys({ session: new Ctap2Session(transport), prompts: { ...answeringPrompts([PIN]), showsRetries: false } });
    if (outcome.outcome !== 'listed') throw new Error(`in-process listing failed: ${outcome.outcome}`);
    if (i >= DIRECT_WARM_UP) perApdu.push((performance.now() - start - cardMs) / apdus);
  }
  return perApdu;
}

function maxRssMb(ran: Ran): number {
  const match = /maxrss=(\d+)/.exec(ran.stderr);
  if (!match) throw new Error(`no maxrss in: ${ran.stderr.slice(-200)}`);
  return Number(match[1]) / 1024;
}

export async function sideBySideBenchmarks(print: (line: string) => void): Promise<void> {
  print(`### Side by side: skm vs python-fido2, ${PASSKEYS} passkeys over ${SITES} websites on one simulated card (pcscd + vpcd)`);
  const skip = await unavailable();
  if (skip) {
    print(`skipped: ${skip}`);
    print('');
    return;
  }
  const bundle = await skmBundle();
  const fixture = listingCard();
  const counts = countAtCard(fixture);

  const skm = (args: string[], stdin = '') => run(NODE, [bundle, ...args], stdin);
  const skmList = ['--json', '--device', `nfc:${VPCD_READER}`, 'creds', 'list'];
  const pythonList = [here('./python_fido2_list.py'), VPCD_READER];
  const time = (command: string, args: string[], stdin = '') => run('/usr/bin/time', ['-f', 'maxrss=%M', command, ...args], stdin);

  const discovery = new PcscDiscovery({ readerFilter: (name) => name === VPCD_READER });
  const tapped = await tapCard(discovery, fixture.card);
  const load = () => (spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout ?? '').split(' ').slice(0, 3).join(' ');
  const loadBefore = load();
  try {
    // Both must list the same passkeys; this also powers the card up and warms the page cache.
    // The first connection after a tap may outlast skm's 1.5 s PC/SC discovery on a loaded machine.
    let first = await skm(skmList, `${PIN}\n`);
    for (let retry = 0; retry < 2 && first.code !== 0; retry++) first = await skm(skmList, `${PIN}\n`);
    const skmOut = JSON.parse(ok(first, 'skm').stdout) as unknown[];
    const pyOut = JSON.parse(ok(await run(PYTHON, pythonList, `${PIN}\n`), 'python-fido2').stdout) as unknown[];
    if (skmOut.length !== PASSKEYS || pyOut.length !== PASSKEYS) throw new Error(`listed ${skmOut.length} (skm) and ${pyOut.length} (python-fido2) passkeys, expected ${PASSKEYS}`);

    const perSide = async (runOnce: () => Promise<Ran>, what: string): Promise<CardCounts> => {
      counts.ctap = 0;
      counts.apdus = 0;
      ok(await runOnce(), what);
      return { ...counts };
    };
    const skmCounts = await perSide(() => skm(skmList, `${PIN}\n`), 'skm');
    const pyCounts = await perSide(() => run(PYTHON, pythonList, `${PIN}\n`), 'python-fido2');

    const whole = { skm: [] as number[], py: [] as number[] };
    const firstApdu = { skm: [] as number[], py: [] as number[] };
    const timed = async (side: 'skm' | 'py', runOnce: () => Promise<Ran>, what: string): Promise<void> => {
      counts.firstApduAt = null;
      const ran = ok(await runOnce(), what);
      whole[side].push(ran.ms);
      if (counts.firstApduAt !== null) firstApdu[side].push(counts.firstApduAt - ran.startedAt);
    };
    for (let i = 0; i < WHOLE_RUNS; i++) {
      await timed('skm', () => skm(skmList, `${PIN}\n`), 'skm');
      await timed('py', () => run(PYTHON, pythonList, `${PIN}\n`), 'python-fido2');
    }

    const inProcess = { skm: inProcessTimes(), py: inProcessTimes() };
    const inProcessRun = async (side: 'skm' | 'py', runOnce: () => Promise<Ran>, what: string): Promise<void> => {
      counts.busyMs = inProcess[side].cardMs;
      const ran = ok(await runOnce(), what);
      counts.busyMs = null;
      const times = lastJsonLine<{ runsMs: number[]; transmitMs: number[]; betweenMs: number[] }>(ran);
      inProcess[side].runsMs.push(...times.runsMs);
      inProcess[side].transmitMs.push(...times.transmitMs);
      inProcess[side].betweenMs.push(...times.betweenMs);
    };
    for (let i = 0; i < ROUNDS; i++) {
      await inProcessRun('skm', () => run(process.execPath, ['--import', 'tsx', here('./skm-list.ts'), String(REPEAT)], `${PIN}\n`), 'skm in-process');
      await inProcessRun('py', () => run(PYTHON, [...pythonList, '--repeat', String(REPEAT)], `${PIN}\n`), 'python-fido2 in-process');
    }
    const rtt = {
      skm: lastJsonLine<{ rttUs: number[] }>(ok(await run(process.execPath, ['--import', 'tsx', here('./skm-list.ts'), '--rtt', String(RTT_SELECTS)]), 'skm round trips')).rttUs,
      py: lastJsonLine<{ rttUs: number[] }>(ok(await run(PYTHON, [...pythonList, '--rtt', String(RTT_SELECTS)]), 'python-fido2 round trips')).rttUs,
    };
    const direct = await hostMsPerApduDirect();

    const startup = { skm: [] as number[], node: [] as number[], py: [] as number[] };
    for (let i = 0; i < STARTUP_RUNS; i++) {
      startup.skm.push(ok(await skm(['--version']), 'skm --version').ms);
      startup.node.push(ok(await run(NODE, ['-e', '0']), 'node -e 0').ms);
      startup.py.push(ok(await run(PYTHON, ['-c', 'import fido2.pcsc']), 'python3 -c "import fido2.pcsc"').ms);
    }

    const memory = { skm: [] as number[], py: [] as number[], version: [] as number[], node: [] as number[] };
    for (let i = 0; i < MEMORY_RUNS; i++) {
      memory.skm.push(maxRssMb(ok(await time(NODE, [bundle, ...skmList], `${PIN}\n`), 'skm (time)')));
      memory.py.push(maxRssMb(ok(await time(PYTHON, pythonList, `${PIN}\n`), 'python-fido2 (time)')));
      memory.version.push(maxRssMb(ok(await time(NODE, [bundle, '--version']), 'skm --version (time)')));
      memory.node.push(maxRssMb(ok(await time(NODE, ['-e', '0']), 'node -e 0 (time)')));
    }

    const ratio = (a: number[], b: number[]) => `${fmt(median(a) / median(b))}×`;
    const nodeVersion = NODE === process.execPath ? process.version : spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
    print(`skm: ${bundle.replace(here('../../'), '')} (node ${nodeVersion}; the in-process listing on ${process.version}); python-fido2 through ${PYTHON}; load average ${loadBefore} before, ${load()} after.`);
    print('');
    print('| measure | skm | python-fido2 | ratio skm / python |');
    print('|---|---|---|---|');
    print(`| whole process: \`skm --json creds list\` vs python_fido2_list.py, median of ${WHOLE_RUNS} alternating | ${fmt(median(whole.skm), 0)} ms | ${fmt(median(whole.py), 0)} ms | ${ratio(whole.skm, whole.py)} |`);
    print(`| time to first command: spawn to the SELECT reaching the card, median of ${WHOLE_RUNS} | ${fmt(median(firstApdu.skm), 0)} ms | ${fmt(median(firstApdu.py), 0)} ms | ${ratio(firstApdu.skm, firstApdu.py)} |`);
    print(`| in-process listing (open card, getInfo, token, metadata, RPs, credentials), median of ${ROUNDS * REPEAT} | ${fmt(median(inProcess.skm.runsMs), 1)} ms | ${fmt(median(inProcess.py.runsMs), 1)} ms | ${ratio(inProcess.skm.runsMs, inProcess.py.runsMs)} |`);
    print(`| peak RSS, whole process (max of ${MEMORY_RUNS}) | ${fmt(Math.max(...memory.skm), 1)} MB | ${fmt(Math.max(...memory.py), 1)} MB | ${fmt(Math.max(...memory.skm) / Math.max(...memory.py))}× |`);
    print(`| CTAP commands for the listing (at the card; getInfo included) | ${skmCounts.ctap} | ${pyCounts.ctap} | minimum C + R + 4 = ${PASSKEYS + SITES + 4} |`);
    print(`| APDUs for the listing (at the card; SELECT included) | ${skmCounts.apdus} | ${pyCounts.apdus} | |`);
    print('');
    const { skm: skmTimes, py: pyTimes } = inProcess;
    print(`Where the in-process time goes, per APDU (medians over ${skmTimes.transmitMs.length} and ${pyTimes.transmitMs.length} APDUs):`);
    print('');
    print('| per APDU | skm | python-fido2 | ratio skm / python |');
    print('|---|---|---|---|');
    print(`| host's own work between an answer and the next command (measured by the client) | ${fmt(median(skmTimes.betweenMs), 3)} ms | ${fmt(median(pyTimes.betweenMs), 3)} ms | ${ratio(skmTimes.betweenMs, pyTimes.betweenMs)} |`);
    print(`| inside the PC/SC transmit, command out to answer in (measured by the client) | ${fmt(median(skmTimes.transmitMs), 3)} ms | ${fmt(median(pyTimes.transmitMs), 3)} ms | ${ratio(skmTimes.transmitMs, pyTimes.transmitMs)} |`);
    print(`| of which the card's own work (measured at the card) | ${fmt(median(skmTimes.cardMs), 3)} ms | ${fmt(median(pyTimes.cardMs), 3)} ms | |`);
    print(`| skm's own work with the card called directly in this process (no PC/SC, no threads), median of ${DIRECT_RUNS} warm listings | ${fmt(median(direct) * 1000, 0)} µs | | |`);
    print(`| PC/SC round trip with a card that answers at once: ${RTT_SELECTS} SELECTs back to back (skm: its production connection; python: pyscard) | ${fmt(median(rtt.skm), 0)} µs | ${fmt(median(rtt.py), 0)} µs | ${ratio(rtt.skm, rtt.py)} |`);
    print('');
    // No host code can make a listing shorter than its transmits; the binding decides this floor.
    print(`Time inside PC/SC transmits per listing (their sum, mean over the listings): skm ${fmt(transmitMsPerListing(skmTimes), 1)} ms, python-fido2 ${fmt(transmitMsPerListing(pyTimes), 1)} ms. skm's in-process listing cannot be shorter than its ${fmt(transmitMsPerListing(skmTimes), 1)} ms: ${fmt(transmitMsPerListing(skmTimes) / median(pyTimes.runsMs))}× python-fido2's whole listing (@pokusew/pcsclite runs each SCardTransmit on libuv's thread pool and answers through the event loop; pyscard calls it on the calling thread).`);
    print('');
    print('| start-up, median of ' + STARTUP_RUNS + ' alternating | ms | ratio to `node -e 0` |');
    print('|---|---|---|');
    print(`| \`node -e 0\` | ${fmt(median(startup.node), 0)} | 1.00× |`);
    print(`| \`skm --version\` | ${fmt(median(startup.skm), 0)} | ${ratio(startup.skm, startup.node)} |`);
    print(`| \`python3 -c "import fido2.pcsc"\` | ${fmt(median(startup.py), 0)} | ${ratio(startup.py, startup.node)} |`);
    print(`| peak RSS \`skm --version\` / \`node -e 0\` | ${fmt(Math.max(...memory.version), 1)} MB / ${fmt(Math.max(...memory.node), 1)} MB | |`);
    print('');
  } finally {
    await tapped.lift();
    await discovery.close();
  }
  if (fixture.internalErrors.length > 0) throw fixture.internalErrors[0];
}
