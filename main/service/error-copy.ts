/**
 * The plain words for every AppErrorCode: a message and the next step (DESIGN.md "Errors": the
 * person reads what happened and what to do, never a spec status name). Kept apart from the
 * mapping tables in errors.ts; the Record type makes a code without words a compile error.
 * @module
 */
import type { AppErrorCode, AppErrorFacts } from './errors.js';

export interface Words {
  message: string;
  nextStep?: string;
}

function triesLeft(retries: number | null | undefined): string {
  if (retries === null || retries === undefined) return '';
  return retries === 1 ? ' 1 try left.' : ` ${retries} tries left.`;
}

/** Plain words per code. Exhaustive by type: adding a code without words does not compile. */
export const errorCopy: Record<AppErrorCode, (facts: AppErrorFacts) => Words> = {
  NO_DEVICE: () => ({
    message: 'No security key found.',
    nextStep: 'Insert your security key (or tap it on the reader) and try again. To practise on a simulated key, add --virtual FILE.',
  }),
  SEVERAL_DEVICES: (f) => ({
    message: `Several security keys are connected${f.devices?.length ? `: ${f.devices.join(', ')}` : ''}.`,
    nextStep: 'Choose one with --device ID (see `skm list`), or remove the others.',
  }),
  DEVICE_NOT_FOUND: (f) => ({
    message: `No security key matches "${f.deviceId ?? ''}".`,
    nextStep: 'Run `skm list` to see the connected keys and their ids.',
  }),
  DEVICE_BUSY: () => ({
    message: 'The security key is busy with another operation.',
    nextStep: 'Wait for the other operation (or the other app using the key) to finish, then try again.',
  }),
  DEVICE_GONE: (f) => ({
    message: 'The security key was removed.',
    // The transport knows better where it can ("Tap your security key on the reader…").
    nextStep: f.guidance ?? 'Insert the key again (or keep it on the reader) and try again.',
  }),
  PERMISSION_DENIED: (f) => ({
    message: 'This computer did not allow access to the security key.',
    nextStep: f.guidance ?? 'Check that your user may access USB security keys, then try again.',
  }),
  TIMEOUT: () => ({
    message: 'The security key did not answer in time.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  TRANSPORT: () => ({
    message: 'Could not talk to the security key.',
    nextStep: 'Remove and reinsert the key (or tap it again), then try again.',
  }),
  PROTOCOL: () => ({
    message: "The security key's answer could not be understood.",
    nextStep: 'Try again; if it keeps happening, the key may not be compatible with this app.',
  }),
  NOT_FIDO2: () => ({
    message: 'This key is not a FIDO2 security key (it may be an older U2F-only key): it has no PIN, passkeys or settings to manage.',
    nextStep: 'Use a security key that supports FIDO2.',
  }),
  KEY_REJECTED_REQUEST: () => ({
    message: 'The security key refused the request.',
    nextStep: 'Your key may not support this in the way this app asks. Check for a firmware or app update.',
  }),
  KEY_FAILURE: () => ({
    message: 'The security key reported an internal failure.',
    nextStep: 'Remove and reinsert the key and try again; if it keeps happening, contact the key vendor.',
  }),
  REQUEST_TOO_LARGE: () => ({
    message: 'The request is too large for this security key.',
    nextStep: 'Use shorter names or fewer items.',
  }),
  PIN_INVALID: (f) => ({
    message: `That PIN is wrong.${triesLeft(f.retries)}`,
    nextStep:
      f.retries === 0
        ? 'The key is locked; only a reset will make it usable, and it erases everything.'
        : 'Try again with the right PIN. After 3 wrong PINs in a row, remove and reinsert the key; when no tries are left, the key locks.',
  }),
  PIN_AUTH_BLOCKED: () => ({
    message: 'Too many wrong PINs in a row.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  PIN_BLOCKED: () => ({
    message: 'The PIN is locked: too many wrong PINs.',
    nextStep: 'The key is locked; only a reset will make it usable, and it erases everything.',
  }),
  PIN_NOT_SET: () => ({
    message: 'This security key has no PIN yet.',
    nextStep: 'Set one with `skm pin set`.',
  }),
  PIN_ALREADY_SET: () => ({
    message: 'This security key already has a PIN.',
    nextStep: 'Change it with `skm pin change`.',
  }),
  PIN_POLICY: (f) => ({
    message:
      f.minLength !== undefined
        ? `That PIN does not meet the key's rules: it needs at least ${f.minLength} characters${f.maxBytes ? ` and at most ${f.maxBytes} bytes` : ''}.`
        : "That PIN does not meet the key's rules.",
    nextStep: 'Choose a PIN that meets the rules (a longer one, or one different from the current PIN).',
  }),
  PIN_REQUIRED: () => ({
    message: 'This needs the PIN of the security key.',
    nextStep: 'Enter the PIN when asked, or set one first with `skm pin set`.',
  }),
  PIN_MISMATCH: () => ({
    message: 'The two PINs you typed are different.',
    nextStep: 'Try again and type the same PIN twice.',
  }),
  PIN_CHANGE_REQUIRED: () => ({
    message: 'This security key requires a new PIN before it can be used.',
    nextStep: 'Change the PIN with `skm pin change`, then try again.',
  }),
  SESSION_EXPIRED: () => ({
    message: 'The security key no longer accepts this session.',
    nextStep: 'Try again; you will be asked for the PIN again.',
  }),
  UV_INVALID: (f) => ({
    message: `The fingerprint was not recognised.${triesLeft(f.retries)}`,
    nextStep: 'Try again, or use the PIN.',
  }),
  UV_BLOCKED: () => ({
    message: 'Fingerprint unlock is blocked after too many failed attempts.',
    nextStep: 'Use the PIN instead; entering it unblocks the fingerprint sensor.',
  }),
  TOUCH_TIMEOUT: () => ({
    message: 'The security key was not touched in time.',
    nextStep: 'Try again and touch the key when it blinks.',
  }),
  TOUCH_REQUIRED: () => ({
    message: 'The security key needs to be touched for this.',
    nextStep: 'Try again and touch the key when it blinks.',
  }),
  OPERATION_DENIED: () => ({
    message: 'The security key refused: the request was declined on the key.',
    nextStep: 'Try again and confirm on the key. Some keys do not allow this over every connection (USB / NFC).',
  }),
  NOT_ALLOWED: () => ({
    message: 'The security key does not allow this right now.',
    nextStep: 'Remove and reinsert the key, then try again.',
  }),
  RESET_TOO_LATE: () => ({
    message: 'Too late to reset: a key allows a reset only in the first seconds after it is plugged in.',
    nextStep: 'Remove and reinsert the key, then start the reset again at once.',
  }),
  RESET_NOT_ALLOWED_ON_TRANSPORT: () => ({
    message: 'This security key does not allow a reset over this connection.',
    nextStep: 'Connect it the other way (USB instead of NFC, or the reverse) and try again.',
  }),
  DIFFERENT_KEY: () => ({
    message: 'A different security key was inserted.',
    nextStep: 'Insert the same key you started with.',
  }),
  KEY_STORE_FULL: () => ({
    message: 'The security key has no room for more passkeys.',
    nextStep: 'Delete passkeys you no longer need (`skm creds`), then try again.',
  }),
  FINGERPRINT_STORE_FULL: () => ({
    message: 'The security key has no room for more fingerprints.',
    nextStep: 'Remove a fingerprint you no longer need, then try again.',
  }),
  FINGERPRINT_NOT_FOUND: () => ({
    message: 'That fingerprint is not on this security key.',
    nextStep: 'List the fingerprints with `skm bio list` and pick one that exists.',
  }),
  FINGERPRINT_NOT_READ: () => ({
    message: 'The security key could not read your finger clearly.',
    nextStep: 'Clean the sensor and your finger, then try again.',
  }),
  LARGE_BLOB_STORE_FULL: () => ({
    message: 'The security key has no room for more data.',
    nextStep: 'Delete passkeys you no longer need, then try again.',
  }),
  CREDENTIAL_EXCLUDED: () => ({
    message: 'This security key is already registered for that account.',
    nextStep: 'Use the key as it is, or pick another key.',
  }),
  CREDENTIAL_NOT_FOUND: () => ({
    message: 'That passkey is not on this security key.',
    nextStep: 'List the passkeys again and pick one that exists.',
  }),
  NO_CREDENTIALS: () => ({
    message: 'There are no passkeys on this security key for that.',
    nextStep: 'See which passkeys the key holds with `skm creds list`, or create one on that website first.',
  }),
  UNSUPPORTED: (f) => ({
    message: `This security key does not support ${f.feature ?? 'this operation'}.`,
    nextStep: 'Check for a firmware update from the key vendor, or use a key that supports it.',
  }),
  CANCELLED: () => ({
    message: 'Cancelled.',
    nextStep: 'Run the command again when you are ready.',
  }),
  STATE_FILE_CORRUPT: (f) => ({
    message: `The simulated key file${f.path ? ` ${f.path}` : ''} is damaged; it was left untouched.`,
    nextStep: 'Pass another file name to --virtual to start a new simulated key, or restore the file.',
  }),
  FILE_ACCESS: (f) => ({
    message: `Could not read or write the file${f.path ? ` ${f.path}` : ''}.`,
    nextStep: 'Check that the file and its folder exist and that you may write to them.',
  }),
  USAGE: () => ({
    message: 'The command was not used correctly.',
    nextStep: 'Run `skm --help` to see how to use it.',
  }),
  INTERNAL: () => ({
    message: 'Something went wrong inside this app.',
    nextStep: 'Try again; if it keeps happening, report it with the output of --verbose.',
  }),
};
