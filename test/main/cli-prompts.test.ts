import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../ctap/errors.js';
import type { PinRequest } from '../../ctap/flows/prompts.js';
import { CliPrompts, type PromptInput } from '../../main/service/cli-prompts.js';
import { AppError } from '../../main/service/errors.js';

const current: PinRequest = { purpose: 'current', retries: 8, minLength: 4, maxBytes: 63 };
const fresh: PinRequest = { purpose: 'new', retries: null, minLength: 4, maxBytes: 63 };

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A fake terminal: raw mode is recorded, keystrokes are pushed by the test. */
function fakeTty(): { stdin: PromptInput; modes: boolean[]; type: (s: string) => void } {
  const stdin = new PassThrough() as PassThrough & { setRawMode: (mode: boolean) => unknown };
  const modes: boolean[] = [];
  stdin.setRawMode = (mode: boolean) => modes.push(mode);
  return { stdin, modes, type: (s) => stdin.write(Buffer.from(s, 'utf8')) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('CliPrompts on a pipe', () => {
  it('reads one PIN per line, in the order asked, without echoing them', async () => {
    const err = sink();
    const prompts = new CliPrompts({ stdin: Readable.from([Buffer.from('1234\r\n56'), Buffer.from('78\n')]), stderr: err.stream, isTTY: false, assumeYes: false });
    expect(await prompts.pin(current)).toBe('1234');
    expect(await prompts.pin(fresh)).toBe('5678');
    expect(err.text()).not.toMatch(/1234|5678/);
  });

  it('fails clearly on empty stdin', async () => {
    const prompts = new CliPrompts({ stdin: Readable.from([]), stderr: sink().stream, isTTY: false, assumeYes: false });
    const error = await rejection(prompts.pin(current));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('USAGE');
    expect((error as AppError).message).toBe('No PIN on standard input.');
  });

  it('does not answer a re-ask from the next line: the refusal becomes the error', async () => {
    const prompts = new CliPrompts({ stdin: Readable.from(['12\n', '123456\n']), stderr: sink().stream, isTTY: false, assumeYes: false });
    expect(await prompts.pin(fresh)).toBe('12');
    const error = await rejection(prompts.pin({ ...fresh, minLength: 6, retryReason: 'The PIN must have at least 6 characters.' }));
    expect((error as AppError).code).toBe('PIN_POLICY');
    expect((error as AppError).message).toBe('The PIN must have at least 6 characters.');
  });

  it('a re-ask because the key said the PIN was wrong ends as PIN_INVALID with the tries left', async () => {
    const prompts = new CliPrompts({ stdin: Readable.from(['1111\n', '2222\n']), stderr: sink().stream, isTTY: false, assumeYes: false });
    expect(await prompts.pin(current)).toBe('1111');
    const error = await rejection(prompts.pin({ ...current, retries: 6, retryReason: 'That PIN was wrong. 6 tries left.', retryCause: 'key' }));
    expect(error).toMatchObject({ code: 'PIN_INVALID', facts: { retries: 6 }, message: 'That PIN is wrong. 6 tries left.' });
  });

  it('refuses to confirm without --yes, and confirms with it', async () => {
    const request = { action: 'Reset this security key', consequences: ['Every passkey is deleted.'] };
    const no = new CliPrompts({ stdin: Readable.from(['y\n']), stderr: sink().stream, isTTY: false, assumeYes: false });
    expect(((await rejection(no.confirm(request))) as AppError).code).toBe('USAGE');
    const yes = new CliPrompts({ stdin: Readable.from([]), stderr: sink().stream, isTTY: false, assumeYes: true });
    expect(await yes.confirm(request)).toBe(true);
  });

  it('prints touch instructions once, without a countdown', () => {
    const err = sink();
    const prompts = new CliPrompts({ stdin: Readable.from([]), stderr: err.stream, isTTY: false, assumeYes: false });
    const stop = prompts.touch({ reason: 'reset', instruction: 'Touch your security key', deadline: Date.now() + 10_000 });
    stop();
    expect(err.text()).toBe('Touch your security key\n');
  });
});

describe('CliPrompts on a terminal', () => {
  it('reads a hidden PIN in raw mode with backspace, and restores the terminal', async () => {
    const tty = fakeTty();
    const err = sink();
    const prompts = new CliPrompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true, assumeYes: false });
    const pin = prompts.pin(current);
    tty.type('12x\x7f34');
    tty.type('é\x7f\r');
    expect(await pin).toBe('1234');
    expect(tty.modes).toEqual([true, false]);
    expect(err.text()).toContain('8 tries left');
    expect(err.text()).not.toContain('1234');
  });

  it('asks a new PIN twice and refuses different answers', async () => {
    const tty = fakeTty();
    const prompts = new CliPrompts({ stdin: tty.stdin, stderr: sink().stream, isTTY: true, assumeYes: false });
    const same = prompts.pin(fresh);
    tty.type('24680\r');
    await new Promise((r) => setImmediate(r));
    tty.type('24680\r');
    expect(await same).toBe('24680');
    const different = prompts.pin(fresh);
    tty.type('24680\r');
    await new Promise((r) => setImmediate(r));
    tty.type('13579\r');
    expect(((await rejection(different)) as AppError).code).toBe('PIN_MISMATCH');
  });

  it('cancels on Ctrl-C and leaves raw mode', async () => {
    const tty = fakeTty();
    const prompts = new CliPrompts({ stdin: tty.stdin, stderr: sink().stream, isTTY: true, assumeYes: false });
    const pin = prompts.pin(current);
    tty.type('12\x03');
    expect(await rejection(pin)).toBeInstanceOf(CancelledError);
    expect(tty.modes).toEqual([true, false]);
  });

  it('cancels when the signal fires', async () => {
    const tty = fakeTty();
    const controller = new AbortController();
    const prompts = new CliPrompts({ stdin: tty.stdin, stderr: sink().stream, isTTY: true, assumeYes: false });
    const pin = prompts.pin(current, controller.signal);
    controller.abort();
    expect(await rejection(pin)).toBeInstanceOf(CancelledError);
    expect(tty.modes.at(-1)).toBe(false);
  });

  it('draws a countdown in place and ends the line when stopped', () => {
    const err = sink();
    let now = 1_000_000;
    const prompts = new CliPrompts({ stdin: fakeTty().stdin, stderr: err.stream, isTTY: true, assumeYes: false, now: () => now });
    const stop = prompts.touch({ reason: 'reset', instruction: 'Touch your security key', deadline: now + 9_500 });
    now += 5_000;
    stop();
    stop();
    expect(err.text()).toBe('\rTouch your security key (10 s left)\x1b[K\n');
  });

  it('asks y/N listing every consequence', async () => {
    const tty = fakeTty();
    const err = sink();
    const prompts = new CliPrompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true, assumeYes: false });
    const answer = prompts.confirm({ action: 'Reset this security key', consequences: ['Every passkey is deleted.', 'The PIN is removed.'] });
    tty.type('y\n');
    expect(await answer).toBe(true);
    expect(err.text()).toContain('• Every passkey is deleted.');
    expect(err.text()).toContain('• The PIN is removed.');
    const declined = prompts.confirm({ action: 'Reset', consequences: ['x'] });
    tty.type('\n');
    expect(await declined).toBe(false);
  });
});
