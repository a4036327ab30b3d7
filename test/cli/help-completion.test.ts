// Help pages, the argument parser's words, shell completion and the man page: all from one
// program tree, worded by the catalogue.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('--help', () => {
  it('a sub-command page shows the options of skm that work there, examples, and no lowercase commander words', async () => {
    const help = await skm(['creds', 'delete', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Options for every command:');
    expect(help.stdout).toMatch(/--virtual <state-file>/);
    expect(help.stdout).toContain('Examples:\n  skm creds delete Zx3q');
    expect(help.stdout).toContain('Show help for this command');
    expect(help.stdout).not.toContain('display help for command');
  });

  it('the main page lists the exit codes; usage lines read as a person types them', async () => {
    const help = await skm(['--help']);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+done/);
    expect(help.stdout).toMatch(/130\s+cancelled/);
    expect(help.stdout).toContain('completion');
    const config = await skm(['config', 'enterprise-attestation', '--help']);
    expect(config.stdout).toContain('enable');
    expect(config.stdout).not.toContain('<enable>');
    const alwaysUv = await skm(['config', 'always-uv', '--help']);
    expect(alwaysUv.stdout.replace(/\s+/g, ' ')).toContain('on|off on: always require the PIN or a fingerprint; off: let each website decide');
  });

  it('wraps to the terminal width given, without breaking words', async () => {
    const { run } = await import('../../main/cli/skm.js');
    const { PassThrough, Readable } = await import('node:stream');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    await run(['reset', '--help'], { stdin: Readable.from([]), stdout: out, stderr: new PassThrough(), env: {}, isTTY: false, columns: { stdout: 60 } });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    // Broken at spaces only: the words read the same once the line breaks are undone.
    expect(text.replace(/\s+/g, ' ')).toContain('Key on an NFC or smart-card reader: lift it and tap it again when asked');
  });
});

describe('help words come from the catalogue', () => {
  it('every command, option and argument has its description in cli.describe (none left in the command files)', async () => {
    const { createProgram } = await import('../../main/cli/skm.js');
    const { describeCommands, walkCommands } = await import('../../main/cli/help.js');
    const { PassThrough, Readable } = await import('node:stream');
    const { program } = createProgram({ stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, isTTY: false });
    describeCommands(program);
    for (const { path, command } of [{ path: ['skm'], command: program }, ...walkCommands(program)]) {
      const where = path.join(' ');
      expect(command.description(), where).not.toMatch(/^$|^cli\.describe|\{\{/);
      for (const option of command.options) expect(option.description, `${where} ${option.flags}`).not.toMatch(/^$|^cli\.describe|\{\{/);
      for (const argument of command.registeredArguments) expect(argument.description, `${where} ${argument.name()}`).not.toMatch(/^$|^cli\.describe|\{\{/);
    }
  });
});

describe('help words are looked up only when shown', () => {
  it('a command that runs leaves them pending; a help page, the man page and completion fill them in', async () => {
    const { createProgram } = await import('../../main/cli/skm.js');
    const { completionScript } = await import('../../main/cli/completion.js');
    const { manPage } = await import('../../main/cli/man.js');
    const { PassThrough, Readable } = await import('node:stream');
    const words = 'List the connected security keys';
    const fresh = () => createProgram({ stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, isTTY: false });
    const listOf = (program: ReturnType<typeof fresh>['program']) => program.commands.find((command) => command.name() === 'list')!;

    const { program, copy } = fresh();
    expect(listOf(program).description()).toBe('');
    expect(program.helpInformation()).toContain(words);
    expect(listOf(program).description()).toContain(words);
    expect(listOf(fresh().program).helpInformation()).toContain(words);
    expect(manPage(fresh().program, copy, '0')).toContain(words);
    expect(completionScript(fresh().program, 'fish')).toContain(words);
  });
});

describe('usage errors', () => {
  it('reword the parser, suggest the command meant, and point at the sub-command help', async () => {
    const typo = await skm(['lst']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('Error: There is no command "lst". Did you mean list?\nSee how to use it with `skm --help`.\n');
    const length = await skm(['config', 'min-pin-length', '3']);
    expect(length.stderr).toContain('Error: <length> must be a whole number from 4 to 63.');
    expect(length.stderr).toContain('`skm config min-pin-length --help`');
    expect(length.stderr).not.toMatch(/Command-argument value|invalid for argument/);
    const missing = await skm(['--json', 'bio', 'rename', 'a1']);
    expect(parseJson<JsonError>(missing).error.message).toBe('Missing <name>.');
    const value = await skm(['--device']);
    expect(value.stderr).toContain('The option --device <id> needs a value.');
  });

  it('--csv is for lists only, and not with --json', async () => {
    const path = tmp.file('key.json');
    const info = await skm(['--virtual', path, '--csv', 'info']);
    expect(info.code).toBe(2);
    expect(info.stderr).toContain('--csv works with the commands that print lists');
    const both = await skm(['--virtual', path, '--csv', '--json', 'list']);
    expect(both.code).toBe(2);
  });
});

/** What bash completes for a partial command line (the last word may be empty). */
function complete(script: string, line: string): string[] {
  const program = [
    `source ${script}`,
    `read -ra COMP_WORDS <<< ${JSON.stringify(line)}`,
    line.endsWith(' ') ? 'COMP_WORDS+=("")' : ':',
    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
    '_skm',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = spawnSync('bash', ['-c', program], { encoding: 'utf8', cwd: tmp.dir });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('skm completion', () => {
  it('bash completes commands, sub-commands, options and option values on partial command lines', async () => {
    const script = tmp.file('skm.bash');
    const generated = await skm(['completion', 'bash']);
    expect(generated.code).toBe(0);
    await writeFile(script, generated.stdout);
    await writeFile(tmp.file('key.json'), '{}');
    expect(complete(script, 'skm cr')).toEqual(['creds']);
    expect(complete(script, 'skm creds ')).toEqual(expect.arrayContaining(['list', 'delete', 'update-user', '--json']));
    expect(complete(script, 'skm --virtual key.json pin v')).toEqual(['verify']);
    expect(complete(script, 'skm --virtual-preset b')).toEqual(['bio', 'bio-pre']);
    expect(complete(script, 'skm --virtual ke')).toEqual(['key.json']);
    expect(complete(script, 'skm config always-uv o')).toEqual(['on', 'off']);
    expect(complete(script, 'skm --json bio list --c')).toEqual(['--csv']);
  });

  it('prints zsh, fish and PowerShell scripts from the same tree; anything else is a usage error', async () => {
    for (const shell of ['zsh', 'fish', 'powershell']) {
      const result = await skm(['completion', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('verify');
      expect(result.stdout).toContain('update-user');
    }
    const zsh = spawnSync('bash', ['-n'], { input: (await skm(['completion', 'bash'])).stdout });
    expect(zsh.status).toBe(0);
    const other = await skm(['completion', 'tcsh']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('<shell> must be bash, zsh, fish or powershell.');
  });
});

describe('skm man', () => {
  it('a roff page naming every command, the exit codes and examples, from the help text', async () => {
    const result = await skm(['man']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('.TH SKM 1')).toBe(true);
    for (const command of ['list', 'pin verify', 'creds delete', 'config enterprise\\-attestation enable', 'completion', 'virtual\\-key presets']) {
      expect(result.stdout).toContain(`.B skm ${command}`);
    }
    expect(result.stdout).toContain('.SH "EXIT STATUS"');
    expect(result.stdout).toContain('skm creds delete Zx3q');
    const page = tmp.file('skm.1');
    await writeFile(page, result.stdout);
    const rendered = spawnSync('man', ['-l', page], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80' } });
    if (rendered.error === undefined) {
      expect(rendered.status).toBe(0);
      // man may embolden by overstriking (X backspace X); read the text without it.
      expect(rendered.stdout.replace(/.\x08/g, '')).toContain('EXIT STATUS');
    }
  });
});
