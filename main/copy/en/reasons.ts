/**
 * English: the more precise message (and next step) of an error that has a reason.
 * @module
 */
import type { Catalogue } from '../catalogue.js';

export const reasons: Catalogue['reasons'] = {
  'too-short': { message: 'The PIN must have at least {{minLength}} characters.' },
  'too-long': { message: 'The PIN is too long: it can use at most {{maxBytes}} bytes (fewer characters if they are not plain letters and digits).' },
  'not-a-string': { message: 'The PIN contains a character that cannot be used.' },
  'same-as-current': { message: 'The new PIN must be different from the current one.' },
  'pin-rejected-by-key': { message: 'The security key refused this PIN: it does not meet the key’s PIN rules.' },
  'declined-delete': { message: 'Nothing was deleted.' },
  'declined-change': { message: 'Nothing was changed.' },
  'declined-remove': { message: 'Nothing was removed.' },
  'declined-reset': { message: 'Cancelled. Nothing was reset.' },
  'no-finger': {
    message: 'No finger was detected in time. Start again and touch the sensor when asked.',
    nextStep: { text: 'Start again and touch the sensor each time you are asked.', cli: 'Run the command again and touch the sensor each time you are asked.' },
  },
  'none-touched': {
    message: 'None of the security keys was touched in time.',
    nextStep: { text: 'Try again and touch the key you want while they blink.', cli: 'Run `{{skm}} select` again and touch the key you want while they blink.' },
  },
  'reset-not-touched': {
    message: 'The key was not touched in time, so it was not reset.',
    nextStep: { text: 'Start the reset again and touch the key as soon as it blinks.', cli: 'Run `{{skm}} reset` again and touch the key as soon as it blinks.' },
  },
  'test-not-touched': {
    message: 'The security key was not touched in time.',
    nextStep: { text: 'Try again and touch the key each time it blinks.', cli: 'Run `{{skm}} test` again and touch the key each time it blinks.' },
  },
  'reset-declined': {
    message: 'The key refused the reset: it was declined on the key, or this key does not allow a reset over this connection.',
    nextStep: {
      text: 'Start the reset again and confirm on the key; if it keeps refusing, connect it the other way (USB instead of NFC, or the reverse).',
      cli: 'Run `{{skm}} reset` again and confirm on the key; if it keeps refusing, connect it the other way (USB instead of NFC, or the reverse).',
    },
  },
  'not-removed': {
    message: 'The key was not removed within {{seconds}} seconds, so it was not reset.',
    nextStep: { text: 'Start the reset again and remove the key when asked.', cli: 'Run `{{skm}} reset` again and remove the key when asked.' },
  },
  'not-reinserted': {
    message: 'The key was not inserted again within {{seconds}} seconds, so it was not reset.',
    nextStep: { text: 'Start the reset again and reinsert the key when asked.', cli: 'Run `{{skm}} reset` again and reinsert the key when asked.' },
  },
  'power-cycle-failed': {
    message: 'The reader could not switch the key off and on, so it was not reset.',
    nextStep: {
      text: 'Start the reset again without the reader switching the key off, and lift the key off the reader and tap it again when asked.',
      cli: 'Run `{{skm}} reset --no-power-cycle`, and lift the key off the reader and tap it again when asked.',
    },
  },
  'pcscd-not-running': {
    message: 'The smart card service (pcscd) is not running, so keys on card readers cannot be used.',
    nextStep: 'Start it (sudo systemctl start pcscd) and try again.',
  },
  'before-reset': {
    message: 'A different security key was inserted, so it was not reset; nothing on it was changed.',
    nextStep: { text: 'Start the reset again and reinsert the same key you started with.', cli: 'Run `{{skm}} reset` again and reinsert the same key you started with.' },
  },
  'after-reset': {
    message: 'The key that was reset does not answer like the key you chose.',
    nextStep: { text: 'Check which key was reset; keep other keys away during a reset.', cli: 'Check which key was reset with `{{skm}} info`; keep other keys away during a reset.' },
  },
  'only-goes-up': {
    message: 'The minimum PIN length is {{current}} and can only go up until the key is reset.',
    nextStep: { text: 'Nothing was changed. Only a reset lowers it.', cli: 'Nothing was changed. See the current minimum with `{{skm}} pin status`; only a reset lowers it.' },
  },
  'no-rp-ids': { message: 'This key cannot share its minimum PIN length with websites.', nextStep: 'Nothing was changed.' },
  'too-many-rp-ids': { message: 'This key can share its minimum PIN length with at most {{maxRpIds}} websites.', nextStep: 'Nothing was changed. Name fewer websites.' },
  policy: { message: 'The key refused this minimum PIN length.', nextStep: 'Nothing was changed.' },
  'name-too-long': { message: 'That name is too long for this security key: at most {{maxBytes}} bytes.', nextStep: 'Choose a shorter name.' },
  'test-step-failed': { message: 'The key failed the test: {{stepResult}}' },
  'state-file-in-use': {
    message: 'The simulated key {{path}} is in use by another skm.',
    nextStep: 'Wait for the other skm to finish, then try again. If no other skm is running, delete {{lockPath}}.',
  },
  'state-file-not-saved': {
    message: 'The simulated key could not be saved to {{path}}, so the change was not kept.',
    nextStep: 'Check that the folder exists and that you may write to it (a temporary file is written next to the key file), then try again.',
  },
  'virtual-file-twice': { message: 'The file {{path}} was given twice with --virtual.' },
  'unknown-preset': {
    message: 'There is no simulated key preset called "{{preset}}".',
    nextStep: { text: 'Choose one of the presets.', cli: 'See the presets with `{{skm}} virtual-key presets`.' },
  },
  'virtual-preset-without-file': { message: '--virtual-preset needs --virtual STATE_FILE (the file the simulated key is kept in).' },
  'invalid-credential-id': { message: '"{{input}}" is not a valid credential id: expected base64url text as `{{skm}} creds list` prints it.' },
  'invalid-template-id': { message: '"{{input}}" is not a fingerprint id: expected hex as `{{skm}} bio list` prints it.' },
  'empty-name': { message: 'A name cannot be empty.' },
  'nothing-to-update': { message: 'Say what to change with --name and/or --display-name.' },
  'no-pin-on-stdin': {
    message: 'No PIN on standard input.',
    nextStep: 'Pipe the PIN on standard input, one per line (for `pin change`: the current PIN, then the new one), or run the command in a terminal.',
  },
  'confirmation-needed': {
    message: '{{action}}: this needs your confirmation. {{consequenceList}}',
    nextStep: 'Nothing was changed. To confirm without a terminal, run the command again with --yes.',
  },
  'missing-command': { message: 'Say which command to run.' },
  'pin-in-arguments': {
    message: 'Unknown `{{skm}} pin` command (not repeated here, in case it was a PIN).',
    nextStep:
      'PINs are never given on the command line (they would stay in the shell history): type the PIN when asked, or pipe it on standard input, one per line. The commands are `{{skm}} pin status`, `{{skm}} pin set` and `{{skm}} pin change`.',
  },
  'pin-extra-arguments': {
    message: '{{parserMessage}}',
    nextStep:
      'PINs are never given on the command line (they would stay in the shell history): type the PIN when asked, or pipe it on standard input, one per line. The commands are `{{skm}} pin status`, `{{skm}} pin set` and `{{skm}} pin change`.',
  },
  'argument-parser': { message: '{{parserMessage}}' },
  'no-blob': { message: 'Nothing is stored beside that passkey.', nextStep: { text: 'See which passkeys hold data.', cli: 'See which passkeys hold data with `skm blobs list`.' } },
  'blob-storage-unreadable': {
    message: 'The key’s large-blob storage cannot be read ({{bytes}} bytes fail its integrity check); no passkey can use what is in it.',
    nextStep: { text: 'Empty it (you are asked first).', cli: 'Empty it with `skm blobs prune` (it asks first).' },
  },
  'blob-storage-changed': {
    message: 'The key’s large-blob storage changed while you were deciding, so nothing was written.',
    nextStep: 'Look at what it holds now, then try again.',
  },
  'out-file-exists': { message: '{{path}} already exists; it was left as it is.', nextStep: 'Name a new file.' },
  'large-blob-needs-resident': { message: '--large-blob needs --resident: the text is stored beside a passkey kept on the key.' },
  'vpcd-missing': { message: 'Say where to attach the simulated key with --vpcd HOST:PORT, or run `{{skm}} virtual-key presets`.' },
  'ambiguous-device': {
    message: '"{{deviceId}}" matches {{count}} keys{{deviceList}}.',
    nextStep: { text: 'Choose one of them.', cli: 'Give more of the id with --device (see `{{skmKeys}} list`).' },
  },
  'ambiguous-credential-id': {
    message: '"{{input}}" is the start of {{count}} passkeys: {{passkeyList}}.',
    nextStep: { text: 'Give more of the id.', cli: 'Give more of the id (see `{{skm}} creds list`).' },
  },
  'cannot-wink': {
    message: '{{featureText}}',
    nextStep: { text: 'Keys on an NFC reader and keys without a light cannot blink; tell keys apart by their names and ids.', cli: 'Keys on an NFC reader and keys without a light cannot blink; tell keys apart by their names and ids in `{{skmKeys}} list`.' },
  },
  'os-action-unavailable': {
    message: 'This is only available in the desktop app on Windows.',
    nextStep: 'Nothing to do here: this computer does not need it.',
  },
  'elevation-declined': {
    message: 'The app was not restarted as administrator.',
    nextStep: 'To manage the key here, choose Restart as administrator again and allow it, or use Windows Settings › Accounts › Sign-in options › Security Key.',
  },
  // Fleet provisioning
  'profile-invalid': { message: 'The profile {{path}} has mistakes (each is listed with its fix); no key was changed.', nextStep: 'Correct the profile and run again.' },
  'profile-unreadable': { message: 'The profile {{path}} could not be read.', nextStep: 'Check the file name and that you may read it.' },
  'report-in-use': {
    message: 'The report {{path}} is in use by another provisioning run.',
    nextStep: 'Wait for the other run to finish, or write to another report. If no other run is going on, delete {{path}}.lock.',
  },
  'report-unreadable': {
    message: 'The report {{path}} exists but cannot be read as a provisioning report, so it was left as it is.',
    nextStep: 'Choose another report file, or move this one away.',
  },
  'report-not-saved': {
    message: 'The report {{path}} could not be written.',
    nextStep: 'Check that the folder exists and that you may write to it, then run again: keys already done are recognised.',
  },
  'policy-not-saved': { message: 'The Entra ID policy file {{path}} could not be written.', nextStep: 'Check that the folder exists and that you may write to it; the report is complete, so run again with --count 0 to write only the policy.' },
  'mds-invalid': {
    message: 'The metadata file is not a FIDO Metadata Service BLOB signed through the given root certificate, so it was not used.',
    nextStep: {
      text: 'Download the BLOB again from the FIDO Alliance (https://mds3.fidoalliance.org/) and load it with the FIDO MDS root certificate (PEM).',
      cli: 'Download the BLOB again from the FIDO Alliance and give the FIDO MDS root certificate (PEM) with --mds-root.',
    },
  },
  'mds-untrusted': {
    message: 'The metadata file is a FIDO Metadata Service BLOB, but it is not signed through the given root certificate (or its signing certificate has expired), so it was not used.',
    nextStep: { text: 'Check that the root certificate is the FIDO MDS root (PEM), or download the BLOB again.', cli: 'Check that --mds-root is the FIDO MDS root certificate (PEM), or download the BLOB again.' },
  },
  'mds-too-large': { message: 'The file {{path}} is too large to be a FIDO Metadata Service BLOB or a root certificate.', nextStep: 'Pick the BLOB (blob.jwt) and the root certificate (PEM) themselves.' },
  'path-not-allowed': {
    message: 'The file name {{path}} cannot be used here.',
    nextStep: 'Give a full file name (such as /home/you/keys.csv or C:\\Users\\you\\keys.csv) in a folder that exists; devices and folders cannot be written to.',
  },
  'export-not-saved': { message: 'The export {{path}} could not be written.', nextStep: 'Check that the folder exists and that you may write to it, then export again.' },
  'profile-too-large': { message: 'The profile {{path}} is too large to be a profile.', nextStep: 'Open the profile file itself (a few settings in JSON or YAML).' },
  'provisioning-running': { message: 'Keys are already being prepared.', nextStep: 'Stop that run first, or wait for it to end.' },
  'no-report-yet': { message: 'There is no report to export yet.', nextStep: 'Start preparing keys first; the report can be exported during the run and after it.' },
  'mds-without-root': { message: '--mds needs --mds-root FILE: the root certificate (PEM) that the BLOB must be signed through.' },
  'pin-file-unreadable': { message: 'The PIN file {{path}} could not be read, or its first line is not a PIN.', nextStep: 'Put the PIN alone on the first line of the file.' },
  'no-shared-pin': {
    message: 'This profile sets one shared PIN on every key, and none was given.',
    nextStep: { text: 'Enter the shared PIN.', cli: 'Give it with --pin-file FILE, or as the first line of standard input. Never on the command line.' },
  },
  'shared-pin-unused': { message: 'A PIN was given, but this profile does not set a shared PIN.', nextStep: 'Use a profile with "pin": { "mode": "shared" }, or leave out the PIN.' },
  'attestation-needs-mds': {
    message: 'This profile requires checking that each key is genuine (attestation), and that needs the FIDO Metadata Service BLOB: it lists the makers\' root certificates.',
    nextStep: { text: 'Load the BLOB and its root certificate under Diagnostics, FIDO Metadata Service.', cli: 'Give --mds FILE (the BLOB from https://mds3.fidoalliance.org/) and --mds-root FILE (its root certificate, PEM).' },
  },
};
