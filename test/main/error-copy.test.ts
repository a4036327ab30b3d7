// Every error a person can see says what happened in plain words AND what to do next.
import { describe, expect, it } from 'vitest';
import { CtapStatus } from '../../ctap/status.js';
import { APP_ERROR_CODES, AppError, codeForStatus } from '../../main/service/errors.js';
import { Copy } from '../../main/copy/index.js';

const cli = new Copy('cli');
/** What a person reads for an AppError (the CLI's words). */
const w = (error: AppError): { message: string; nextStep?: string } => cli.error(error.toServiceError());

describe('error copy', () => {
  it.each(APP_ERROR_CODES)('%s has a plain message and a next step', (code) => {
    const error = new AppError(code);
    expect(w(error).message.length).toBeGreaterThan(0);
    expect(w(error).message).not.toMatch(/CTAP|ERR_|0x[0-9a-f]{2}/i);
    expect(w(error).nextStep ?? '').not.toBe('');
    expect(w(error).nextStep).not.toMatch(/CTAP|ERR_|0x[0-9a-f]{2}/i);
  });
});

describe('statuses in words that fit the operation', () => {
  it('UP_REQUIRED asks for a touch instead of blaming the app', () => {
    const error = new AppError(codeForStatus('test', CtapStatus.UP_REQUIRED));
    expect(error.code).toBe('TOUCH_REQUIRED');
    expect(w(error).message).toMatch(/touch/i);
    expect(w(error).nextStep).toMatch(/touch the key/i);
  });

  it('KEY_STORE_FULL from a settings change does not talk about passkeys', () => {
    const error = new AppError(codeForStatus('settings', CtapStatus.KEY_STORE_FULL));
    expect(w(error).message).not.toMatch(/passkey/i);
    expect(w(error).nextStep).not.toMatch(/passkey|skm creds/i);
    // Creating a passkey that does not fit still says so.
    expect(codeForStatus('test', CtapStatus.KEY_STORE_FULL)).toBe('KEY_STORE_FULL');
  });
});

describe('setPIN on a key that has a PIN', () => {
  it('reads as "already has a PIN" for the CTAP 2.1 answer (PIN_AUTH_INVALID, §6.5.5.5) and the 2.0 one (NOT_ALLOWED)', () => {
    expect(codeForStatus('pin-set', CtapStatus.PIN_AUTH_INVALID)).toBe('PIN_ALREADY_SET');
    expect(codeForStatus('pin-set', CtapStatus.NOT_ALLOWED)).toBe('PIN_ALREADY_SET');
    // Elsewhere a refused auth parameter still means the session is gone.
    expect(codeForStatus('credentials', CtapStatus.PIN_AUTH_INVALID)).toBe('SESSION_EXPIRED');
  });
});
