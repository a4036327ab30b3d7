// --json promises ONE JSON document on stdout for every outcome, usage errors included (README
// "JSON"); help text for people goes to stderr then.
import { describe, expect, it } from 'vitest';
import { parseJson, skm, tempDir, type JsonError } from './helpers.js';

describe('skm --json: one document on stdout, also for usage errors', () => {
  for (const argv of [['--json'], ['--json', 'pin'], ['creds', '--json'], ['--json', 'bio'], ['--json', 'config'], ['--json', 'virtual-key', 'presets', 'extra']]) {
    it(`skm ${argv.join(' ')}: exit 2 with a USAGE error document`, async () => {
      const result = await skm(argv);
      expect(result.code).toBe(2);
      const error = parseJson<JsonError>(result).error;
      expect(error.code).toBe('USAGE');
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.nextStep).toContain('--help');
    });
  }

  it('without --json a missing command still shows the help on stderr only', async () => {
    const result = await skm(['pin']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: skm pin');
  });
});

describe('skm: a destructive command without a terminal and without --yes', () => {
  it('names what would be lost, says nothing changed, and that --yes confirms', async () => {
    const tmp = await tempDir();
    try {
      const result = await skm(['--virtual', tmp.file('key.json'), '--json', 'reset']);
      expect(result.code).toBe(2);
      const error = parseJson<JsonError>(result).error;
      expect(error.message).toMatch(/^Reset this security key: this needs your confirmation\. Every passkey/);
      expect(error.nextStep).toContain('Nothing was changed');
      expect(error.nextStep).toContain('--yes');
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('skm pin with a PIN on the command line', () => {
  for (const argv of [['pin', 'set', '8642'], ['pin', 'change', '8642', '97531'], ['pin', '8642']]) {
    it(`skm ${argv.join(' ')}: a usage error that never repeats the PIN and says how PINs are given`, async () => {
      const human = await skm(argv);
      expect(human.code).toBe(2);
      expect(human.stdout + human.stderr).not.toMatch(/8642|97531/);
      expect(human.stderr).toContain('standard input');
      const json = await skm(['--json', ...argv]);
      expect(json.code).toBe(2);
      expect(json.stdout + json.stderr).not.toMatch(/8642|97531/);
      expect(parseJson<JsonError>(json).error.nextStep).toContain('standard input');
    });
  }
});
