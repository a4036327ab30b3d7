/**
 * Text on its way to a terminal: made harmless, measured and wrapped.
 *
 * - `neutralise`: website and account names are chosen by websites, ids and names by whoever
 *   made the key's contents. Printed raw, an ESC sequence in one could clear the screen, move
 *   the cursor over a confirmation, or a bidi override could make "moc.elpmaxe" read as
 *   "example.com". Every control and direction-changing character is shown as a visible escape
 *   instead (`\x1b`, `\u202e`). JSON output never passes through here: it stays exact.
 * - `wrap`: a line wider than the terminal is broken at spaces, continuation lines indented
 *   under the text (after a bullet or a "Label:  " column), measured in terminal columns (wide
 *   characters count two) by string-width and wrap-ansi.
 * - `table`: columns padded by display width; when a row is wider than the terminal, the widest
 *   column wraps inside its cell.
 * @module
 */
import { createRequire } from 'node:module';
import type stringWidthFunction from 'string-width';
import type wrapAnsiFunction from 'wrap-ansi';

const requireHere = createRequire(import.meta.url);
let stringWidthLoaded: typeof stringWidthFunction | undefined;
let wrapAnsiLoaded: typeof wrapAnsiFunction | undefined;

/**
 * string-width and wrap-ansi are read on first use, not at every start: string-width builds an
 * Intl.Segmenter as it loads (ICU data, ~25 ms), which `--json` output, a pipe and plain ASCII
 * never need. (Both are ES modules; require() of one is stable since Node 22.12 and 20.19.)
 */
function stringWidth(text: string): number {
  stringWidthLoaded ??= (requireHere('string-width') as { default: typeof stringWidthFunction }).default;
  return stringWidthLoaded(text);
}

export function wrapAnsi(...args: Parameters<typeof wrapAnsiFunction>): string {
  wrapAnsiLoaded ??= (requireHere('wrap-ansi') as { default: typeof wrapAnsiFunction }).default;
  return wrapAnsiLoaded(...args);
}

/** Printable ASCII: one column per character, no library needed to tell. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * C0 controls (except line feed, which separates lines), DEL, C1 controls, the bidi embedding,
 * override and isolate controls, the directional marks, and the Unicode line/paragraph separators.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** The text with every unsafe character replaced by a visible escape; line feeds are kept. */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, (character) => {
    const code = character.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Columns a text takes on a terminal (wide characters two, combining marks none). */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Pad to `width` terminal columns. */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** A bullet, a check mark, or a "Label:  " column: continuation lines start under the text after it. */
const HANGING = /^(\s*(?:[•✓✗-] |[^\s:][^:]{0,40}:\s{2,}|(?:Error|Note):\s))/u;

/** The narrowest text column worth a hanging indent; below it lines wrap from the margin. */
const MIN_TEXT_COLUMNS = 20;

/**
 * Wrap each line of `text` to `columns` (undefined: leave it as it is, as for a pipe, where
 * the reader — a program, or a pager — decides).
 */
export function wrap(text: string, columns: number | undefined): string {
  if (columns === undefined) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

function wrapLine(line: string, columns: number): string {
  if (displayWidth(line) <= columns) return line;
  const indent = HANGING.exec(line)?.[1] ?? /^\s*/u.exec(line)![0];
  const indentWidth = displayWidth(indent);
  if (columns - indentWidth < MIN_TEXT_COLUMNS) return wrapAnsi(line, columns, { hard: true, trim: false });
  const body = wrapAnsi(line.slice(indent.length), columns - indentWidth, { hard: true });
  const pad = ' '.repeat(indentWidth);
  return body
    .split('\n')
    .map((part, index) => (index === 0 ? indent : pad) + part)
    .join('\n');
}

/**
 * A plain text table: columns padded to their widest cell, two spaces apart. Given `columns`,
 * a table that would overrun the terminal wraps its widest column inside the cell.
 */
export function table(headers: string[], rows: string[][], columns?: number): string[] {
  const all = [headers, ...rows].map((row) => row.map(neutralise));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  if (columns !== undefined && total > columns) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest] = Math.max(MIN_TEXT_COLUMNS / 2, widths[widest]! - (total - columns));
  }
  const lines: string[] = [];
  for (const row of all) {
    const cells = widths.map((w, i) => fitCell(row[i] ?? '', w));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const line = cells.map((c, i) => (i === cells.length - 1 ? (c[k] ?? '') : padDisplay(c[k] ?? '', widths[i]!))).join('  ');
      lines.push(line.trimEnd());
    }
  }
  return lines;
}

/** A cell's lines at `width` columns: as it is when it fits (wrap-ansi would trim it the same way). */
function fitCell(cell: string, width: number): string[] {
  if (cell === cell.trim() && !cell.includes('\n') && displayWidth(cell) <= width) return [cell];
  return wrapAnsi(cell, width, { hard: true }).split('\n');
}

/** "Label:   value" lines, the values starting in one column (measured in terminal columns). */
export function labelled(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => displayWidth(label))) + 3;
  return rows.map(([label, value]) => `${padDisplay(`${label}:`, width)}${value}`);
}

/** Input repeated in a message, cut to a readable length (a pasted id can be huge). */
export function capEchoed(text: string, max = 64): string {
  const characters = [...text];
  return characters.length > max ? `${characters.slice(0, max).join('')}…` : text;
}
