// Random PINs are uniform over the alphabet: a chi-square test per position and over adjacent
// pairs, at a significance that a correct generator fails about once in a million runs. The same
// test catches the classic modulo bias (byte % 10), so it can fail.
import { describe, expect, it } from 'vitest';
import { ALPHABETS } from '../../main/service/provisioning/profile.js';
import { randomPin, type UniformInt } from '../../main/service/provisioning/random-pin.js';
import { seededDraw } from './fleet.js';

/** Wilson–Hilferty: the chi-square value with `df` degrees of freedom exceeded with probability ~1e-6. */
function critical(df: number): number {
  const z = 4.753;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

function chiSquare(counts: number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

/** Chi-square statistics of many PINs: each position's symbols, and pairs of neighbours. */
function statistics(alphabet: string, length: number, pins: number, draw?: UniformInt): { positions: number[]; overall: number; pairs: number } {
  const symbols = Array.from(alphabet);
  const index = new Map(symbols.map((s, i) => [s, i]));
  const n = symbols.length;
  const perPosition = Array.from({ length }, () => new Array<number>(n).fill(0));
  const pairCounts = new Array<number>(n * n).fill(0);
  for (let p = 0; p < pins; p += 1) {
    const pin = Array.from(randomPin({ length, alphabet }, draw));
    expect(pin.length).toBe(length);
    const at = pin.map((s) => index.get(s)!);
    at.forEach((symbol, i) => {
      const counts = perPosition[i]!;
      counts[symbol] = counts[symbol]! + 1;
      if (i > 0) {
        const pair = at[i - 1]! * n + symbol;
        pairCounts[pair] = pairCounts[pair]! + 1;
      }
    });
  }
  const overall = symbols.map((_, s) => perPosition.reduce((sum, counts) => sum + counts[s]!, 0));
  return {
    positions: perPosition.map((counts) => chiSquare(counts, pins)),
    overall: chiSquare(overall, pins * length),
    pairs: chiSquare(pairCounts, pins * (length - 1)),
  };
}

describe('random PINs', () => {
  it('are uniform over digits at every position and independent between neighbours', () => {
    const { positions, overall, pairs } = statistics(ALPHABETS.digits, 8, 20_000);
    for (const x of positions) expect(x).toBeLessThan(critical(9));
    expect(overall).toBeLessThan(critical(9));
    expect(pairs).toBeLessThan(critical(99));
  });

  it('are uniform over the alphanumeric alphabet too', () => {
    const { positions } = statistics(ALPHABETS.alphanumeric, 6, 20_000);
    for (const x of positions) expect(x).toBeLessThan(critical(61));
  });

  it('the test catches a generator with modulo bias', () => {
    // One byte mod 10: 0–5 come up 26 times in 256, 6–9 only 25. Bytes from a fixed seed.
    const byte = seededDraw(12345);
    const biased: UniformInt = (max) => byte(256) % max;
    const { overall } = statistics(ALPHABETS.digits, 8, 50_000, biased);
    expect(overall).toBeGreaterThan(critical(9));
  });
});
