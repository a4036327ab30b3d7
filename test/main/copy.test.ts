// The catalogue is complete: every code the service or a flow can produce has words, in every
// language, for both front ends; plurals follow the count; and main/service holds no words of
// its own (no command names or flags a front end would have to own).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIRM_ACTIONS, REINSERT_INSTRUCTIONS, TOUCH_INSTRUCTIONS, type Consequence, type TestStepResult } from '../../ctap/flows/prompts.js';
import { FEATURES } from '../../main/copy/catalogue.js';
import { Copy, LANGUAGES, type Language } from '../../main/copy/index.js';
import { APP_ERROR_CODES, ERROR_REASONS, type ServiceError } from '../../main/service/errors.js';

const root = new URL('../..', import.meta.url).pathname;
const leftovers = /\{\{|\}\}|CTAP2?_ERR|0x[0-9a-f]{2}\b/i;

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) files(path, out);
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Facts that fill every placeholder the error texts use. */
const facts: ServiceError['facts'] = {
  retries: 2,
  minLength: 6,
  maxBytes: 63,
  devices: [
    { id: 'usb:1', name: 'YubiKey 5' },
    { id: 'usb:2', name: 'Solo' },
  ],
  passkeys: [
    { credentialId: 'AAAAb1', rpId: 'a.example', userName: 'alice' },
    { credentialId: 'AAAAc2', rpId: 'b.example', userName: null },
  ],
  deviceId: 'usb:9',
  path: '/tmp/key.json',
  seconds: 10,
  transport: 'nfc',
  allowed: ['usb'],
  preset: 'nope',
  current: 6,
  maxRpIds: 4,
  input: 'AAAA',
  step: 'signature-invalid',
  bytes: 300,
  parserMessage: "Unknown option '--x'.",
  feature: 'credMgmt',
  action: 'Reset this security key',
  consequences: ['The PIN is removed.'],
};

const languages = Object.keys(LANGUAGES) as Language[];

describe.each(languages.flatMap((language) => (['cli', 'app'] as const).map((surface) => ({ language, surface }))))('$language for the $surface', ({ language, surface }) => {
  const copy = new Copy(surface, language);

  it('words every error code with a message and a next step, never a spec name', () => {
    for (const code of APP_ERROR_CODES) {
      const words = copy.error({ code, facts });
      expect(words.message.length, code).toBeGreaterThan(3);
      expect(words.message, code).not.toMatch(leftovers);
      expect(words.nextStep ?? '', code).not.toBe('');
      expect(words.nextStep, code).not.toMatch(leftovers);
    }
  });

  it('words every reason', () => {
    for (const reason of ERROR_REASONS) {
      const words = copy.error({ code: 'USAGE', facts: { ...facts, reason } });
      expect(words.message, reason).not.toMatch(leftovers);
      expect(words.message, reason).not.toContain('reasons.');
    }
  });

  it('words every touch, reinsert and confirmation, with the key named', () => {
    for (const instruction of TOUCH_INSTRUCTIONS) expect(copy.touch(instruction, 'yubikey')).not.toMatch(/\{\{|^touch\./);
    for (const instruction of REINSERT_INSTRUCTIONS) expect(copy.reinsert({ phase: 'remove', instruction, noun: 'card' })).toMatch(/card/);
    for (const action of CONFIRM_ACTIONS) {
      expect(copy.confirmTitle({ action, subject: { rpId: 'github.com', account: 'octocat', name: 'Thumb', noun: 'yubikey' }, consequences: [] })).not.toMatch(/\{\{|^confirm\./);
    }
  });

  it('words every consequence', () => {
    const all: Consequence[] = [
      { code: 'passkeys-deleted' },
      { code: 'fingerprints-deleted' },
      { code: 'pin-removed' },
      { code: 'settings-to-defaults' },
      { code: 'passkey-sign-in-lost', rpId: 'github.com', account: null },
      { code: 'cannot-undo-website-may-list' },
      { code: 'fingerprint-unlock-lost', name: null },
      { code: 'min-pin-length-raised', minLength: 8 },
      { code: 'min-pin-length-only-up' },
      { code: 'short-pin-must-change', minLength: 8 },
      { code: 'pin-must-change' },
      { code: 'min-pin-length-sites', rpIds: [] },
      { code: 'always-uv-every-sign-in' },
      { code: 'always-uv-u2f-stops' },
      { code: 'always-uv-no-pin-yet' },
      { code: 'always-uv-reset-off' },
      { code: 'always-uv-off-websites-decide' },
      { code: 'enterprise-attestation-identifies' },
      { code: 'enterprise-attestation-reset-off' },
      { code: 'blob-deleted', rpId: 'github.com', account: 'octocat', bytes: 1 },
      { code: 'orphaned-blobs-deleted', blobs: 2, bytes: 300 },
      { code: 'blob-of-deleted-passkey-deleted', rpId: 'github.com', account: null, bytes: 1 },
      { code: 'unreadable-blobs-deleted', bytes: 40, reason: 'hash-mismatch' },
    ];
    for (const consequence of all) expect(copy.consequence(consequence), consequence.code).not.toMatch(/\{\{|^confirm\.|undefined/);
  });

  it('words every test step and fingerprint sample', () => {
    const results: TestStepResult[] = ['unlocked', 'created-passkey', 'created-credential', 'attestation-packed', 'attestation-self', 'attestation-none', 'attestation-other', 'attestation-bad-signature', 'signed-in', 'signature-valid', 'signature-invalid', 'stored-blob', 'no-blob-key', 'blob-storage-unreadable', 'refused'];
    for (const result of results) expect(copy.testStep({ step: 'signature', ok: true, result, rpId: 'a.test', fmt: 'tpm', statusName: 'OTHER' })).not.toMatch(/\{\{|^test\./);
    expect(copy.progress({ step: 'fingerprint-sample', feedback: 'too-high', remaining: 2, total: 4, done: false })).toMatch(/lower.*2 more touches needed/);
  });
});

describe('plurals follow the count', () => {
  const copy = new Copy('cli');

  it('tries left', () => {
    expect(copy.error({ code: 'PIN_INVALID', facts: { retries: 1 } }).message).toBe('That PIN is wrong. 1 try left.');
    expect(copy.error({ code: 'PIN_INVALID', facts: { retries: 2 } }).message).toBe('That PIN is wrong. 2 tries left.');
    expect(copy.error({ code: 'PIN_INVALID', facts: {} }).message).toBe('That PIN is wrong.');
    expect(copy.pinQuestion({ purpose: 'current', retries: 1, minLength: 4, maxBytes: 63 })).toMatch(/\(1 try left\)$/);
  });

  it('what a reset deletes, counted when known', () => {
    expect(copy.consequence({ code: 'passkeys-deleted', passkeys: 12, sites: 5 })).toContain('(12 passkeys on 5 websites)');
    expect(copy.consequence({ code: 'passkeys-deleted', passkeys: 1, sites: 1 })).toContain('(1 passkey on 1 website)');
    expect(copy.consequence({ code: 'fingerprints-deleted', fingerprints: 3 })).toContain('(3 fingerprints)');
    expect(copy.consequence({ code: 'passkeys-deleted' })).not.toContain('(');
  });
});

describe('surface-specific next steps are the front end’s', () => {
  it('the CLI names its command, the app its button, the neutral text neither', () => {
    const error = { code: 'PIN_NOT_SET' as const, facts: {} };
    expect(new Copy('cli').error(error).nextStep).toContain('skm pin set');
    expect(new Copy('app').error(error).nextStep).not.toContain('skm');
    expect(new Copy('app').error({ code: 'NO_DEVICE', facts: {} }).nextStep).not.toContain('--virtual');
  });
});

describe('every feature a key can lack has words', () => {
  it('each UnsupportedError thrown in ctap/ and each flow feature code is in the catalogue', () => {
    const thrown = new Set<string>();
    for (const file of files('ctap')) {
      for (const match of readFileSync(join(root, file), 'utf8').matchAll(/new UnsupportedError\(\s*'([^']+)'/g)) thrown.add(match[1]!);
      for (const match of readFileSync(join(root, file), 'utf8').matchAll(/outcome: 'unsupported', feature: '([^']+)'/g)) thrown.add(match[1]!);
    }
    expect(thrown.size).toBeGreaterThan(15);
    // The virtual key's own preset error never reaches a person as a feature (USAGE unknown-preset).
    thrown.delete('virtual-key-preset');
    expect([...thrown].filter((feature) => !(FEATURES as readonly string[]).includes(feature))).toEqual([]);
  });
});

describe('main/service holds no front-end words', () => {
  it('no string in main/service names an skm command or a command-line flag', () => {
    const offenders: string[] = [];
    for (const file of files('main/service')) {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
          // skm's own commands and flags; other programs' commands (udevadm in the doctor's fixes) are data.
          if (/\bskm\s|(^|\s)--(virtual|device|json|yes|verbose|trace|no-power-cycle|rp|name|display-name|force-change|profile|report)\b/.test(node.text)) offenders.push(`${file}: ${node.text}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });
});
