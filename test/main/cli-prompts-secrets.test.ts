// PINs at the prompt: never echoed on a terminal, never kept once the command is done.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PinRequest } from '../../ctap/flows/prompts.js';
import { CliPrompts, type PromptInput } from '../../main/service/cli-prompts.js';
import { AppError } from '../../main/service/errors.js';

const current: PinRequest = { purpose: 'current', retries: 8, minLength: 4, maxBytes: 63 };

// `skm pin set 2>log` makes the session non-interactive, but the person still types on the terminal.
describe('CliPrompts: stdin is a terminal, stderr is not', () => {
  it('reads the PIN with echo off (raw mode), and restores the terminal afterwards', async () => {
    const stdin = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => unknown };
    const modes: boolean[] = [];
    stdin.isTTY = true;
    stdin.setRawMode = (mode: boolean) => modes.push(mode);
    const prompts = new CliPrompts({ stdin: stdin as PromptInput, stderr: new PassThrough(), isTTY: false, assumeYes: false });
    const pin = prompts.pin(current);
    stdin.write(Buffer.from('2468\r', 'utf8'));
    expect(await pin).toBe('2468');
    expect(modes).toEqual([true, false]);
  });
});

describe('CliPrompts.dispose', () => {
  it('zeroes PIN lines that were read but never asked for', async () => {
    const prompts = new CliPrompts({ stdin: Readable.from([Buffer.from('1357\n9753\n')]), stderr: new PassThrough(), isTTY: false, assumeYes: false });
    expect(await prompts.pin(current)).toBe('1357');
    prompts.dispose();
    const after = await prompts.pin(current).catch((error: unknown) => error);
    expect(after).toBeInstanceOf(AppError);
    expect((after as AppError).message).toBe('No PIN on standard input.');
  });
});
