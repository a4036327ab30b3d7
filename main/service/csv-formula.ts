/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a spreadsheet that opens a CSV file may
 * run a cell beginning with = + - @ TAB or CR as a formula (`=HYPERLINK(…)`, DDE). Text chosen
 * outside this app — website names, user names, display names, product and reader names,
 * labels — is written with a leading apostrophe then, which spreadsheets show as plain text. Ids,
 * numbers and dates are written exactly.
 *
 * A cell that already begins with apostrophes before such a character gets one more, so
 * `unguardFormula` gives back exactly the text that was guarded (the provisioning report is read
 * back on the next run).
 * @module
 */

const FORMULA_START = /^'*[=+\-@\t\r]/;

/** `text` as a CSV cell a spreadsheet will not evaluate. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text `guardFormula` was given for `cell`. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
