/**
 * The languages the desktop app speaks, and how one is chosen: the person's own choice if they
 * made one, otherwise the first of the OS languages (navigator.languages in the renderer, Electron's
 * preferred system languages in the shell) the app has, otherwise English. A language's catalogue
 * is imported only when chosen, so the app builds only the one it shows (plus English, the fallback).
 * Adding a language: a folder like de/ with the same files, its entry here and in the test.
 * @module
 */
import type { Catalogue } from './catalogue.js';
import { en } from './en.js';
import { PSEUDO_LOCALE, pseudoCatalogue } from './pseudo.js';

export { PSEUDO_LOCALE } from './pseudo.js';

export const APP_LANGUAGES = ['en', 'de', 'fr'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];

/** Each language's name in itself, as a language picker lists it. */
export const LANGUAGE_NAMES: Record<AppLanguage, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };

/** A language the app can show: one of APP_LANGUAGES, or the pseudo-locale (tests and development). */
export type DisplayLanguage = AppLanguage | typeof PSEUDO_LOCALE;

export function isAppLanguage(tag: string): tag is AppLanguage {
  return (APP_LANGUAGES as readonly string[]).includes(tag);
}

/** The first preferred tag ("de-AT", "fr-CH", "en-GB") whose language the app has; English if none. */
export function matchLanguage(preferred: readonly string[]): AppLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (isAppLanguage(base)) return base;
  }
  return 'en';
}

/** The catalogue of a language, imported on demand (a separate chunk in the renderer's bundle). */
export async function loadCatalogue(language: DisplayLanguage): Promise<Catalogue> {
  switch (language) {
    case 'de':
      return (await import('./de.js')).de;
    case 'fr':
      return (await import('./fr.js')).fr;
    case PSEUDO_LOCALE:
      return pseudoCatalogue(en);
    default:
      return en;
  }
}
