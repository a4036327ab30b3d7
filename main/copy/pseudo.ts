/**
 * The pseudo-locale (Windows' "qps-ploc"): English with every letter accented, about 40 % longer
 * and bracketed, so a text that is cut off, hard-coded or missing its room shows at a glance.
 * `{{placeholders}}` are kept intact (i18next still fills them); plural forms stay English's.
 * @module
 */
import type { Catalogue } from './catalogue.js';

export const PSEUDO_LOCALE = 'qps-ploc';

const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter, index) => [letter, [...'áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][index]!]),
);

/** Text between placeholders is accented; `{{…}}` passes through unchanged. */
const PLACEHOLDER = /(\{\{[^}]*\}\})/;

/** One text in the pseudo-locale: "[Ŝéçûŕîţý Ķéý !!! !!!]". */
export function pseudoText(text: string): string {
  const parts = text.split(PLACEHOLDER);
  const accented = parts.map((part, index) => (index % 2 === 1 ? part : [...part].map((c) => ACCENTED[c] ?? c).join(''))).join('');
  const visible = parts.filter((_, index) => index % 2 === 0).join('').length;
  // 40 % more (the brackets come on top), in "!!!" words so the padding wraps like real words.
  const extra = Math.ceil(visible * 0.4);
  const padding = extra > 1 ? ` ${Array.from({ length: extra - 1 }, (_, i) => (i % 4 === 3 && i < extra - 2 ? ' ' : '!')).join('')}` : '!'.repeat(extra);
  return `[${accented}${padding}]`;
}

function pseudoValue(value: unknown): unknown {
  if (typeof value === 'string') return pseudoText(value);
  if (Array.isArray(value)) return value.map(pseudoValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, pseudoValue(entry)]));
  return value;
}

/** The whole catalogue in the pseudo-locale, made from English on demand (never shipped as data). */
export function pseudoCatalogue(english: Catalogue): Catalogue {
  return pseudoValue(english) as Catalogue;
}
