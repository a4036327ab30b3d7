/** Spreadsheet formula guard for CSV cells (OWASP CSV injection) and its exact inverse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from '../../main/service/csv-formula.js';

describe('guardFormula', () => {
  it('prefixes an apostrophe to a cell beginning with = + - @ TAB or CR', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(guardFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(guardFormula('=HYPERLINK("https://evil.example","x")')).toBe(`'=HYPERLINK("https://evil.example","x")`);
  });

  it('leaves other text alone, formula characters later in the cell included', () => {
    for (const text of ['', 'Alice', 'a=b', ' =1', "'quoted", 'zoë', '\n=1']) expect(guardFormula(text)).toBe(text);
  });

  it('adds one more apostrophe to apostrophes before a formula character, so the guard can be undone', () => {
    expect(guardFormula("'=1")).toBe("''=1");
    expect(unguardFormula("''=1")).toBe("'=1");
    expect(unguardFormula("'quoted")).toBe("'quoted");
  });

  it('unguardFormula(guardFormula(x)) is x for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ') }), (text) => {
        expect(unguardFormula(guardFormula(text))).toBe(text);
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => unguardFormula(guardFormula(text)) === text));
  });
});
