/**
 * `npm run fuzz`: the full campaign (1 000 000 cases by default; FUZZ_CASES and FUZZ_SEED
 * override). Exits 1 when any case crashed or hung.
 * @module
 */
import { formatReport, runFuzz } from './driver.js';

const totalCases = Number(process.env.FUZZ_CASES ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const report = await runFuzz({ totalCases, seed, onProgress: (cases) => cases % 100_000 === 0 && console.log(`  … ${cases} cases`) });
for (const line of formatReport(report)) console.log(line);
process.exit(report.crashCount === 0 && report.hangCount === 0 ? 0 : 1);
