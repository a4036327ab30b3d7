/**
 * The provisioning profile: what IT staff want every key of a batch to look like, as a JSON or
 * YAML file. Parsing never throws for a mistake in the file: every mistake comes back as a
 * `ProfileIssue` (the path inside the profile, a code, and the facts the catalogue's words need
 * to say what is wrong and how to fix it), all of them at once, so one edit fixes the file.
 *
 * Unknown settings are mistakes too (a misspelt "forcePinChnage" must not be ignored silently on
 * a run that wipes keys).
 * @module
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';

/** What a key must be able to do to be accepted (`accept.capabilities`). */
export const CAPABILITIES = ['FIDO_2_0', 'FIDO_2_1', 'FIDO_2_1_PRE', 'clientPin', 'credMgmt', 'bioEnroll', 'authnrCfg', 'setMinPINLength', 'alwaysUv', 'ep', 'largeBlobs', 'microsoft-compatible'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Named PIN alphabets; any other text of at least two distinct characters is an alphabet itself. */
export const ALPHABETS = {
  digits: '0123456789',
  alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
} as const;

/** Placeholders a label pattern may use. */
export const LABEL_PLACEHOLDERS = ['n', 'serial', 'model', 'aaguid'] as const;

/** §6.5.1: a PIN is at least 4 code points and at most 63 bytes. */
const MIN_PIN = 4;
const MAX_PIN = 63;

export const PROFILE_ISSUE_CODES = [
  'not-json-or-yaml',
  'not-an-object',
  'unknown-setting',
  'missing',
  'wrong-type',
  'not-one-of',
  'too-small',
  'too-big',
  'not-an-aaguid',
  'alphabet-too-small',
  'unknown-placeholder',
  'pin-shorter-than-minimum',
  'needs-pin',
  'allowed-and-denied',
] as const;
export type ProfileIssueCode = (typeof PROFILE_ISSUE_CODES)[number];

export interface ProfileIssue {
  /** Where in the profile, as dotted path ("pin.length", "accept.allow[2]"); "" for the whole file. */
  path: string;
  code: ProfileIssueCode;
  /** Values the words need: expected choices, limits, the unknown name. */
  facts: { expected?: string; limit?: number; name?: string; line?: number };
}

const aaguid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const pinLength = z.number().int().min(MIN_PIN).max(MAX_PIN);

const randomPin = z
  .object({
    mode: z.literal('random'),
    length: pinLength,
    alphabet: z.string().default('digits'),
  })
  .strict();
const sharedPin = z.object({ mode: z.literal('shared') }).strict();

const schema = z
  .object({
    accept: z
      .object({
        allow: z.array(aaguid).optional(),
        deny: z.array(aaguid).optional(),
        minFirmware: z.number().int().min(0).optional(),
        capabilities: z.array(z.enum(CAPABILITIES)).optional(),
        attestation: z.enum(['required', 'optional']).default('optional'),
      })
      .strict()
      .default({ attestation: 'optional' }),
    reset: z.enum(['always', 'if-pin-set', 'never']),
    pin: z.discriminatedUnion('mode', [randomPin, sharedPin]).optional(),
    minPinLength: pinLength.optional(),
    minPinLengthRpIds: z.array(z.string().min(1)).optional(),
    forcePinChange: z.boolean().default(false),
    alwaysUv: z.boolean().default(false),
    enterpriseAttestation: z.boolean().default(false),
    label: z.string().min(1).default('KEY-{n}'),
  })
  .strict();

type ParsedProfile = z.infer<typeof schema>;

export type PinPolicy = { mode: 'random'; length: number; alphabet: string } | { mode: 'shared' };

/** A valid profile, with defaults filled in and the alphabet spelt out. */
export interface Profile extends Omit<ParsedProfile, 'pin' | 'minPinLengthRpIds'> {
  pin: PinPolicy | null;
  minPinLengthRpIds: string[];
}

export type ProfileResult = { ok: true; profile: Profile } | { ok: false; issues: ProfileIssue[] };

/** Parse a profile file's text: JSON when `format` says so or the text starts with "{", else YAML. */
export function parseProfile(text: string, format: 'json' | 'yaml' | 'auto' = 'auto'): ProfileResult {
  const asJson = format === 'json' || (format === 'auto' && text.trimStart().startsWith('{'));
  let data: unknown;
  if (asJson) {
    try {
      data = JSON.parse(text);
    } catch {
      return { ok: false, issues: [{ path: '', code: 'not-json-or-yaml', facts: {} }] };
    }
  } else {
    // YAML 1.2 core schema: "no" stays a string and "0123" a string, so no YAML 1.1 surprises.
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const line = document.errors[0]!.linePos?.[0]?.line;
      return { ok: false, issues: [{ path: '', code: 'not-json-or-yaml', facts: line !== undefined ? { line } : {} }] };
    }
    data = document.toJS();
  }
  return validateProfile(data);
}

/** Validate profile data (already parsed from JSON or YAML). */
export function validateProfile(data: unknown): ProfileResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, issues: [{ path: '', code: 'not-an-object', facts: {} }] };
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.flatMap(toIssues) };
  const issues = crossChecks(parsed.data);
  if (issues.length > 0) return { ok: false, issues };
  const { pin, minPinLengthRpIds, ...rest } = parsed.data;
  return {
    ok: true,
    profile: {
      ...rest,
      pin: pin === undefined ? null : pin.mode === 'random' ? { ...pin, alphabet: alphabetOf(pin.alphabet) } : pin,
      minPinLengthRpIds: minPinLengthRpIds ?? [],
    },
  };
}

/** The characters of a named or spelt-out alphabet, each once, in first-seen order. */
export function alphabetOf(name: string): string {
  const named = (ALPHABETS as Record<string, string>)[name];
  return named ?? [...new Set(Array.from(name))].join('');
}

/** Rules across settings that a per-field schema cannot express. */
function crossChecks(profile: ParsedProfile): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const { pin } = profile;
  if (pin?.mode === 'random') {
    if (alphabetOf(pin.alphabet).length < 2) issues.push({ path: 'pin.alphabet', code: 'alphabet-too-small', facts: { expected: Object.keys(ALPHABETS).join(', ') } });
    if (profile.minPinLength !== undefined && pin.length < profile.minPinLength) {
      issues.push({ path: 'pin.length', code: 'pin-shorter-than-minimum', facts: { limit: profile.minPinLength } });
    }
  }
  // Each of these needs the PIN: the key asks for it before it changes a setting.
  if (!pin) {
    for (const setting of ['minPinLength', 'forcePinChange', 'alwaysUv', 'enterpriseAttestation'] as const) {
      const value = profile[setting];
      if (value !== undefined && value !== false) issues.push({ path: setting, code: 'needs-pin', facts: {} });
    }
    if (profile.minPinLengthRpIds?.length) issues.push({ path: 'minPinLengthRpIds', code: 'needs-pin', facts: {} });
  }
  const denied = new Set((profile.accept.deny ?? []).map((a) => a.toLowerCase()));
  (profile.accept.allow ?? []).forEach((a, i) => {
    if (denied.has(a.toLowerCase())) issues.push({ path: `accept.allow[${i}]`, code: 'allowed-and-denied', facts: { name: a } });
  });
  for (const match of profile.label.matchAll(/\{([^}]*)\}/g)) {
    if (!(LABEL_PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
      issues.push({ path: 'label', code: 'unknown-placeholder', facts: { name: match[1]!, expected: LABEL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ') } });
    }
  }
  return issues;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/** zod's issue → ours (one per unknown key, so each can be fixed where it is). */
function toIssues(issue: z.core.$ZodIssue): ProfileIssue[] {
  const path = pathText(issue.path);
  if (issue.input === undefined && issue.code !== 'unrecognized_keys') {
    const expected = issue.code === 'invalid_value' ? issue.values.map((v) => JSON.stringify(v)).join(' or ') : issue.code === 'invalid_type' ? issue.expected : undefined;
    return [{ path, code: 'missing', facts: expected !== undefined ? { expected } : {} }];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((name) => ({ path: path ? `${path}.${name}` : name, code: 'unknown-setting', facts: { name } }));
    case 'invalid_type':
      return [{ path, code: 'wrong-type', facts: { expected: issue.expected } }];
    case 'invalid_value':
      return [{ path, code: 'not-one-of', facts: { expected: issue.values.map((v) => JSON.stringify(v)).join(', ') } }];
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return [{ path, code: 'not-one-of', facts: options ? { expected: options.map((v) => JSON.stringify(v)).join(', ') } : {} }];
    }
    case 'too_small':
      return [{ path, code: 'too-small', facts: { limit: Number(issue.minimum) } }];
    case 'too_big':
      return [{ path, code: 'too-big', facts: { limit: Number(issue.maximum) } }];
    case 'invalid_format':
      return [{ path, code: 'not-an-aaguid', facts: {} }];
    default:
      return [{ path, code: 'wrong-type', facts: {} }];
  }
}
