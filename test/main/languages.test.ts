// Every language of the app is complete: each English text has a counterpart at the same key
// path, with the same {{placeholders}} and the plural forms the language's CLDR rules need, and
// nothing was left in English by accident. A failure names the key paths, so a text added in
// English shows exactly where each language still needs it. The command line's own words
// (`cli`) are English in every language for now and are left out.
import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../../main/copy/catalogue.js';
import { en } from '../../main/copy/en.js';
import { Copy } from '../../main/copy/index.js';
import { APP_LANGUAGES, loadCatalogue, matchLanguage, PSEUDO_LOCALE } from '../../main/copy/languages.js';
import { pseudoText } from '../../main/copy/pseudo.js';

const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Leaves of a catalogue by dotted path; a plural object is one leaf holding its forms. */
function leaves(node: unknown, prefix = ''): Map<string, string | Record<string, string>> {
  const out = new Map<string, string | Record<string, string>>();
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (path === 'cli') continue;
    if (typeof value === 'string') out.set(path, value);
    else if (isPlural(value)) out.set(path, value);
    else if (value !== null && typeof value === 'object') for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

function isPlural(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && 'other' in value && Object.entries(value).every(([k, v]) => PLURAL_FORMS.has(k) && typeof v === 'string');
}

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
const textsOf = (leaf: string | Record<string, string>): string[] => (typeof leaf === 'string' ? [leaf] : Object.values(leaf));

/** Words that stay as they are in every language: names, standards, codes. */
const SAME_EVERYWHERE = /^(PIN|NFC|USB|OK|AAGUID|FIDO2|CTAP|U2F|JSON|YAML|Bluetooth|Electron|Node|YubiKey|Windows|Entra|ID|Security|Key|Manager|Code|Details|Option|Options|Extensions|Certifications|Versions|Standards|Passkeys?|Firmware|hmac-secret|Problem|s)$/i;

/** Same text as English with at least three words of its own (not names, codes or placeholders). */
function leftInEnglish(text: string, english: string): boolean {
  if (text !== english) return false;
  // The FIDO Metadata Service is a proper name, kept in every language.
  const words = english
    .replace(/\{\{[^}]*\}\}|`[^`]*`|"[^"]*"|--[a-z-]+|FIDO Metadata Service/g, ' ')
    .split(/[^A-Za-z-]+/)
    .filter((word) => word.length > 1 && !SAME_EVERYWHERE.test(word));
  return words.length >= 3;
}

interface Problems {
  missing: string[];
  extra: string[];
  placeholders: string[];
  pluralForms: string[];
  english: string[];
}

function compare(language: string, catalogue: Catalogue): Problems {
  const english = leaves(en);
  const own = leaves(catalogue);
  const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const problems: Problems = { missing: [], extra: [], placeholders: [], pluralForms: [], english: [] };
  for (const [path, enLeaf] of english) {
    const leaf = own.get(path);
    if (leaf === undefined) {
      problems.missing.push(path);
      continue;
    }
    if (typeof enLeaf !== typeof leaf) {
      problems.pluralForms.push(`${path}: ${typeof enLeaf === 'string' ? 'a plain text in English' : 'plural forms in English'}`);
      continue;
    }
    const want = placeholders(textsOf(enLeaf).join(' '));
    for (const text of textsOf(leaf)) {
      // A plural form may leave out {{count}} ("un seul essai"); every other fact must be there.
      const got = placeholders(text);
      const expected = typeof leaf === 'string' ? want : want.filter((name) => name !== 'count');
      const lacking = expected.filter((name) => !got.includes(name));
      const unknown = got.filter((name) => !want.includes(name));
      if (lacking.length || unknown.length) problems.placeholders.push(`${path}: ${[...lacking.map((n) => `lacks {{${n}}}`), ...unknown.map((n) => `unknown {{${n}}}`)].join(', ')}`);
    }
    if (typeof leaf !== 'string') {
      const lacking = forms.filter((form) => !(form in leaf));
      if (lacking.length) problems.pluralForms.push(`${path}: lacks ${lacking.join(', ')}`);
    }
    const enTexts = textsOf(enLeaf);
    textsOf(leaf).forEach((text, index) => {
      if (leftInEnglish(text, enTexts[index] ?? '')) problems.english.push(`${path}: "${text}"`);
    });
  }
  for (const path of own.keys()) if (!english.has(path)) problems.extra.push(path);
  return problems;
}

describe.each(APP_LANGUAGES.filter((language) => language !== 'en'))('the %s catalogue', (language) => {
  it('has every English text, with its placeholders and plural forms, none left in English', async () => {
    const problems = compare(language, await loadCatalogue(language));
    expect(problems).toEqual({ missing: [], extra: [], placeholders: [], pluralForms: [], english: [] });
  });

  it('words errors and prompts through Copy in its own language', async () => {
    const copy = new Copy('app', language, await loadCatalogue(language));
    const pin = copy.error({ code: 'PIN_INVALID', facts: { retries: 2 } });
    expect(pin.message).not.toBe(new Copy('app').error({ code: 'PIN_INVALID', facts: { retries: 2 } }).message);
    expect(pin.message).toContain('2');
    // Amounts are grouped the language's way.
    expect(copy.t('confirm.counted.bytes', { count: 4096 })).toBe(`${new Intl.NumberFormat(language).format(4096)} ${language === 'de' ? 'Byte' : 'octets'}`);
  });
});

describe('the completeness check', () => {
  it('names missing keys, lost placeholders, lacking plural forms and English leftovers', () => {
    const broken = structuredClone(en) as Catalogue & { errors: Record<string, unknown> };
    delete (broken.errors as Record<string, unknown>).NO_DEVICE;
    broken.reasons['too-short'] = { message: 'Die PIN ist zu kurz.' };
    broken.app.passkeys.counted = { one: '{{count}} Passkey', other: '{{count}} Passkeys' };
    const problems = compare('fr', broken);
    expect(problems.missing).toEqual(['errors.NO_DEVICE.message', 'errors.NO_DEVICE.nextStep.text', 'errors.NO_DEVICE.nextStep.cli']);
    expect(problems.placeholders).toEqual(['reasons.too-short.message: lacks {{minLength}}']);
    expect(problems.pluralForms).toContain('app.passkeys.counted: lacks many');
    // The untouched English copy is all English leftovers, "PIN" and "USB" alone are not.
    expect(problems.english).toContain('errors.TIMEOUT.message: "The security key did not answer in time."');
    expect(problems.english.some((line) => line.startsWith('app.transports.usb'))).toBe(false);
  });
});

describe('choosing a language', () => {
  it('takes the first OS language the app has, by its base language, else English', () => {
    expect(matchLanguage(['de-AT', 'en-US'])).toBe('de');
    expect(matchLanguage(['it-IT', 'fr-CA'])).toBe('fr');
    expect(matchLanguage(['ja', 'pt-BR'])).toBe('en');
    expect(matchLanguage([])).toBe('en');
  });

  it('the pseudo-locale accents, lengthens and brackets every text, keeping placeholders', async () => {
    expect(pseudoText('Touch your {{noun}} now')).toMatch(/^\[Ţöûçĥ ýöûŕ \{\{noun\}\} ñöŵ !+[ !]*\]$/);
    const catalogue = await loadCatalogue(PSEUDO_LOCALE);
    for (const [path, leaf] of leaves(catalogue)) {
      const enLeaf = leaves(en).get(path)!;
      textsOf(leaf).forEach((text, index) => {
        const english = textsOf(enLeaf)[index]!;
        expect(text, path).toMatch(/^\[[\s\S]*\]$/);
        expect(placeholders(text), path).toEqual(placeholders(english));
        const visible = (t: string): number => t.replace(/\{\{[^}]*\}\}/g, '').length;
        if (visible(english) >= 10) expect(visible(text), path).toBeGreaterThanOrEqual(visible(english) * 1.35);
      });
    }
    const copy = new Copy('app', PSEUDO_LOCALE, catalogue);
    expect(copy.t('app.passkeys.counted', { count: 3 })).toBe('[3 þáššķéýš !!!]');
  });
});
