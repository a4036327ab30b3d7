// A PIN typed on a terminal is never echoed, even when stderr is redirected (`skm pin set 2>log`
// makes the session non-interactive, but the person still types the PIN on the terminal).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PinRequest } from '../../ctap/flows/prompts.js';
import { CliPrompts, type PromptInput } from '../../main/service/cli-prompts.js';

const current: PinRequest = { purpose: 'current', retries: 8, minLength: 4, maxBytes: 63 };

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
