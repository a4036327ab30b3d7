/**
 * The app's words: one Copy instance (main/copy) for the renderer, and `t` typed by the `app`
 * namespace of the catalogue, so a key the catalogue lacks is a compile error.
 * @module
 */
import { Copy } from '../../main/copy/index.js';
import type { AppWords } from '../../main/copy/en-app.js';

/** Dotted paths to every text of T (a `{ one, other }` plural counts as one text). */
type TextPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K}`
    : T[K] extends { one: string; other: string }
      ? `${Prefix}${K}`
      : TextPaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type AppText = TextPaths<AppWords>;

/** The renderer's copy: errors, prompts and consequences as the CLI words them, app variants. */
export const copy = new Copy('app', 'en');

/** An app text by key; facts interpolate `{{name}}`, `count` picks the plural form. */
export function t(key: AppText, facts: Record<string, unknown> = {}): string {
  return copy.t(`app.${key}`, facts);
}

/** A text whose key is computed from data (a field or option name) when the catalogue has it. */
export function tMaybe(key: string, facts: Record<string, unknown> = {}): string | undefined {
  const full = `app.${key}`;
  const text = copy.t(full, facts);
  return text === full ? undefined : text;
}
