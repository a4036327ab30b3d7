/**
 * Words for codes: the one place both front ends (the `skm` CLI and the renderer) turn the
 * service's codes and facts into sentences, through i18next (plurals by CLDR rules, fallback to
 * English). Pure: no Node or DOM APIs, so the renderer imports it as it is.
 * @module
 */
import i18next, { type FormatterModule, type i18n, type Resource, type ResourceLanguage } from 'i18next';
import type {
  ConfirmRequest,
  Consequence,
  KeyNoun,
  PinRequest,
  ProgressEvent,
  ReinsertRequest,
  TouchInstruction,
} from '../../ctap/flows/prompts.js';
import type { TestStep } from '../../ctap/flows/test-key.js';
import type { DoctorCheck, DoctorReport } from '../service/doctor.js';
import type { ServiceError } from '../service/errors.js';
import { FEATURES, type Catalogue, type Feature, type Plural, type Surface, type Surfaced } from './catalogue.js';
import { en } from './en.js';

export type { Catalogue, Surface } from './catalogue.js';

/** The catalogues every front end carries; the app loads the others on demand (languages.ts). */
export const LANGUAGES = { en } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof LANGUAGES;

/** Facts that are amounts, shown with the language's digit grouping ("4.096 Byte"); ids and versions are not. */
const QUANTITIES: ReadonlySet<string> = new Set(['count', 'bytes', 'maxBytes', 'remaining']);

/**
 * i18next's formatter hook, called for every `{{fact}}` (alwaysFormat): amounts through
 * Intl.NumberFormat in the text's language, everything else as it is.
 */
const quantityFormatter: FormatterModule = {
  type: 'formatter',
  init: () => undefined,
  add: () => undefined,
  addCached: () => undefined,
  // i18next types the result as string, yet hands it on as it is; a value that is not an amount
  // (an object, undefined for a missing fact) must stay as it came.
  format: (value: unknown, _format, lng, options) =>
    (typeof value === 'number' && QUANTITIES.has(String((options as Record<string, unknown> | undefined)?.interpolationkey)) ? numberFormat(lng).format(value) : value) as string,
};

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lng = 'en'): Intl.NumberFormat {
  let format = numberFormats.get(lng);
  if (!format) {
    // A tag Intl does not know (the pseudo-locale) falls back to its base language or English.
    format = new Intl.NumberFormat(Intl.NumberFormat.supportedLocalesOf([lng]).length ? lng : 'en');
    numberFormats.set(lng, format);
  }
  return format;
}

/** One doctor line in words: what was checked, how it went, what was found, what to do. */
export interface DoctorLineText {
  title: string;
  status: string;
  result: string;
  fixes: string[];
  details?: string;
}

/** What a person reads for an error: the message, the next step, and the raw details apart. */
export interface ErrorText {
  message: string;
  nextStep?: string;
  details?: string;
}

const featureSet: ReadonlySet<string> = new Set(FEATURES);

/** Flatten a catalogue into i18next's nested resources (plural objects → key_one / key_other). */
function toResource(value: unknown): ResourceLanguage {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (isPlural(entry)) {
      for (const [form, text] of Object.entries(entry)) out[`${key}_${form}`] = text;
    } else if (entry !== null && typeof entry === 'object') {
      out[key] = toResource(entry);
    } else {
      out[key] = entry;
    }
  }
  return out as ResourceLanguage;
}

function isPlural(entry: unknown): entry is Plural {
  return entry !== null && typeof entry === 'object' && 'one' in entry && 'other' in entry && Object.values(entry).every((v) => typeof v === 'string');
}

function isSurfaced(entry: unknown): entry is Surfaced {
  return entry !== null && typeof entry === 'object' && 'text' in entry;
}

/** The words of one language for one front end. */
export class Copy {
  private i18nInstance: i18n | undefined;
  private readonly catalogue: Catalogue | undefined;

  /**
   * `language` is a BCP 47 tag; a language other than those in LANGUAGES brings its `catalogue`
   * (see languages.ts). Only that language and English (the fallback) are turned into resources,
   * and only when the first text is asked for: a run that words nothing (JSON out, an exit code)
   * never builds them.
   */
  constructor(
    readonly surface: Surface,
    readonly language: Language | (string & {}) = 'en',
    catalogue?: Catalogue,
  ) {
    this.catalogue = catalogue;
  }

  private get i18n(): i18n {
    if (this.i18nInstance) return this.i18nInstance;
    const own = this.catalogue ?? (LANGUAGES as Record<string, Catalogue>)[this.language];
    const resources: Resource = { en: { translation: toResource(en) } };
    if (own && this.language !== 'en') resources[this.language] = { translation: toResource(own) };
    const instance = i18next.createInstance().use(quantityFormatter);
    // Synchronous init: resources are in memory, so `t` works as soon as this returns.
    void instance.init({
      lng: this.language,
      fallbackLng: 'en',
      // Tags as given ("qps-ploc", not i18next's "qps-Ploc"), so the resources are found under them.
      lowerCaseLng: true,
      resources,
      initAsync: false,
      // React escapes on its own and a terminal has no HTML: interpolate values as they are.
      interpolation: { escapeValue: false, alwaysFormat: true },
      returnNull: false,
    });
    this.i18nInstance = instance;
    return instance;
  }

  /**
   * A catalogue text by its dotted key, with facts interpolated. `{{skm}}` (the command line a
   * hint tells a person to run) is "skm", `{{skmKeys}}` the same without the choice of one key (for
   * `list`), and `{{help}}` "skm --help", unless the front end passes the ones to repeat.
   */
  t(key: string, facts: Record<string, unknown> = {}): string {
    return this.i18n.t(key, { skm: 'skm', skmKeys: 'skm', help: 'skm --help', ...facts } as Record<string, string>);
  }

  /** A list of texts (table headings), in order. */
  list(key: string): string[] {
    const entry: unknown = this.i18n.getResource(this.language, 'translation', key) ?? this.i18n.getResource('en', 'translation', key);
    return entry !== null && typeof entry === 'object' ? Object.values(entry as Record<string, string>) : [];
  }

  /** An entry that may have surface variants (`text`, `cli`, `app`). */
  private surfaced(key: string, facts: Record<string, unknown>): string | undefined {
    const entry: unknown = this.i18n.getResource(this.language, 'translation', key) ?? this.i18n.getResource('en', 'translation', key);
    if (entry === undefined) return undefined;
    if (typeof entry === 'string') return this.t(key, facts);
    if (isSurfaced(entry)) return this.t(`${key}.${entry[this.surface] !== undefined ? this.surface : 'text'}`, facts);
    return undefined;
  }

  has(key: string): boolean {
    return this.i18n.exists(key);
  }

  // ── errors ──

  /** `words`: values of the front end's own, such as `skm` (the command prefix hints repeat). */
  error(error: ServiceError, words: Record<string, string> = {}): ErrorText {
    const facts = { ...this.errorFacts(error), ...words };
    const reason = error.facts.reason;
    const base = `errors.${error.code}`;
    const reasonKey = reason !== undefined ? `reasons.${reason}` : undefined;
    let message: string;
    if (reasonKey && this.has(`${reasonKey}.message`)) message = this.t(`${reasonKey}.message`, facts);
    else if (error.code === 'UNSUPPORTED' && error.facts.feature !== undefined) message = this.feature(error.facts.feature);
    else message = this.t(`${base}.message`, facts);
    const nextStep = this.nextStep(error, reasonKey, facts);
    return { message, ...(nextStep !== undefined ? { nextStep } : {}), ...(error.details !== undefined ? { details: error.details } : {}) };
  }

  /** "This key cannot list passkeys." for a feature code; unknown features get the generic form. */
  feature(feature: string): string {
    if (featureSet.has(feature)) return this.t(`features.${feature as Feature}`);
    return this.t('features.unknown', { feature });
  }

  private nextStep(error: ServiceError, reasonKey: string | undefined, facts: Record<string, unknown>): string | undefined {
    if (reasonKey && this.has(`${reasonKey}.nextStep`)) return this.surfaced(`${reasonKey}.nextStep`, facts);
    if (error.code === 'PERMISSION_DENIED' && error.facts.platform !== undefined) {
      const platform = ['linux', 'win32', 'darwin'].includes(error.facts.platform) ? error.facts.platform : 'other';
      return this.t(`hints.permission.${platform}`);
    }
    if (error.code === 'DEVICE_GONE' && error.facts.transport === 'nfc') return this.t('hints.nfcGone');
    if (error.code === 'UNSUPPORTED' && error.facts.feature !== undefined && this.has(`featureNextSteps.${error.facts.feature}`)) {
      return this.surfaced(`featureNextSteps.${error.facts.feature}`, facts);
    }
    if ((error.code === 'PIN_INVALID' || error.code === 'PIN_BLOCKED') && error.facts.retries === 0) return this.t('errors.PIN_BLOCKED.nextStep');
    return this.surfaced(`errors.${error.code}.nextStep`, facts);
  }

  /** Facts as the texts interpolate them (lists joined, counts for plurals, names filled in). */
  private errorFacts(error: ServiceError): Record<string, unknown> {
    const f = error.facts;
    const out: Record<string, unknown> = { ...f, path: f.path ?? '', deviceId: f.deviceId ?? '' };
    out.triesText = f.retries !== undefined && f.retries !== null ? ` ${this.t('pin.triesLeft', { count: f.retries })}.` : '';
    out.deviceList = f.devices?.length ? `: ${f.devices.map((d) => this.t('words.deviceInList', { ...d })).join(', ')}` : '';
    out.count = f.devices?.length ?? f.passkeys?.length ?? 0;
    if (f.passkeys) {
      out.passkeyList = f.passkeys
        .map((p) => this.t('words.passkeyInList', { credentialId: p.credentialId, rpId: p.rpId, account: p.userName ?? this.t('confirm.unnamedAccount') }))
        .join('; ');
    }
    if (f.allowed) out.allowedList = this.listFormat('disjunction').format(f.allowed.map(transportName));
    if (f.transport) out.transportName = transportName(f.transport);
    if (f.path) out.lockPath = `${f.path}.lock`;
    if (f.feature) out.featureText = this.feature(f.feature);
    if (f.consequences) out.consequenceList = f.consequences.join(' ');
    if (f.step) out.stepResult = this.has(`test.${f.step}`) ? this.t(`test.${f.step}`, { rpId: '', fmt: '', statusName: '' }) : f.step;
    return out;
  }

  // ── prompts ──

  pinQuestion(request: PinRequest, which: 'first' | 'again' = 'first'): string {
    if (request.purpose === 'new') return which === 'again' ? this.t('pin.askAgain') : this.t('pin.askNew', { minLength: request.minLength });
    const tries = request.retries === null ? '' : ` (${this.t('pin.triesLeft', { count: request.retries })})`;
    return `${this.t('pin.askCurrent')}${tries}`;
  }

  /** Why a PIN is asked again ("That PIN was wrong. 2 tries left."); undefined on the first ask. */
  pinRetry(request: PinRequest): string | undefined {
    if (!request.retry) return undefined;
    const text = this.t(`pin.retry.${request.retry.reason}`, { minLength: request.minLength, maxBytes: request.maxBytes });
    if (request.retry.cause === 'key' && request.retries !== null) return `${text} ${this.t('pin.triesLeft', { count: request.retries })}.`;
    return text;
  }

  touch(instruction: TouchInstruction, noun: KeyNoun = 'security-key'): string {
    return this.t(`touch.${instruction}`, { noun: this.t(`nouns.${noun}`) });
  }

  reinsert(request: ReinsertRequest): string {
    return this.t(`reinsert.${request.instruction}`, { noun: this.t(`nouns.${request.noun}`) });
  }

  confirmTitle(request: ConfirmRequest): string {
    const subject = request.subject ?? {};
    return this.t(`confirm.actions.${request.action}`, {
      rpId: subject.rpId ?? '',
      account: subject.account ?? this.t('confirm.unnamedAccount'),
      name: subject.name ?? this.t('confirm.unnamedFingerprint'),
      noun: this.t(`nouns.${subject.noun ?? 'security-key'}`),
    });
  }

  consequence(consequence: Consequence): string {
    const key = `confirm.consequences.${consequence.code}`;
    switch (consequence.code) {
      case 'passkeys-deleted': {
        const counted =
          consequence.passkeys !== undefined
            ? ` (${this.countedPasskeys(consequence.passkeys, consequence.sites)})`
            : '';
        return this.t(key, { counted });
      }
      case 'fingerprints-deleted':
        return this.t(key, { counted: consequence.fingerprints !== undefined ? ` (${this.t('confirm.counted.fingerprints', { count: consequence.fingerprints })})` : '' });
      case 'passkey-sign-in-lost':
        return this.t(key, { rpId: consequence.rpId, account: consequence.account ?? this.t('confirm.unnamedAccount') });
      case 'fingerprint-unlock-lost':
        return this.t(key, { name: consequence.name ?? this.t('confirm.unnamedFingerprint') });
      case 'min-pin-length-sites':
        return this.t(key, { rpIdList: consequence.rpIds.join(', ') || this.t('words.none') });
      case 'blob-deleted':
        return this.t(key, {
          rpId: consequence.rpId,
          account: consequence.account ?? this.t('confirm.unnamedAccount'),
          bytesText: this.t('confirm.counted.bytes', { count: consequence.bytes }),
        });
      case 'orphaned-blobs-deleted':
        return this.t(key, {
          blobsText: this.t('confirm.counted.blobs', { count: consequence.blobs }),
          bytesText: this.t('confirm.counted.bytes', { count: consequence.bytes }),
        });
      case 'blob-of-deleted-passkey-deleted':
        return this.t(key, {
          rpId: consequence.rpId,
          account: consequence.account ?? this.t('confirm.unnamedAccount'),
          bytesText: this.t('confirm.counted.bytes', { count: consequence.bytes }),
        });
      case 'unreadable-blobs-deleted':
        return this.t(key, { reason: consequence.reason, bytesText: this.t('confirm.counted.bytes', { count: consequence.bytes }) });
      default:
        return this.t(key, consequence);
    }
  }

  private countedPasskeys(passkeys: number, sites: number | undefined): string {
    const passkeysText = this.t('confirm.counted.passkeys', { count: passkeys });
    return sites === undefined ? passkeysText : this.t('confirm.counted.passkeysOnSites', { passkeysText, sitesText: this.t('confirm.counted.sites', { count: sites }) });
  }

  /** "USB or NFC" in the text's language. */
  private listFormat(type: 'conjunction' | 'disjunction'): Intl.ListFormat {
    const locale = Intl.ListFormat.supportedLocalesOf([this.language]).length ? this.language : 'en';
    return new Intl.ListFormat(locale, { type });
  }

  progress(event: ProgressEvent): string {
    switch (event.step) {
      case 'reading-passkeys':
        return this.t('progress.readingPasskeys', { rpId: event.rpId });
      case 'fingerprint-sample':
        return event.done ? this.t('sample.done') : `${this.t(`sample.${event.feedback}`)} ${this.t('sample.remaining', { count: event.remaining })}`;
      case 'test':
        return this.testStep(event.test);
      case 'simulated-removed':
        return this.t('progress.simulatedRemoved');
      case 'simulated-inserted':
        return this.t('progress.simulatedInserted');
    }
  }

  testStep(step: TestStep): string {
    return this.t(`test.${step.result}`, { rpId: step.rpId ?? '', fmt: step.fmt ?? '', statusName: step.statusName ?? '', bytesText: this.t('confirm.counted.bytes', { count: step.bytes ?? 0 }) });
  }

  countdown(secondsLeft: number): string {
    return this.t('progress.countdown', { count: secondsLeft });
  }

  // ── doctor ──

  doctorLine(check: DoctorCheck): DoctorLineText {
    const f = check.facts;
    const facts: Record<string, unknown> = {
      ...f,
      electronText: f.electron ?? this.t('words.none'),
      readerList: (f.readers ?? []).join(', '),
      // Counted results: how many keys were seen, how many readers there are.
      count: f.seen ?? f.readers?.length ?? 0,
    };
    const fixes = check.fixes.map((fix) => {
      const key = `doctor.fixes.${fix}`;
      const entry: unknown = this.i18n.getResource(this.language, 'translation', key) ?? this.i18n.getResource('en', 'translation', key);
      if (f.platform === 'linux' && entry !== null && typeof entry === 'object' && 'linux' in entry) return this.t(`${key}.linux`, facts);
      return this.surfaced(key, facts) ?? fix;
    });
    return {
      title: this.t(`doctor.checks.${check.check}`),
      status: this.t(`doctor.status.${check.status}`),
      result: this.t(`doctor.results.${check.result}`, facts),
      fixes,
      ...(f.details !== undefined ? { details: f.details } : {}),
    };
  }

  doctorSummary(report: DoctorReport): string {
    return report.problems === 0 ? this.t('doctor.summary.ok') : this.t('doctor.summary.problems', { count: report.problems });
  }
}

function transportName(transport: string): string {
  if (transport === 'usb') return 'USB';
  if (transport === 'nfc') return 'NFC';
  return transport;
}
