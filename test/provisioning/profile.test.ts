// The provisioning profile: the issue's minimal profile as written, YAML and JSON alike, and every
// mistake reported at once with where it is and how to fix it (in the catalogue's words).
import { describe, expect, it } from 'vitest';
import { Copy } from '../../main/copy/index.js';
import { en } from '../../main/copy/en.js';
import { profileIssueText } from '../../main/cli/commands/provision-run.js';
import { parseProfile, PROFILE_ISSUE_CODES, type ProfileIssue } from '../../main/service/provisioning/profile.js';

const MINIMAL = '{ "reset": "never", "pin": { "mode": "random", "length": 8 }, "minPinLength": 8, "forcePinChange": true, "label": "KEY-{n}" }';

function issues(text: string): ProfileIssue[] {
  const parsed = parseProfile(text);
  if (parsed.ok) throw new Error('expected the profile to be refused');
  return parsed.issues;
}

describe('valid profiles', () => {
  it('accepts the minimal profile exactly as written, with documented defaults', () => {
    expect(parseProfile(MINIMAL)).toEqual({
      ok: true,
      profile: {
        accept: { attestation: 'optional' },
        reset: 'never',
        pin: { mode: 'random', length: 8, alphabet: '0123456789' },
        minPinLength: 8,
        minPinLengthRpIds: [],
        forcePinChange: true,
        alwaysUv: false,
        enterpriseAttestation: false,
        label: 'KEY-{n}',
      },
    });
  });

  it('reads the same profile from YAML', () => {
    const yaml = 'reset: never\npin:\n  mode: random\n  length: 8\nminPinLength: 8\nforcePinChange: true\nlabel: "KEY-{n}"\n';
    expect(parseProfile(yaml)).toEqual(parseProfile(MINIMAL));
  });

  it('takes every setting: accept lists, capabilities, shared PIN, RP IDs, a spelt-out alphabet', () => {
    const parsed = parseProfile(`
accept:
  allow: [CB69481E-8FF7-4039-93EC-0A2729A154A8]
  deny: [ee882879-721c-4913-9775-3dfcce97072a]
  minFirmware: 328704
  capabilities: [FIDO_2_1, credMgmt, microsoft-compatible]
  attestation: optional
reset: if-pin-set
pin: { mode: random, length: 6, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ23456789AB" }
minPinLength: 6
minPinLengthRpIds: [login.microsoftonline.com]
alwaysUv: true
enterpriseAttestation: true
label: "{model}-{serial}-{n}"
`);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.profile.pin).toEqual({ mode: 'random', length: 6, alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789' });
    expect(parseProfile('{ "reset": "always", "pin": { "mode": "shared" } }').ok).toBe(true);
  });
});

describe('mistakes', () => {
  it('lists every mistake with its path, at once', () => {
    const found = issues('{ "reset": "sometimes", "pin": { "mode": "random", "length": 3 }, "forcePinChnage": true, "label": "KEY-{number}" }');
    expect(found).toEqual([
      { path: 'reset', code: 'not-one-of', facts: { expected: '"always", "if-pin-set", "never"' } },
      { path: 'pin.length', code: 'too-small', facts: { limit: 4 } },
      { path: 'forcePinChnage', code: 'unknown-setting', facts: { name: 'forcePinChnage' } },
    ]);
  });

  it('finds mistakes between settings once each setting is right', () => {
    expect(issues('{ "reset": "never", "pin": { "mode": "random", "length": 6, "alphabet": "aaaa" }, "minPinLength": 8, "label": "{n}-{who}" }')).toEqual([
      { path: 'pin.alphabet', code: 'alphabet-too-small', facts: { expected: 'digits, alphanumeric' } },
      { path: 'pin.length', code: 'pin-shorter-than-minimum', facts: { limit: 8 } },
      { path: 'label', code: 'unknown-placeholder', facts: { name: 'who', expected: '{n}, {serial}, {model}, {aaguid}' } },
    ]);
    expect(issues('{ "reset": "always", "forcePinChange": true, "alwaysUv": true }').map((i) => `${i.path}:${i.code}`)).toEqual(['forcePinChange:needs-pin', 'alwaysUv:needs-pin']);
    expect(issues('{ "reset": "never", "accept": { "allow": ["ee882879-721c-4913-9775-3dfcce97072a"], "deny": ["EE882879-721C-4913-9775-3DFCCE97072A"] } }')).toEqual([
      { path: 'accept.allow[0]', code: 'allowed-and-denied', facts: { name: 'ee882879-721c-4913-9775-3dfcce97072a' } },
    ]);
  });

  it('names the wrong item of a list, a missing setting, a wrong type and an unknown PIN mode', () => {
    expect(issues('{ "accept": { "allow": ["not-a-uuid"], "capabilities": ["credMgmt", "teleport"] }, "pin": { "mode": "typed" }, "alwaysUv": "yes" }').map((i) => `${i.path}:${i.code}`)).toEqual([
      'accept.allow[0]:not-an-aaguid',
      'accept.capabilities[1]:not-one-of',
      'reset:missing',
      'pin.mode:not-one-of',
      'alwaysUv:wrong-type',
    ]);
  });

  it('says where a YAML file stops being YAML, and refuses a list or a number as a profile', () => {
    expect(issues('reset: never\npin: { mode: random\n')).toEqual([{ path: '', code: 'not-json-or-yaml', facts: { line: expect.any(Number) as number } }]);
    expect(issues('{ "reset": "never", }')).toEqual([{ path: '', code: 'not-json-or-yaml', facts: {} }]);
    expect(issues('- reset: never\n')).toEqual([{ path: '', code: 'not-an-object', facts: {} }]);
  });

  it('words every kind of mistake with its path and a fix, leaving no placeholder unfilled', () => {
    const copy = new Copy('cli');
    expect(Object.keys(en.provision.profileIssues).sort()).toEqual([...PROFILE_ISSUE_CODES].sort());
    for (const code of PROFILE_ISSUE_CODES) {
      const text = profileIssueText(copy, { path: 'pin.length', code, facts: { expected: 'x', limit: 8, name: 'y', line: 3 } });
      expect(text).not.toMatch(/\{\{|\}\}/);
      if (code !== 'not-an-object') expect(text).toMatch(/Fix:/);
    }
    expect(profileIssueText(copy, { path: 'pin.length', code: 'too-small', facts: { limit: 4 } })).toBe('pin.length is too small. Fix: use 4 or more.');
  });
});
