/**
 * NFC benchmarks through the real PC/SC stack (nfc-pcsc → pcscd → vpcd → virtual card): APDUs
 * and wall time per operation with extended APDUs and with short-APDU chaining.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt } from './measure.js';

interface Row {
  operation: string;
  apdus: number;
  wallMs: number;
}

function runMode(mode: 'extended' | 'short'): Row[] {
  const script = fileURLToPath(new URL('./nfc-mode.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Row[];
}

export async function nfcBenchmarks(print: (line: string) => void): Promise<void> {
  print('### NFC through pcscd + vpcd (virtual card)');
  let extended: Row[];
  let short: Row[];
  try {
    extended = runMode('extended');
    short = runMode('short');
  } catch (error) {
    print(`skipped: the PC/SC stack is not available (${(error as Error).message.split('\n')[0]}); run .ci/pcscd.sh`);
    print('');
    return;
  }
  print('| operation | APDUs (extended) | wall ms (extended) | APDUs (short, chained) | wall ms (short, chained) |');
  print('|---|---|---|---|---|');
  extended.forEach((row, i) => {
    const other = short[i]!;
    print(`| ${row.operation} | ${row.apdus} | ${fmt(row.wallMs, 1)} | ${other.apdus} | ${fmt(other.wallMs, 1)} |`);
  });
  print('');
}
