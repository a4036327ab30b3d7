/**
 * The shape of a message catalogue: one text per code, per language. The type makes a missing
 * text a compile error (every Record is keyed by the full union of its codes); a test checks the
 * same at run time for every language.
 *
 * Conventions (i18next, see index.ts): `{{name}}` interpolates a fact; a `Plural` has the forms
 * of the language's plural rules (English: one / other) and is chosen by `count`. Where a front
 * end says something of its own ("run `skm pin set`" vs "choose Add PIN"), an entry has a `cli`
 * and/or `app` variant beside its neutral text.
 * @module
 */
import type {
  ConfirmAction,
  Consequence,
  KeyNoun,
  PinRetryReason,
  ReinsertInstruction,
  TestStepResult,
  TouchInstruction,
} from '../../ctap/flows/prompts.js';
import type { SampleFeedback } from '../../ctap/ctap2/bio-enrollment.js';
import type { DoctorCheckId, DoctorFixCode, DoctorResultCode, DoctorStatus } from '../service/doctor.js';
import type { AppErrorCode, ErrorReason } from '../service/errors.js';
import type { AttestationVerdictCode } from '../service/provisioning/attestation-verdicts.js';
import type { RejectionReason } from '../service/provisioning/plan.js';
import type { ProfileIssueCode } from '../service/provisioning/profile.js';
import type { StepName } from '../service/provisioning/report.js';
import type { AppWords } from './en-app.js';
import type { CliWords } from './cli-catalogue.js';

/** The two front ends; surface-specific hints are chosen by this. */
export type Surface = 'cli' | 'app';

/**
 * Plural forms by CLDR category, as i18next picks them (Intl.PluralRules): English and German need
 * one and other, French also many ("1 000 000 de clés"). test/main/languages.test.ts checks each
 * language has the forms its rules name.
 */
export interface Plural {
  one: string;
  other: string;
  many?: string;
}

/** A text with optional per-surface variants. */
export interface Surfaced {
  text: string;
  cli?: string;
  app?: string;
}

export interface ErrorWords {
  message: string;
  nextStep?: string | Surfaced;
}

/** Features a key can lack (UnsupportedError.feature in ctap/, UnsupportedFeature in flows). */
export const FEATURES = [
  'u2f-only',
  'credential-management-ctap20',
  'credential-management',
  'rename-passkey-preview',
  'bio-enrollment',
  'authenticator-config',
  'always-uv',
  'min-pin-length',
  'enterprise-attestation',
  'large-blobs',
  'clientPin',
  'uv',
  'setPin',
  'noMcGaPermissionsWithClientPin',
  'pinUvAuthProtocol',
  'pinUvAuthToken',
  'selection',
  'wink',
  'reset',
  'ctap2',
  'rk',
  'algorithm',
  'ep',
  'alwaysUv',
  'setMinPINLength',
  'maxRPIDsForSetMinPINLength',
  'authnrCfg',
  'credMgmt',
  'updateUserInformation',
  'bioEnroll',
  'nfc-power-cycle',
  'nfc-command',
  'u2f',
] as const;
export type Feature = (typeof FEATURES)[number];

export type ConsequenceCode = Consequence['code'];

export interface Catalogue {
  /** Every AppErrorCode: what happened and what to do next. */
  errors: Record<AppErrorCode, ErrorWords>;
  /** A more precise message (and next step) where the error has a reason. */
  reasons: Record<ErrorReason, ErrorWords>;
  /** What a key lacks, as the sentence "This key …". */
  features: Record<Feature, string> & { unknown: string };
  /** Next steps for what a key lacks, where the generic "check for a firmware update" is wrong (hardware). */
  featureNextSteps: Partial<Record<Feature, string | Surfaced>>;
  pin: {
    askCurrent: string;
    askNew: string;
    askAgain: string;
    triesLeft: Plural;
    retry: Record<PinRetryReason, string>;
  };
  touch: Record<TouchInstruction, string>;
  /** `{{noun}}` in reinsert and confirmations: "YubiKey", "card", "security key". */
  nouns: Record<KeyNoun, string>;
  reinsert: Record<ReinsertInstruction, string>;
  confirm: {
    actions: Record<ConfirmAction, string>;
    consequences: Record<ConsequenceCode, string | Plural>;
    /** Counted forms for consequences that can carry counts. */
    counted: { passkeys: Plural; sites: Plural; fingerprints: Plural; bytes: Plural; blobs: Plural; passkeysOnSites: string };
    question: string;
    unnamedFingerprint: string;
    unnamedAccount: string;
  };
  sample: Record<SampleFeedback, string> & { remaining: Plural; done: string };
  progress: {
    readingPasskeys: string;
    simulatedRemoved: string;
    simulatedInserted: string;
    countdown: Plural;
  };
  test: Record<TestStepResult, string>;
  /** Next steps that depend on where the error happened (platform, transport). */
  hints: {
    permission: Record<'linux' | 'win32' | 'darwin' | 'other', string>;
    nfcGone: string;
  };
  /** `skm doctor` and the Diagnostics view: one line per check, with fixes. */
  doctor: {
    status: Record<DoctorStatus, string>;
    checks: Record<DoctorCheckId, string>;
    /** Counted results take `count` (devices, readers). */
    results: Record<DoctorResultCode, string | Plural>;
    /** A fix may differ per surface (`cli`, `app`) or per platform (`linux`). */
    fixes: Record<DoctorFixCode, string | (Surfaced & { linux?: string })>;
    summary: { ok: string; problems: Plural };
  };
  /** The desktop shell's own words (main process: window, menu, OS actions). */
  shell: {
    windowTitle: string;
    menu: { keys: string; addSimulatedKey: string; quit: string; view: string };
    actions: { restartElevated: string; openWindowsSettings: string };
    /** Titles and file types of the Open / Save dialogs of Prepare keys. */
    dialogs: {
      openProfile: string;
      save: Record<'report' | 'export-csv' | 'export-jsonl' | 'policy', string>;
      filters: { profile: string; csv: string; jsonl: string; json: string; all: string };
    };
    /** Titles and file types of the Open dialogs for the FIDO Metadata Service BLOB and its root. */
    mdsDialogs: { blob: string; root: string; filters: { blob: string; root: string; all: string } };
  };
  /** Fleet provisioning (`skm provision`, the app's "Prepare keys"). */
  provision: {
    /** A mistake in a profile, with its fix; `{{path}}` is where it is. */
    profileIssues: Record<ProfileIssueCode, string>;
    /** Why a key was rejected, completing "Rejected: …". */
    rejections: Record<RejectionReason, string>;
    steps: Record<StepName, string>;
    lines: Record<
      'waiting' | 'waitingFor' | 'identified' | 'step' | 'prompt' | 'done' | 'wiped' | 'skipped' | 'rejected' | 'incomplete' | 'failed' | 'unidentified' | 'summary' | 'noSteps' | 'readbackMismatch',
      string
    >;
  };
  /** Whether a key is genuine (its attestation) and what the FIDO Metadata Service says of its model. */
  attestation: {
    verdicts: Record<AttestationVerdictCode, string>;
    mds: Record<'heading' | 'description' | 'certification' | 'status' | 'icon' | 'hasIcon' | 'noIcon' | 'notListed' | 'unfit' | 'blob', string>;
  };
  /** The desktop app's own screens (renderer/); English defines the shape (en-app.ts). */
  app: AppWords;
  words: { none: string; yes: string; no: string; deviceInList: string; passkeyInList: string };
  /** What only the `skm` command line says: its result lines, labels and parser messages. */
  cli: CliWords;
}
