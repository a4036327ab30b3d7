// A seeded sample of the fuzz campaign (`npm run fuzz` runs a million cases): every parser that
// reads outside bytes, fed mutated real responses, random bytes and structure-aware inputs, must
// return or throw a typed FidoError within the time bound.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../ctap/errors.js';
import { formatReport, runFuzz } from './driver.js';

describe('fuzz sample', () => {
  it('20 000 seeded cases: no untyped error, no hang', async () => {
    const report = await runFuzz({ totalCases: 20_000, seed: 20_261_201 });
    expect(report.cases).toBeGreaterThanOrEqual(20_000 - 12);
    expect(Object.keys(report.perTarget)).toHaveLength(12);
    expect(report.crashes, formatReport(report).join('\n')).toEqual([]);
    expect(report.hangs, formatReport(report).join('\n')).toEqual([]);
  }, 180_000);

  it('the driver reports untyped errors and hangs as findings (it can fail)', async () => {
    const report = await runFuzz({
      totalCases: 30,
      seed: 1,
      timeBoundMs: 50,
      targets: (corpus) => [
        { name: 'untyped', seeds: corpus.getInfo, weight: 1, structured: false, run: () => (null as unknown as { x: number }).x },
        { name: 'typed', seeds: corpus.getInfo, weight: 1, structured: false, run: () => { throw new ProtocolError('fine'); } },
        {
          name: 'slow',
          seeds: corpus.getInfo,
          weight: 1,
          structured: false,
          run: () => {
            // Burns 80 ms of CPU (past the bound), as a parser stuck in a loop would.
            const start = process.cpuUsage();
            const used = (): number => {
              const { user, system } = process.cpuUsage(start);
              return (user + system) / 1000;
            };
            while (used() < 80);
          },
        },
      ],
    });
    expect(report.crashCount).toBe(10);
    expect(report.crashes[0]!.error).toMatch(/^TypeError/);
    expect(report.hangCount).toBe(10);
    expect(report.hangs.every((h) => h.target === 'slow')).toBe(true);
  }, 60_000);
});
