/**
 * English: the complete catalogue. Plain words a person can act on, never spec names; the raw
 * codes belong in the details a front end shows on request. Other languages fall back to this.
 * @module
 */
import type { Catalogue } from './catalogue.js';
import { enApp } from './en-app.js';
import { enCli } from './en-cli.js';

const TRY_AGAIN_TOUCH = 'Try again and touch the key when it blinks.';
const RESET_ONLY = 'The key is locked; only a reset will make it usable, and it erases everything.';

export const en: Catalogue = {
  errors: {
    NO_DEVICE: {
      message: 'No security key found.',
      nextStep: {
        text: 'Insert your security key (or tap it on the reader) and try again.',
        cli: 'Insert your security key (or tap it on the reader) and try again. To practise on a simulated key, add --virtual FILE.',
      },
    },
    SEVERAL_DEVICES: {
      message: 'Several security keys are connected{{deviceList}}.',
      nextStep: { text: 'Choose one of them, or remove the others.', cli: 'Choose one with --device ID (see `{{skmKeys}} list`), or remove the others.' },
    },
    DEVICE_NOT_FOUND: {
      message: 'No security key matches "{{deviceId}}".',
      nextStep: { text: 'Choose one of the connected keys.', cli: 'Run `{{skmKeys}} list` to see the connected keys and their ids.' },
    },
    DEVICE_BUSY: {
      message: 'The security key is busy with another operation.',
      nextStep: 'Wait for the other operation (or the other app using the key) to finish, then try again.',
    },
    DEVICE_GONE: { message: 'The security key was removed.', nextStep: 'Insert the key again (or keep it on the reader) and try again.' },
    PERMISSION_DENIED: {
      message: 'This computer did not allow access to the security key.',
      nextStep: 'Check that your user may access USB security keys, then try again.',
    },
    TIMEOUT: { message: 'The security key did not answer in time.', nextStep: 'Remove and reinsert the key, then try again.' },
    TRANSPORT: { message: 'Could not talk to the security key.', nextStep: 'Remove and reinsert the key (or tap it again), then try again.' },
    PROTOCOL: {
      message: "The security key's answer could not be understood.",
      nextStep: 'Try again; if it keeps happening, the key may not be compatible with this app.',
    },
    NOT_FIDO2: {
      message: 'This key is not a FIDO2 security key (it may be an older U2F-only key): it has no PIN, passkeys or settings to manage.',
      nextStep: 'Use a security key that supports FIDO2.',
    },
    KEY_REJECTED_REQUEST: {
      message: 'The security key refused the request.',
      nextStep: 'Your key may not support this in the way this app asks. Check for a firmware or app update.',
    },
    KEY_FAILURE: {
      message: 'The security key reported an internal failure.',
      nextStep: 'Remove and reinsert the key and try again; if it keeps happening, contact the key vendor.',
    },
    REQUEST_TOO_LARGE: { message: 'The request is too large for this security key.', nextStep: 'Use shorter names or fewer items.' },
    PIN_INVALID: {
      message: 'That PIN is wrong.{{triesText}}',
      nextStep: 'Try again with the right PIN. After 3 wrong PINs in a row, remove and reinsert the key; when no tries are left, the key locks.',
    },
    PIN_AUTH_BLOCKED: { message: 'Too many wrong PINs in a row.', nextStep: 'Remove and reinsert the key, then try again.' },
    PIN_BLOCKED: { message: 'The PIN is locked: too many wrong PINs.', nextStep: RESET_ONLY },
    PIN_NOT_SET: {
      message: 'This security key has no PIN yet.',
      nextStep: { text: 'Set a PIN first, then try again.', cli: 'Set one with `{{skm}} pin set`, then try again.', app: 'Choose Add under Security Key PIN, then try again.' },
    },
    PIN_ALREADY_SET: {
      message: 'This security key already has a PIN.',
      nextStep: { text: 'Change it instead.', cli: 'Change it with `{{skm}} pin change`.', app: 'Choose Change under Security Key PIN.' },
    },
    PIN_POLICY: {
      message: "That PIN does not meet the key's rules.",
      nextStep: 'Choose a PIN that meets the rules (a longer one, or one different from the current PIN).',
    },
    PIN_REQUIRED: {
      message: 'This needs the PIN of the security key.',
      nextStep: { text: 'Enter the PIN when asked, or set one first.', cli: 'Enter the PIN when asked, or set one first with `{{skm}} pin set`.' },
    },
    PIN_MISMATCH: { message: 'The two PINs you typed are different.', nextStep: 'Try again and type the same PIN twice.' },
    PIN_CHANGE_REQUIRED: {
      message: 'This security key requires a new PIN before it can be used.',
      nextStep: { text: 'Change the PIN, then try again.', cli: 'Change the PIN with `{{skm}} pin change`, then try again.', app: 'Choose Change under Security Key PIN, then try again.' },
    },
    SESSION_EXPIRED: { message: 'The security key no longer accepts this session.', nextStep: 'Try again; you will be asked for the PIN again.' },
    UV_INVALID: {
      message: 'The fingerprint was not recognised.{{triesText}}',
      nextStep: 'Try again, or use the PIN.',
    },
    UV_BLOCKED: {
      message: 'Fingerprint unlock is blocked after too many failed attempts.',
      nextStep: 'Use the PIN instead; entering it unblocks the fingerprint sensor.',
    },
    TOUCH_TIMEOUT: { message: 'The security key was not touched in time.', nextStep: TRY_AGAIN_TOUCH },
    TOUCH_REQUIRED: { message: 'The security key needs to be touched for this.', nextStep: TRY_AGAIN_TOUCH },
    OPERATION_DENIED: {
      message: 'The security key refused: the request was declined on the key.',
      nextStep: 'Try again and confirm on the key. Some keys do not allow this over every connection (USB / NFC).',
    },
    NOT_ALLOWED: { message: 'The security key does not allow this right now.', nextStep: 'Remove and reinsert the key, then try again.' },
    RESET_TOO_LATE: {
      message: 'Too late: this key accepts a reset only within {{seconds}} seconds after it is plugged in. Nothing was reset.',
      nextStep: {
        text: 'Start the reset again and touch the key as soon as it blinks after you reinsert it.',
        cli: 'Run `{{skm}} reset` again and touch the key as soon as it blinks after you reinsert it.',
      },
    },
    RESET_NOT_ALLOWED_ON_TRANSPORT: {
      message: 'This key allows a reset only over {{allowedList}}, not over {{transportName}}. Nothing was sent.',
      nextStep: { text: 'Connect the key that way and start the reset again.', cli: 'Connect the key that way and run `{{skm}} reset` again.' },
    },
    DIFFERENT_KEY: { message: 'A different security key was inserted.', nextStep: 'Insert the same key you started with.' },
    KEY_STORE_FULL: {
      message: 'The security key has no room for more passkeys.',
      nextStep: { text: 'Delete passkeys you no longer need, then try again.', cli: 'Delete passkeys you no longer need (`{{skm}} creds`), then try again.' },
    },
    FINGERPRINT_STORE_FULL: {
      message: 'This key already holds as many fingerprints as it can.',
      nextStep: 'Remove a fingerprint you no longer need, then try again.',
    },
    FINGERPRINT_NOT_FOUND: {
      message: 'That fingerprint is not on this security key.',
      nextStep: { text: 'Pick a fingerprint from the list.', cli: 'List the fingerprints with `{{skm}} bio list` and pick one that exists.' },
    },
    FINGERPRINT_NOT_READ: {
      message: 'The key could not read your finger clearly.',
      nextStep: 'Clean the sensor and your finger, then try again.',
    },
    LARGE_BLOB_STORE_FULL: { message: 'The security key has no room for more data.', nextStep: 'Delete passkeys you no longer need, then try again.' },
    CREDENTIAL_EXCLUDED: { message: 'This security key is already registered for that account.', nextStep: 'Use the key as it is, or pick another key.' },
    CREDENTIAL_NOT_FOUND: { message: 'That passkey is not on this security key.', nextStep: 'List the passkeys again and pick one that exists.' },
    NO_CREDENTIALS: {
      message: 'There are no passkeys on this security key for that.',
      nextStep: {
        text: 'See which passkeys the key holds, or create one on that website first.',
        cli: 'See which passkeys the key holds with `{{skm}} creds list`, or create one on that website first.',
      },
    },
    UNSUPPORTED: {
      message: 'This security key does not support this operation.',
      nextStep: 'Check for a firmware update from the key vendor, or use a key that supports it.',
    },
    CANCELLED: { message: 'Cancelled.', nextStep: { text: 'Start again when you are ready.', cli: 'Run the command again when you are ready.' } },
    STATE_FILE_CORRUPT: {
      message: 'The simulated key file {{path}} is damaged; it was left untouched.',
      nextStep: { text: 'Choose another file to start a new simulated key, or restore the file.', cli: 'Pass another file name to --virtual to start a new simulated key, or restore the file.' },
    },
    FILE_ACCESS: {
      message: 'Could not read or write the file {{path}}.',
      nextStep: 'Check that the file and its folder exist and that you may write to them.',
    },
    USAGE: { message: 'The command was not used correctly.', nextStep: { text: 'Check what was asked and try again.', cli: 'See how to use it with `{{help}}`.' } },
    BAD_REQUEST: {
      message: 'The app sent a request this service does not accept; nothing was done.',
      nextStep: 'Try again; if it keeps happening, report it with the details.',
    },
    FORBIDDEN: {
      message: 'A request came from a page that is not part of this app; nothing was done.',
      nextStep: 'Close and reopen the app; if it keeps happening, report it with the details.',
    },
    INTERNAL: {
      message: 'Something went wrong inside this app.',
      nextStep: { text: 'Try again; if it keeps happening, report it with the details.', cli: 'Try again; if it keeps happening, report it with the output of --verbose.' },
    },
  },

  reasons: {
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
      nextStep: 'Download the BLOB again from the FIDO Alliance and give the FIDO MDS root certificate (PEM) with --mds-root.',
    },
    'mds-without-root': { message: '--mds needs --mds-root FILE: the root certificate (PEM) that the BLOB must be signed through.' },
    'pin-file-unreadable': { message: 'The PIN file {{path}} could not be read, or its first line is not a PIN.', nextStep: 'Put the PIN alone on the first line of the file.' },
    'no-shared-pin': {
      message: 'This profile sets one shared PIN on every key, and none was given.',
      nextStep: { text: 'Enter the shared PIN.', cli: 'Give it with --pin-file FILE, or as the first line of standard input. Never on the command line.' },
    },
    'shared-pin-unused': { message: 'A PIN was given, but this profile does not set a shared PIN.', nextStep: 'Use a profile with "pin": { "mode": "shared" }, or leave out the PIN.' },
    'attestation-needs-mds': {
      message: 'This profile requires checking that each key is genuine (attestation), and that needs the FIDO Metadata Service BLOB: it lists the makers\' root certificates.',
      nextStep: { text: 'Give the BLOB and its root certificate.', cli: 'Give --mds FILE (the BLOB from https://mds3.fidoalliance.org/) and --mds-root FILE (its root certificate, PEM).' },
    },
  },

  features: {
    'u2f-only': 'This key cannot store passkeys (it supports only the older U2F standard).',
    'credential-management-ctap20': 'This key cannot list passkeys (it supports CTAP 2.0 only).',
    'credential-management': 'This key cannot list passkeys.',
    'rename-passkey-preview': 'This key cannot rename passkeys (it supports only an early preview of passkey management).',
    'bio-enrollment': 'This key has no fingerprint sensor that can be managed.',
    'authenticator-config': 'This key has no settings that can be changed (it does not support CTAP 2.1 configuration).',
    'always-uv': 'This key cannot be set to always require a PIN or fingerprint.',
    'min-pin-length': 'This key cannot change its minimum PIN length.',
    'enterprise-attestation': 'This key does not offer enterprise attestation.',
    'large-blobs': 'This key cannot store data beside its passkeys (large blobs).',
    clientPin: 'This security key does not support a PIN.',
    uv: 'This security key cannot verify you by itself (no fingerprint enrolled or no sensor).',
    setPin: 'This security key already has a PIN. Change it instead.',
    noMcGaPermissionsWithClientPin: 'This security key does not accept its PIN for signing in; use its fingerprint sensor instead.',
    pinUvAuthProtocol: 'This security key offers no PIN protocol this app knows.',
    pinUvAuthToken: 'This security key does not support permission-scoped PIN tokens (CTAP 2.1).',
    selection: 'This security key cannot be selected by touch.',
    wink: 'This security key cannot blink on request.',
    reset: 'This security key does not support FIDO2, so it cannot be reset here.',
    ctap2: 'This security key only speaks U2F; it has no FIDO2 features.',
    rk: 'This security key cannot store passkeys.',
    algorithm: 'This app cannot check the signature algorithm this key used.',
    ep: 'This key does not offer enterprise attestation.',
    alwaysUv: 'This key cannot be set to always require a PIN or fingerprint.',
    setMinPINLength: 'This key cannot change its minimum PIN length.',
    maxRPIDsForSetMinPINLength: 'This key cannot share its minimum PIN length with that many websites.',
    authnrCfg: 'This key has no settings that can be changed.',
    credMgmt: 'This key cannot list or delete passkeys.',
    updateUserInformation: 'This key cannot change the name stored with a passkey (it supports only the CTAP 2.1 preview).',
    bioEnroll: 'This key has no fingerprint sensor that can be managed.',
    'nfc-power-cycle': 'This reader cannot switch the card off and on. Lift the key off the reader and tap it again.',
    'nfc-command': 'This command exists only over USB, not over NFC.',
    u2f: 'This key does not speak U2F over NFC.',
    unknown: 'This security key does not support {{feature}}.',
  },

  featureNextSteps: {
    'bio-enrollment': 'A firmware update cannot add a sensor: use the PIN with this key, or a key that has a fingerprint sensor.',
    bioEnroll: 'A firmware update cannot add a sensor: use the PIN with this key, or a key that has a fingerprint sensor.',
    'u2f-only': 'Use a security key that supports FIDO2 (passkeys); this one still works where websites accept U2F.',
  },

  pin: {
    askCurrent: 'Enter the PIN of your security key',
    askNew: 'Choose a new PIN (at least {{minLength}} characters)',
    askAgain: 'Type the new PIN again',
    triesLeft: { one: '{{count}} try left', other: '{{count}} tries left' },
    retry: {
      'wrong-pin': 'That PIN was wrong.',
      'pin-rejected-by-key': 'The security key refused this PIN: it does not meet the key’s PIN rules.',
      'too-short': 'The PIN must have at least {{minLength}} characters.',
      'too-long': 'The PIN is too long: it can use at most {{maxBytes}} bytes (fewer characters if they are not plain letters and digits).',
      'not-a-string': 'The PIN contains a character that cannot be used.',
      'same-as-current': 'The new PIN must be different from the current one.',
    },
  },

  touch: {
    'generic-touch': 'Touch your security key when it blinks (touch the button, contact or sensor).',
    'nfc-tap': 'Tap your security key on the reader.',
    'nfc-hold': 'Keep your security key on the reader until the reset is done.',
    'long-touch': 'Touch and hold your {{noun}} for several seconds, until it stops blinking.',
    'yubico-long-touch': 'Touch and hold the metal contact on your YubiKey for several seconds, until it stops blinking.',
    'yubico-usb-touch-contact': 'Touch the metal contact on your YubiKey when the light flashes.',
    'yubico-nfc-hold': 'Keep your YubiKey on the reader until the reset is done.',
    'feitian-bio-touch-twice': 'Touch the blinking fingerprint sensor twice.',
    'hid-card-tap-twice': 'Tap your card on the reader twice.',
    'select-touch': 'Touch the security key you want to use.',
    'enroll-first-touch': 'Touch the fingerprint sensor on your security key with the finger you want to add.',
    'enroll-next-touch': 'Touch the fingerprint sensor again.',
    'test-create': 'Touch your security key to create a test passkey.',
    'test-sign-in': 'Touch your security key again to sign in with the test passkey.',
  },

  nouns: { yubikey: 'YubiKey', card: 'card', 'security-key': 'security key' },

  reinsert: {
    'usb-remove': 'Remove your {{noun}} from the USB port.',
    'usb-insert': 'Insert your {{noun}} again.',
    'nfc-lift': 'Lift your {{noun}} off the reader.',
    'nfc-tap-again': 'Tap your {{noun}} on the reader again and hold it there.',
  },

  confirm: {
    actions: {
      reset: 'Reset this {{noun}}',
      'delete-passkey': 'Delete the passkey for {{rpId}} ({{account}})',
      'remove-fingerprint': 'Remove the fingerprint "{{name}}"',
      'change-pin-rules': 'Change the PIN rules of this security key',
      'always-uv-on': 'Always require the PIN or a fingerprint',
      'always-uv-off': 'Stop always requiring the PIN or a fingerprint',
      'enable-enterprise-attestation': 'Turn on enterprise attestation',
      'delete-blob': 'Delete the data stored with the passkey for {{rpId}} ({{account}})',
      'prune-blobs': 'Delete data that belongs to no passkey',
      'clear-blob-storage': 'Empty the large-blob storage of this {{noun}}',
    },
    consequences: {
      'passkeys-deleted': 'Every passkey on this key is deleted{{counted}}; you will not be able to sign in with them again.',
      'fingerprints-deleted': 'Every fingerprint enrolled on this key is deleted{{counted}}.',
      'pin-removed': 'The PIN is removed.',
      'settings-to-defaults':
        'Settings return to factory defaults (always require verification off, enterprise attestation off, minimum PIN length back to default).',
      'passkey-sign-in-lost': 'You will no longer be able to sign in to {{rpId}} as {{account}} with this security key.',
      'cannot-undo-website-may-list': 'This cannot be undone. The website may still list the passkey until you remove it there too.',
      'fingerprint-unlock-lost': 'You will no longer be able to unlock this security key with the fingerprint "{{name}}".',
      'min-pin-length-raised': 'PINs on this key will need at least {{minLength}} characters.',
      'min-pin-length-only-up': 'The minimum can only go up until the key is reset.',
      'short-pin-must-change': 'If the current PIN is shorter than {{minLength}} characters, it must be changed before the key can be used.',
      'pin-must-change': 'The PIN must be changed before the key can be used again.',
      'min-pin-length-sites': 'These websites will be able to read the minimum PIN length: {{rpIdList}}.',
      'always-uv-every-sign-in': 'Every sign-in and every new passkey will need the PIN or a fingerprint, even where the website asks only for a touch.',
      'always-uv-u2f-stops': 'Older sign-in methods that cannot ask for a PIN (U2F) stop working with this key.',
      'always-uv-no-pin-yet': 'This key has no PIN yet: set one, or the key cannot be used to sign in.',
      'always-uv-reset-off': 'A reset turns this off again.',
      'always-uv-off-websites-decide': 'Websites decide again whether the PIN or a fingerprint is needed; some sign-ins will need only a touch.',
      'enterprise-attestation-identifies': 'Websites your organisation has set up can identify this exact security key, not only its model.',
      'enterprise-attestation-reset-off': 'A reset disables enterprise attestation again.',
      'blob-deleted': 'The {{bytesText}} stored with the passkey for {{rpId}} ({{account}}) are deleted; the passkey itself stays.',
      'orphaned-blobs-deleted': '{{blobsText}} ({{bytesText}}) that belong to no passkey on this key are deleted.',
      'blob-of-deleted-passkey-deleted':
        'The {{bytesText}} stored with the deleted passkey for {{rpId}} ({{account}}) are deleted too. Kept, they stay on the key but no passkey can read them any more.',
      'unreadable-blobs-deleted': 'All {{bytesText}} of large-blob storage fail the key’s integrity check ({{reason}}): no passkey can read them, and they are deleted.',
    },
    counted: {
      passkeys: { one: '{{count}} passkey', other: '{{count}} passkeys' },
      sites: { one: '{{count}} website', other: '{{count}} websites' },
      fingerprints: { one: '{{count}} fingerprint', other: '{{count}} fingerprints' },
      bytes: { one: '{{count}} byte', other: '{{count}} bytes' },
      blobs: { one: '{{count}} stored item', other: '{{count}} stored items' },
    },
    question: 'Continue?',
    unnamedFingerprint: 'unnamed',
    unnamedAccount: 'unnamed account',
  },

  sample: {
    good: 'Good. Lift your finger and place it again.',
    'too-high': 'Your finger was too high on the sensor. Move it lower and try again.',
    'too-low': 'Your finger was too low on the sensor. Move it higher and try again.',
    'too-left': 'Your finger was too far to the left. Move it to the right and try again.',
    'too-right': 'Your finger was too far to the right. Move it to the left and try again.',
    'too-fast': 'That was too fast. Rest your finger on the sensor a little longer.',
    'too-slow': 'That was too slow. Place your finger and lift it a little quicker.',
    'poor-quality': 'The sample was not clear. Make sure your finger is clean and dry, then try again.',
    'too-skewed': 'Your finger was at an angle. Place it straight on the sensor.',
    'too-short': 'Your finger was lifted too soon. Hold it on the sensor until the key responds.',
    'merge-failure': 'That sample did not match the earlier ones. Use the same finger and try again.',
    exists: 'This fingerprint is already saved on the key. Use a different finger.',
    'no-user-activity': 'No finger was detected. Touch the fingerprint sensor.',
    'no-up-transition': 'Lift your finger off the sensor, then place it again.',
    unknown: 'The key could not use that sample. Lift your finger and place it again.',
    remaining: { one: '{{count}} more touch needed.', other: '{{count}} more touches needed.' },
    done: 'Fingerprint added.',
  },

  progress: {
    readingPasskeys: 'Reading passkeys for {{rpId}}',
    simulatedRemoved: 'Simulated key: removed.',
    simulatedInserted: 'Simulated key: inserted again.',
    countdown: { one: '{{count}} s left', other: '{{count}} s left' },
  },

  test: {
    unlocked: 'The PIN unlocked the key.',
    'created-passkey': 'Created a passkey stored on the key for {{rpId}}.',
    'created-credential': 'Created a credential for {{rpId}}.',
    'attestation-packed': 'The key signed its new credential with its maker’s certificate (not checked against the maker’s root here).',
    'attestation-self': 'The key signed its new credential itself (self attestation); the signature is valid.',
    'attestation-none': 'The key gave no attestation (format "none").',
    'attestation-other': 'The key used the "{{fmt}}" attestation format (not checked here).',
    'attestation-bad-signature': 'The key signed its new credential with a signature that does not verify.',
    'signed-in': 'The key signed in with the test passkey.',
    'signature-valid': 'The signature is valid for the passkey’s public key.',
    'signature-invalid': 'The sign-in signature does not match the passkey’s public key.',
    'stored-blob': 'Stored {{bytesText}} beside the test passkey.',
    'no-blob-key': 'The key did not return a large-blob key for the new passkey.',
    'blob-storage-unreadable': 'The key’s large-blob storage is unreadable, so nothing was stored; `skm blobs prune` can empty it.',
    refused: 'The key refused this step ({{statusName}}).',
  },

  hints: {
    permission: {
      linux:
        'Your user cannot open /dev/hidraw*: install the udev rule for FIDO keys (e.g. Debian/Ubuntu package libfido2-1 or 70-u2f.rules) and replug the key.',
      win32:
        'Since Windows 10 1903, only administrators can talk to FIDO keys directly: run Security Key Manager as administrator, or use Windows Settings › Accounts › Sign-in options › Security Key.',
      darwin: 'macOS refused access to the security key: quit other apps that may hold it open (browsers, password managers) and replug the key.',
      other: 'The operating system refused access to the security key: check the permissions of its USB HID device node and replug the key.',
    },
    nfcGone: 'Tap your security key on the reader and hold it there.',
  },

  doctor: {
    status: { ok: 'OK', problem: 'Problem', info: 'Note', skipped: 'Not checked' },
    checks: {
      runtime: 'Versions',
      'node-hid': 'USB access library',
      'hid-devices': 'USB security keys',
      'udev-rule': 'Linux device permission (udev rule)',
      pcscd: 'Smart card service (for NFC and card readers)',
      readers: 'Card readers',
      'windows-elevation': 'Administrator rights (Windows)',
    },
    results: {
      'runtime-versions': 'Node {{node}}, Electron {{electronText}}, {{platform}} {{arch}}.',
      'hid-loaded': 'The USB access library loaded.',
      'hid-not-loadable': 'The USB access library could not be loaded, so USB security keys cannot be used.',
      'hid-none-seen': 'No USB security key is connected.',
      'hid-all-openable': { one: '{{count}} USB security key found, and this app can open it.', other: '{{count}} USB security keys found, and this app can open all of them.' },
      'hid-not-openable': { one: '{{count}} USB security key found, but this app may not open it ({{openable}} can be opened).', other: '{{count}} USB security keys found, but this app may not open all of them ({{openable}} can be opened).' },
      'hid-not-checked': 'Not checked, because the USB access library did not load.',
      'udev-rule-present': 'Your user may open security keys (rule in {{ruleFile}}).',
      'udev-rule-missing': 'No udev rule lets your user open security keys, so USB keys may show but not open.',
      'pcscd-running': 'The smart card service is running.',
      'pcscd-not-running': 'The smart card service (pcscd) is not running, so keys on NFC or card readers cannot be used.',
      'pcscd-no-permission': 'Your user may not use the smart card service (pcscd).',
      'pcsc-not-loadable': 'Card reader support could not be loaded, so keys on NFC or card readers cannot be used.',
      'readers-found': { one: '{{count}} reader: {{readerList}}.', other: '{{count}} readers: {{readerList}}.' },
      'readers-none': 'No card reader is connected (only needed for NFC keys).',
      'readers-not-checked': 'Not checked, because the smart card service is not available.',
      elevated: 'The app runs as administrator, so it can talk to security keys directly.',
      'elevation-not-required': 'This version of Windows lets the app talk to security keys without administrator rights.',
      'elevation-required': 'Windows lets only administrators talk to security keys directly (since Windows 10 version 1903), and this app does not run as administrator.',
      'elevation-may-be-required': 'No key is listed; without administrator rights, Windows may hide security keys from this app (since Windows 10 version 1903).',
    },
    fixes: {
      'install-udev-rule': 'Install the udev rule below and replug the key:\n{{command}}',
      'replug-key': 'Remove the key and insert it again.',
      'start-pcscd': { text: 'Start the smart card service.', linux: 'Start the smart card service: sudo systemctl start pcscd (install it first if needed: sudo apt install pcscd).' },
      'pcscd-permission': 'Ask your administrator to allow your user to use smart cards (polkit rules for pcscd).',
      'reinstall-app': 'Reinstall Security Key Manager.',
      'restart-elevated': { text: 'Restart the app as administrator.', cli: 'Run skm from a terminal opened as administrator.', app: 'Choose Restart as administrator.' },
      'open-windows-settings': { text: 'Or manage the key in Windows Settings › Accounts › Sign-in options › Security Key.', app: 'Or choose Open Windows Settings to manage the key there.' },
      'close-other-apps': 'Quit other apps that may hold the key (browsers, password managers).',
    },
    summary: { ok: 'Everything needed is in place.', problems: { one: '{{count}} problem found.', other: '{{count}} problems found.' } },
  },

  shell: {
    windowTitle: 'Security Key Manager',
    menu: { keys: 'Keys', addSimulatedKey: 'Add a simulated key', quit: 'Quit', view: 'View' },
    /** Labels of the buttons that call restartElevated / openWindowsSettings (the fixes name them). */
    actions: { restartElevated: 'Restart as administrator', openWindowsSettings: 'Open Windows Settings' },
  },
  provision: {
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
  },
  attestation: {
    verdicts: {
      verified: 'Genuine: its maker\'s certificate leads to the root the FIDO Metadata Service lists for this model.',
      'no-mds': 'Signed with its maker\'s certificate, but not checked against the FIDO Metadata Service (no BLOB was given).',
      'no-mds-entry': 'The FIDO Metadata Service does not list this model, so its maker\'s certificate cannot be checked.',
      'unknown-root': 'Its certificate does not lead to the root the FIDO Metadata Service lists for this model.',
      'self-attestation': 'It signed with a key of its own (self attestation), which does not show who made it.',
      none: 'It gave no attestation at all.',
      unsupported: 'It attests in a way this app cannot check.',
      'bad-signature': 'Its attestation signature does not verify.',
      'bad-certificate': 'Its attestation certificate does not meet the requirements for security keys.',
      'aaguid-mismatch': 'Its attestation certificate names a different model than the key does.',
      'expired-certificate': 'A certificate in its attestation is expired or not valid yet.',
      'revoked-model': 'The FIDO Metadata Service lists this model as revoked.',
      'compromised-model': 'The FIDO Metadata Service reports this model as compromised ({{status}}).',
    },
    mds: {
      heading: 'FIDO Metadata Service',
      description: 'Description',
      certification: 'Certification',
      status: 'Latest status',
      icon: 'Icon',
      hasIcon: 'yes',
      noIcon: 'no',
      notListed: 'This model is not listed in the FIDO Metadata Service BLOB.',
      unfit: 'Not fit to issue: the FIDO Metadata Service lists {{status}} for this model.',
      blob: 'BLOB number',
    },
  },
  app: enApp,
  words: { none: 'none', yes: 'yes', no: 'no', deviceInList: '{{id}} ({{name}})', passkeyInList: '{{credentialId}} ({{rpId}}, {{account}})' },
  cli: enCli,
};
