/**
 * English: what happened and what to do next, one entry per AppErrorCode.
 * @module
 */
import type { Catalogue } from '../catalogue.js';

const TRY_AGAIN_TOUCH = 'Try again and touch the key when it blinks.';
const RESET_ONLY = 'The key is locked; only a reset will make it usable, and it erases everything.';

export const errors: Catalogue['errors'] = {
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
};
