/**
 * The thin driver over fast-check: runs every target's share of the cases, counts what happened,
 * and never stops at the first finding (a report of all crashes is worth more than one shrunk
 * example). A case passes when the parser returns or throws a FidoError (the typed errors of
 * ctap/errors.ts) within the time bound; anything else thrown is a crash, anything slower a hang.
 * @module
 */
import fc from 'fast-check';
import { FidoError } from '../../ctap/errors.js';
import { recordCorpus, type Corpus } from './corpus.js';
import { hostileInputs, jsonFieldSwap } from './mutations.js';
import { fuzzTargets, type FuzzTarget } from './targets.js';

export interface Finding {
  target: string;
  /** The input, hex, cut to 256 bytes for the report. */
  input: string;
  inputLength: number;
  error: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  perTarget: Record<string, number>;
  /** Wall time per target, generation included. */
  targetMs: Record<string, number>;
  crashes: Finding[];
  crashCount: number;
  hangs: Finding[];
  hangCount: number;
  /** The case that used the most CPU. */
  slowest: { target: string; ms: number; cpuMs: number; inputLength: number; input: string } | null;
  wallMs: number;
}

export interface FuzzOptions {
  totalCases: number;
  seed: number;
  /**
   * A case that uses more CPU than this is a hang — or more than ten times this in wall time
   * (a case that waits forever uses no CPU). CPU time, because on a shared machine wall time
   * also counts the time other processes had the cores.
   */
  timeBoundMs?: number;
  /** Called every ~10 000 cases with the cases run so far. */
  onProgress?: (cases: number) => void;
  /** Replace the targets (to check the driver itself); default every parser in targets.ts. */
  targets?: (corpus: Corpus) => FuzzTarget[];
}

const KEEP_FINDINGS = 20;

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes.subarray(0, 256)).toString('hex');

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const timeBoundMs = options.timeBoundMs ?? 1_000;
  const targets = (options.targets ?? fuzzTargets)(await recordCorpus());
  const totalWeight = targets.reduce((sum, t) => sum + t.weight, 0);
  const report: FuzzReport = {
    seed: options.seed,
    cases: 0,
    perTarget: {},
    targetMs: {},
    crashes: [],
    crashCount: 0,
    hangs: [],
    hangCount: 0,
    slowest: null,
    wallMs: 0,
  };

  const runCase = async (target: FuzzTarget, input: Uint8Array): Promise<void> => {
    const begin = performance.now();
    const cpuBefore = process.cpuUsage();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), timeBoundMs * 10);
    });
    let outcome: unknown;
    try {
      outcome = await Promise.race([Promise.resolve().then(() => target.run(input)), bound]);
    } catch (error) {
      outcome = error;
    } finally {
      clearTimeout(timer);
    }
    const ms = performance.now() - begin;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    report.cases += 1;
    report.perTarget[target.name] = (report.perTarget[target.name] ?? 0) + 1;
    if (report.cases % 10_000 === 0) options.onProgress?.(report.cases);
    if (!report.slowest || cpuMs > report.slowest.cpuMs) report.slowest = { target: target.name, ms, cpuMs, inputLength: input.length, input: hexOf(input) };
    const finding = (error: string): Finding => ({ target: target.name, input: hexOf(input), inputLength: input.length, error });
    if (outcome === 'hang' || cpuMs > timeBoundMs || ms > timeBoundMs * 10) {
      report.hangCount += 1;
      if (report.hangs.length < KEEP_FINDINGS) report.hangs.push(finding(`took ${Math.round(ms)} ms (${Math.round(cpuMs)} ms CPU)`));
    } else if (outcome instanceof Error && !(outcome instanceof FidoError)) {
      report.crashCount += 1;
      if (report.crashes.length < KEEP_FINDINGS) report.crashes.push(finding(`${outcome.name}: ${outcome.message}\n${outcome.stack?.split('\n').slice(1, 4).join('\n') ?? ''}`));
    }
  };

  for (const [index, target] of targets.entries()) {
    const targetStarted = Date.now();
    const numRuns = Math.max(1, Math.round((options.totalCases * target.weight) / totalWeight));
    const inputs = target.name === 'stateFile'
      ? fc.oneof({ arbitrary: hostileInputs(target.seeds, { structured: false }), weight: 1 }, { arbitrary: jsonFieldSwap(target.seeds), weight: 2 })
      : hostileInputs(target.seeds, { structured: target.structured });
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        await runCase(target, input);
        return true;
      }),
      { numRuns, seed: options.seed + index, endOnFailure: true },
    );
    report.targetMs[target.name] = Date.now() - targetStarted;
  }
  report.wallMs = Date.now() - started;
  return report;
}

/** The report as the lines `npm run fuzz` prints. */
export function formatReport(report: FuzzReport): string[] {
  const lines = [
    `fuzz: ${report.cases} cases (seed ${report.seed}) in ${(report.wallMs / 1000).toFixed(1)} s`,
    `  per target (cases, seconds): ${Object.entries(report.perTarget).map(([name, n]) => `${name} ${n} ${((report.targetMs[name] ?? 0) / 1000).toFixed(1)}`).join(', ')}`,
    `  crashes (untyped errors): ${report.crashCount}`,
    `  hangs: ${report.hangCount}`,
  ];
  if (report.slowest) {
    const { slowest } = report;
    lines.push(`  slowest input: ${slowest.cpuMs.toFixed(1)} ms CPU (${slowest.ms.toFixed(1)} ms wall), ${slowest.target}, ${slowest.inputLength} bytes: ${slowest.input.slice(0, 64)}…`);
  }
  for (const finding of [...report.crashes, ...report.hangs]) lines.push(`  ${finding.target} (${finding.inputLength} bytes) ${finding.error}\n    ${finding.input}`);
  return lines;
}
