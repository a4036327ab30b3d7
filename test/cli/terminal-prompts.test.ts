// The terminal's answers to an operation's prompt events: PINs hidden and never kept, keys parsed
// as keys (an arrow key is not PIN text), pipes read strictly, words from the catalogue.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../ctap/errors.js';
import { TerminalPrompts } from '../../main/cli/prompts.js';
import type { PromptInput } from '../../main/cli/terminal-input.js';
import { Copy } from '../../main/copy/index.js';
import type { AppError } from '../../main/service/errors.js';
import type { ConfirmPrompt, PinPrompt } from '../../main/service/prompt-events.js';

const copy = new Copy('cli');
const current: PinPrompt = { kind: 'pin', id: 'op1.1', purpose: 'current', retries: 8, minLength: 4, maxBytes: 63 };
const fresh: PinPrompt = { kind: 'pin', id: 'op1.2', purpose: 'new', retries: null, minLength: 4, maxBytes: 63 };
const resetPrompt: ConfirmPrompt = {
  kind: 'confirm',
  id: 'op1.3',
  action: 'reset',
  subject: { noun: 'security-key' },
  consequences: [{ code: 'passkeys-deleted', passkeys: 12, sites: 5 }, { code: 'pin-removed' }],
};

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A fake terminal: raw mode is recorded, keystrokes are pushed by the test. */
function fakeTty(): { stdin: PromptInput; modes: boolean[]; type: (s: string | Buffer) => void } {
  const stdin = new PassThrough() as PassThrough & { setRawMode: (mode: boolean) => unknown; isTTY: boolean };
  const modes: boolean[] = [];
  stdin.isTTY = true;
  stdin.setRawMode = (mode: boolean) => modes.push(mode);
  return { stdin, modes, type: (s) => stdin.write(typeof s === 'string' ? Buffer.from(s, 'utf8') : s) };
}

function prompts(options: { stdin: PromptInput; stderr?: PassThrough; isTTY: boolean; assumeYes?: boolean }): TerminalPrompts {
  return new TerminalPrompts({ stdin: options.stdin, stderr: options.stderr ?? sink().stream, isTTY: options.isTTY, assumeYes: options.assumeYes ?? false, copy });
}

const signal = new AbortController().signal;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('whether the tries left are shown before the PIN is typed', () => {
  it('not from a pipe (nothing is shown), so the flows need not read them', () => {
    expect(prompts({ stdin: Readable.from([]), isTTY: false }).showsRetries).toBe(false);
  });

  it('on a terminal (the hidden prompt says them), also when only stdin is one', () => {
    expect(prompts({ stdin: fakeTty().stdin, isTTY: true }).showsRetries).toBe(true);
    expect(prompts({ stdin: fakeTty().stdin, isTTY: false }).showsRetries).toBe(true);
  });
});

describe('on a pipe', () => {
  it('reads one PIN per line, in the order asked, without echoing them', async () => {
    const err = sink();
    const p = prompts({ stdin: Readable.from([Buffer.from('1234\r\n56'), Buffer.from('78\n')]), stderr: err.stream, isTTY: false });
    expect(await p.pin(current, signal)).toBe('1234');
    expect(await p.pin(fresh, signal)).toBe('5678');
    expect(err.text()).not.toMatch(/1234|5678/);
  });

  it('fails clearly on empty stdin', async () => {
    const error = await rejection(prompts({ stdin: Readable.from([]), isTTY: false }).pin(current, signal));
    expect(error).toMatchObject({ code: 'USAGE', facts: { reason: 'no-pin-on-stdin' } });
    expect(copy.error((error as AppError).toServiceError()).message).toBe('No PIN on standard input.');
  });

  it('refuses a PIN that is not valid UTF-8 instead of guessing (two byte strings would become one PIN)', async () => {
    for (const bytes of [Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x0a]), Buffer.from([0x80, 0x81, 0x82, 0x83, 0x0a]), Buffer.from('caf\xe9\n', 'latin1')]) {
      const error = await rejection(prompts({ stdin: Readable.from([bytes]), isTTY: false }).pin(current, signal));
      expect(error).toMatchObject({ code: 'PIN_POLICY', facts: { reason: 'not-a-string' } });
    }
  });

  it('refuses control characters (a TAB cannot be typed at the hidden prompt either)', async () => {
    const error = await rejection(prompts({ stdin: Readable.from(['12\t34\n']), isTTY: false }).pin(current, signal));
    expect(error).toMatchObject({ code: 'PIN_POLICY', facts: { reason: 'not-a-string' } });
  });

  it('does not answer a re-ask from the next line: the refusal becomes the error', async () => {
    const p = prompts({ stdin: Readable.from(['12\n', '123456\n']), isTTY: false });
    expect(await p.pin(fresh, signal)).toBe('12');
    const error = await rejection(p.pin({ ...fresh, minLength: 6, retry: { reason: 'too-short', cause: 'host' } }, signal));
    expect(error).toMatchObject({ code: 'PIN_POLICY', facts: { reason: 'too-short', minLength: 6 } });
    expect(copy.error((error as AppError).toServiceError()).message).toBe('The PIN must have at least 6 characters.');
  });

  it('a re-ask because the key said the PIN was wrong ends as PIN_INVALID with the tries left', async () => {
    const p = prompts({ stdin: Readable.from(['1111\n', '2222\n']), isTTY: false });
    expect(await p.pin(current, signal)).toBe('1111');
    const error = await rejection(p.pin({ ...current, retries: 6, retry: { reason: 'wrong-pin', cause: 'key' } }, signal));
    expect(error).toMatchObject({ code: 'PIN_INVALID', facts: { retries: 6 } });
    expect(copy.error((error as AppError).toServiceError()).message).toBe('That PIN is wrong. 6 tries left.');
  });

  it('refuses to confirm without --yes (naming what would be lost), and confirms with it', async () => {
    const error = await rejection(prompts({ stdin: Readable.from(['y\n']), isTTY: false }).confirm(resetPrompt, signal));
    expect(error).toMatchObject({ code: 'USAGE', facts: { reason: 'confirmation-needed' } });
    expect(copy.error((error as AppError).toServiceError()).message).toContain('12 passkeys on 5 websites');
    expect(await prompts({ stdin: Readable.from([]), isTTY: false, assumeYes: true }).confirm(resetPrompt, signal)).toBe(true);
  });

  it('prints touch instructions once, without a countdown', () => {
    const err = sink();
    const p = prompts({ stdin: Readable.from([]), stderr: err.stream, isTTY: false });
    p.notify({ kind: 'touch', id: 't', reason: 'reset', instruction: 'generic-touch', deadline: Date.now() + 10_000 });
    p.notify({ kind: 'countdown', id: 't', deadline: Date.now() + 10_000, secondsLeft: 10 });
    p.notify({ kind: 'dismiss', id: 't' });
    expect(err.text()).toBe(`${copy.touch('generic-touch')}\n`);
  });

  it('zeroes PIN lines that were read but never asked for', async () => {
    const p = prompts({ stdin: Readable.from([Buffer.from('1357\n9753\n')]), isTTY: false });
    expect(await p.pin(current, signal)).toBe('1357');
    p.dispose();
    expect(await rejection(p.pin(current, signal))).toMatchObject({ code: 'USAGE', facts: { reason: 'no-pin-on-stdin' } });
  });
});

describe('on a terminal', () => {
  it('reads a hidden PIN in raw mode with backspace, and restores the terminal', async () => {
    const tty = fakeTty();
    const err = sink();
    const pin = prompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true }).pin(current, signal);
    tty.type('12x\x7f34');
    tty.type('é\x7f\r');
    expect(await pin).toBe('1234');
    expect(tty.modes).toEqual([true, false]);
    expect(err.text()).toContain('8 tries left');
    expect(err.text()).not.toContain('1234');
  });

  it('an arrow key is one key, not PIN text: 12, ESC [ A, 34 is the PIN 1234', async () => {
    const tty = fakeTty();
    const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, signal);
    tty.type('12\x1b[A34\r');
    expect(await pin).toBe('1234');
  });

  it('ignores a TAB and other control keys, as the pipe refuses them', async () => {
    const tty = fakeTty();
    const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, signal);
    tty.type('12\t3\x1b[D4\r');
    expect(await pin).toBe('1234');
  });

  it('drops what was typed before the prompt appeared (it was echoed in clear)', async () => {
    const tty = fakeTty();
    tty.type('9999');
    await tick();
    const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, signal);
    tty.type('2468\r');
    expect(await pin).toBe('2468');
  });

  it('works when only stdin is a terminal (stderr redirected): still hidden', async () => {
    const tty = fakeTty();
    const pin = prompts({ stdin: tty.stdin, isTTY: false }).pin(current, signal);
    tty.type('2468\r');
    expect(await pin).toBe('2468');
    expect(tty.modes).toEqual([true, false]);
  });

  it('asks a new PIN twice, compares them as the key does (NFC), and asks again (3 times at most) when they differ', async () => {
    const tty = fakeTty();
    const err = sink();
    const p = prompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true });
    const same = p.pin(fresh, signal);
    tty.type('caf\u00e9\r');
    await tick();
    tty.type('cafe\u0301\r');
    expect((await same).normalize('NFC')).toBe('caf\u00e9');
    const secondTime = p.pin(fresh, signal);
    for (const entry of ['24680', '13579', '24680', '24680']) {
      tty.type(`${entry}\r`);
      await tick();
    }
    expect(await secondTime).toBe('24680');
    expect(err.text()).toContain('The two PINs were different. Choose the new PIN again.');
    const different = rejection(p.pin(fresh, signal));
    for (const entry of ['11111', '22222', '11111', '22222', '11111', '22222']) {
      tty.type(`${entry}\r`);
      await tick();
    }
    expect(((await different) as AppError).code).toBe('PIN_MISMATCH');
  });

  it('refuses a too-short new PIN at once, before it is typed again', async () => {
    const tty = fakeTty();
    const err = sink();
    const p = prompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true });
    const pin = p.pin({ ...fresh, minLength: 6 }, signal);
    tty.type('123\r');
    await tick();
    expect(err.text()).toContain('The PIN must have at least 6 characters.');
    expect(err.text()).not.toContain(copy.pinQuestion(fresh, 'again'));
    for (const entry of ['135790', '135790']) {
      tty.type(`${entry}\r`);
      await tick();
    }
    expect(await pin).toBe('135790');
    const tooShortThrice = rejection(p.pin({ ...fresh, minLength: 6 }, signal));
    for (const entry of ['1', '12', '123']) {
      tty.type(`${entry}\r`);
      await tick();
    }
    expect(await tooShortThrice).toMatchObject({ code: 'PIN_POLICY', facts: { reason: 'too-short' } });
  });

  it('cancels on Ctrl-C and leaves raw mode', async () => {
    const tty = fakeTty();
    const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, signal);
    tty.type('12\x03');
    expect(await rejection(pin)).toBeInstanceOf(CancelledError);
    expect(tty.modes).toEqual([true, false]);
  });

  it('a terminal that closes at the prompt ends the wait as cancelled, nothing taken as a PIN', async () => {
    for (const close of [(s: PromptInput) => s.push(null), (s: PromptInput) => s.destroy()]) {
      const tty = fakeTty();
      const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, signal);
      tty.type('12');
      await tick();
      close(tty.stdin);
      expect(await rejection(pin)).toBeInstanceOf(CancelledError);
    }
  });

  it('cancels when the signal fires', async () => {
    const tty = fakeTty();
    const controller = new AbortController();
    const pin = prompts({ stdin: tty.stdin, isTTY: true }).pin(current, controller.signal);
    controller.abort();
    expect(await rejection(pin)).toBeInstanceOf(CancelledError);
    expect(tty.modes.at(-1)).toBe(false);
  });

  it('draws the countdown in place and erases the line when the touch is dismissed', () => {
    const err = sink();
    const p = prompts({ stdin: fakeTty().stdin, stderr: err.stream, isTTY: true });
    p.notify({ kind: 'touch', id: 't', reason: 'reset', instruction: 'yubico-usb-touch-contact', noun: 'yubikey', deadline: 10_000 });
    p.notify({ kind: 'countdown', id: 't', deadline: 10_000, secondsLeft: 10 });
    p.notify({ kind: 'countdown', id: 't', deadline: 10_000, secondsLeft: 9 });
    p.notify({ kind: 'dismiss', id: 't' });
    p.notify({ kind: 'dismiss', id: 't' });
    const text = copy.touch('yubico-usb-touch-contact');
    expect(err.text()).toBe(`\r${text} (10 s left)\x1b[K\r${text} (9 s left)\x1b[K\r\x1b[K`);
  });

  it('asks y/N listing every consequence with its counts', async () => {
    const tty = fakeTty();
    const err = sink();
    const p = prompts({ stdin: tty.stdin, stderr: err.stream, isTTY: true });
    const answer = p.confirm(resetPrompt, signal);
    tty.type('y\n');
    expect(await answer).toBe(true);
    expect(err.text()).toContain('Reset this security key:');
    expect(err.text()).toContain('• Every passkey on this key is deleted (12 passkeys on 5 websites)');
    expect(err.text()).toContain('• The PIN is removed.');
    const declined = p.confirm(resetPrompt, signal);
    tty.type('\n');
    expect(await declined).toBe(false);
  });

  it('takes Ctrl-D (end of input) at a confirmation as leaving, not as an answer', async () => {
    const tty = fakeTty();
    const answer = prompts({ stdin: tty.stdin, isTTY: true }).confirm(resetPrompt, signal);
    tty.stdin.push(null);
    expect(await rejection(answer)).toBeInstanceOf(CancelledError);
  });
});
