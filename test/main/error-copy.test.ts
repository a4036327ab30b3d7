// Every error a person can see says what happened in plain words AND what to do next.
import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES, AppError } from '../../main/service/errors.js';

describe('error copy', () => {
  it.each(APP_ERROR_CODES)('%s has a plain message and a next step', (code) => {
    const error = new AppError(code);
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/CTAP|ERR_|0x[0-9a-f]{2}/i);
    expect(error.nextStep ?? '').not.toBe('');
    expect(error.nextStep).not.toMatch(/CTAP|ERR_|0x[0-9a-f]{2}/i);
  });
});
