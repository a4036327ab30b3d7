// Global options that do not fit together are usage errors, before any key is touched.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VirtualDiscovery } from '../../ctap/virtual/discovery.js';
import { VirtualKey } from '../../ctap/virtual/virtual-key.js';
import { parseJson, readState, skm, tempDir, type JsonError } from './helpers.js';

describe('skm: conflicting global options', () => {
  it('--virtual-preset without --virtual is a usage error and never falls through to a connected key', async () => {
    // Stands in for a real key on USB: the command must not act on it.
    const connected = VirtualKey.create({ preset: 'ctap21' });
    const hardware = () => [{ transport: 'usb' as const, timeoutMs: 1_000, load: () => Promise.resolve(new VirtualDiscovery(connected)) }];
    const result = await skm(['--virtual-preset', 'ctap21', '--json', 'pin', 'set'], { stdin: '123456\n', overrides: { hardwareSources: hardware } });
    expect(result.code).toBe(2);
    const error = parseJson<JsonError>(result).error;
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain('--virtual');
    expect(connected.state.pinHash).toBeNull();
  });
});

describe('skm --device', () => {
  it('an empty id (an unset variable in a script) is a usage error, not "the only key"', async () => {
    const tmp = await tempDir();
    try {
      const path = tmp.file('key.json');
      for (const id of ['', '  ']) {
        const result = await skm(['--virtual', path, '--device', id, '--json', 'pin', 'set'], { stdin: '123456\n' });
        expect(result.code).toBe(2);
        expect(parseJson<JsonError>(result).error.code).toBe('USAGE');
      }
      // The key was not touched.
      expect((await skm(['--virtual', path, '--json', 'pin', 'status'])).stdout).toContain('"pinSet": false');
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('skm --rp', () => {
  it('an empty website id is a usage error for config min-pin-length and creds list; nothing is changed', async () => {
    const tmp = await tempDir();
    try {
      const path = tmp.file('key.json');
      expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
      for (const argv of [['config', 'min-pin-length', '6', '--rp', ''], ['config', 'min-pin-length', '6', '--rp', 'a.example', '--rp', ' '], ['creds', 'list', '--rp', '']]) {
        const result = await skm(['--virtual', path, '--yes', '--json', ...argv], { stdin: '123456\n' });
        expect(result.code).toBe(2);
        expect(parseJson<JsonError>(result).error.code).toBe('USAGE');
      }
      expect((await readState(path)).state.minPinLength).toBe(4);
    } finally {
      await tmp.cleanup();
    }
  });

  it('a website named twice is sent once', async () => {
    const tmp = await tempDir();
    try {
      const path = tmp.file('key.json');
      expect((await skm(['--virtual', path, 'pin', 'set'], { stdin: '123456\n' })).code).toBe(0);
      const result = await skm(['--virtual', path, '--yes', '--json', 'config', 'min-pin-length', '6', '--rp', 'a.example', '--rp', 'a.example'], { stdin: '123456\n' });
      expect(result.code).toBe(0);
      expect(parseJson<{ rpIds: string[] }>(result).rpIds).toEqual(['a.example']);
      const stored = JSON.parse(await readFile(path, 'utf8')) as { state: { minPinLengthRpIds: string[] } };
      expect(stored.state.minPinLengthRpIds).toEqual(['a.example']);
    } finally {
      await tmp.cleanup();
    }
  });
});
