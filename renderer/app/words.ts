/**
 * The app's words: one Copy instance (main/copy) for the renderer in the language shown, and `t`
 * typed by the `app` namespace of the catalogue, so a key the catalogue lacks is a compile error.
 * The language is the person's choice (kept in localStorage), else the first OS language the app
 * has (navigator.languages, which Electron takes from the OS), else English; `?lang=` overrides it
 * for tests and development, and is the only way to the pseudo-locale.
 * @module
 */
import { Copy } from '../../main/copy/index.js';
import type { AppWords } from '../../main/copy/en-app.js';
import { isAppLanguage, loadCatalogue, matchLanguage, PSEUDO_LOCALE, type AppLanguage, type DisplayLanguage } from '../../main/copy/languages.js';

/** Dotted paths to every text of T (a `{ one, other }` plural counts as one text). */
type TextPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K}`
    : T[K] extends { one: string; other: string }
      ? `${Prefix}${K}`
      : TextPaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type AppText = TextPaths<AppWords>;

const STORAGE_KEY = 'skm.language';

/** The renderer's copy: errors, prompts and consequences as the CLI words them, app variants. */
export let copy = new Copy('app', 'en');

/** The person's saved choice, or null to follow the OS. */
export function savedLanguage(): AppLanguage | null {
  const saved = readStorage();
  return saved !== null && isAppLanguage(saved) ? saved : null;
}

/** The language to start in: `?lang=` (tests, development), the saved choice, the OS, English. */
export function startLanguage(): DisplayLanguage {
  const asked = new URLSearchParams(window.location.search).get('lang')?.toLowerCase();
  if (asked !== undefined && (asked === PSEUDO_LOCALE || isAppLanguage(asked))) return asked;
  return savedLanguage() ?? matchLanguage(navigator.languages);
}

/** Load a language's catalogue and make it the app's words; `<html lang>` and the title follow. */
export async function showLanguage(language: DisplayLanguage): Promise<void> {
  copy = new Copy('app', language, await loadCatalogue(language));
  document.documentElement.lang = language;
  document.title = t('title');
}

/** Save the person's choice (null: follow the OS again) and switch to it. */
export async function chooseLanguage(choice: AppLanguage | null): Promise<DisplayLanguage> {
  writeStorage(choice);
  const language = choice ?? matchLanguage(navigator.languages);
  await showLanguage(language);
  return language;
}

function readStorage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable (a locked-down profile); the OS language is used then.
    return null;
  }
}

function writeStorage(choice: AppLanguage | null): void {
  try {
    if (choice === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Not kept across restarts then; the choice still applies now.
  }
}

/** An app text by key; facts interpolate `{{name}}`, `count` picks the plural form. */
export function t(key: AppText, facts: Record<string, unknown> = {}): string {
  return copy.t(`app.${key}`, facts);
}

/** An amount as the language writes it ("4.096", "4 096"); the pseudo-locale writes English's. */
export function numberText(value: number): string {
  const locale = Intl.NumberFormat.supportedLocalesOf([copy.language]).length ? copy.language : 'en';
  return new Intl.NumberFormat(locale).format(value);
}

/** A text whose key is computed from data (a field or option name) when the catalogue has it. */
export function tMaybe(key: string, facts: Record<string, unknown> = {}): string | undefined {
  const full = `app.${key}`;
  const text = copy.t(full, facts);
  return text === full ? undefined : text;
}
