/**
 * English: fleet provisioning (`skm provision`, the app's "Prepare keys").
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const provision: Catalogue['provision'] = {
  profileIssues: {
    'not-json-or-yaml': 'The file is neither valid JSON nor valid YAML{{lineText}}. Fix: check brackets, quotes, commas and indentation.',
    'not-an-object': 'The profile must be one object of settings, such as { "reset": "never", "pin": { "mode": "random", "length": 8 } }.',
    'unknown-setting': '{{path}}: "{{name}}" is not a profile setting. Fix: remove it or correct its spelling.',
    missing: '{{path}} is missing. Fix: add it (expected: {{expected}}).',
    'wrong-type': '{{path}} has the wrong type. Fix: give a {{expected}}.',
    'not-one-of': '{{path}} has a value that is not allowed. Fix: use one of {{expected}}.',
    'too-small': '{{path}} is too small. Fix: use {{limit}} or more.',
    'too-big': '{{path}} is too large. Fix: use {{limit}} or less.',
    'not-an-aaguid': '{{path}} is not an AAGUID. Fix: write it as 8-4-4-4-12 hexadecimal digits, such as "cb69481e-8ff7-4039-93ec-0a2729a154a8".',
    'alphabet-too-small': '{{path}} needs at least two different characters. Fix: use {{expected}}, or spell out the characters.',
    'unknown-placeholder': '{{path}}: "{{name}}" is not a placeholder. Fix: use {{expected}}.',
    'pin-shorter-than-minimum': '{{path}} is shorter than minPinLength ({{limit}}): the keys would refuse their own PIN. Fix: make the PIN at least {{limit}} long.',
    'needs-pin': '{{path}} needs a PIN on the key. Fix: add "pin" (random or shared), or remove {{path}}.',
    'allowed-and-denied': '{{path}}: {{name}} is on both the allow and the deny list. Fix: remove it from one of them.',
  },
  rejections: {
    'aaguid-not-allowed': 'its model (AAGUID {{aaguid}}) is not on the profile’s allow list',
    'aaguid-denied': 'its model (AAGUID {{aaguid}}) is on the profile’s deny list',
    'firmware-too-old': 'its firmware ({{firmware}}) is older than the profile’s minimum ({{limit}})',
    'missing-capability': 'it lacks {{capability}}, which the profile requires',
    'pin-already-set': 'it already has a PIN this run does not know, and the profile does not reset it ("reset": "if-pin-set" would)',
    'step-unsupported': 'it cannot do the step “{{stepText}}” that the profile asks for',
    'pin-length-unsupported': 'it does not take a PIN of that length (its limit: {{limit}})',
    'min-pin-length-would-go-down': 'its minimum PIN length is already {{limit}}, higher than the profile’s, and it only goes up until a reset',
    'too-many-rp-ids': 'it can name at most {{limit}} websites for the minimum PIN length',
    'mds-unfit': 'the FIDO Metadata Service lists its model as {{status}}',
    'attestation-not-verified': 'it could not be shown to be genuine: {{verdictText}}',
  },
  steps: {
    reset: 'reset',
    pin: 'set the PIN',
    'always-uv': 'always require the PIN',
    'enterprise-attestation': 'turn on enterprise attestation',
    'min-pin-length': 'minimum PIN length and forced change',
    verify: 'read back and check',
  },
  lines: {
    waiting: 'Waiting for keys… ({{finished}} done so far)',
    waitingFor: 'Waiting for keys… ({{finished}} of {{count}} done)',
    identified: '[{{label}}] {{model}}',
    step: '[{{label}}] {{stepText}}…',
    prompt: '[{{label}}] {{text}}',
    done: '[{{label}}] Done: {{stepsText}}.',
    wiped: '[{{label}}] Wiped and verified.',
    skipped: '[{{label}}] Already provisioned (in the report); skipped.',
    rejected: '[{{label}}] Rejected, nothing was changed: {{reasonText}}.',
    incomplete: '[{{label}}] Incomplete: {{error}} Done so far: {{stepsText}}. Run again with the key inserted to finish it.',
    failed: '[{{label}}] Not changed: {{error}}',
    unidentified: '[{{deviceId}}] Could not be read: {{error}} Nothing was changed.',
    readbackMismatch: 'The key, read back, does not show every setting of the profile.',
    summary: 'Provisioned {{done}}, rejected {{rejected}}, incomplete {{incomplete}}, failed {{failed}}, skipped {{skipped}}. Report: {{path}}',
    noSteps: 'nothing',
  },
};
