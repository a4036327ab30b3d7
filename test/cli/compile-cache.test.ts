// V8's compile cache for the skm bundle: a per-user directory on each OS (never a shared temporary
// one), Node's own variables respected, and nothing to do on a Node without the feature.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDirectory, enableCompileCache, type CompileCacheHost } from '../../main/cli/compile-cache.js';

function host(overrides: Partial<CompileCacheHost> & { enabled?: string[] } = {}): CompileCacheHost & { enabled: string[] } {
  const enabled = overrides.enabled ?? [];
  return { env: {}, platform: 'linux', home: '/home/ada', enable: (directory) => enabled.push(directory), ...overrides, enabled };
}

describe('compile cache', () => {
  it("lives in the user's own cache directory on Linux, macOS and Windows", () => {
    expect(compileCacheDirectory(host())).toBe(join('/home/ada/.cache', 'security-key-manager', 'compile-cache'));
    expect(compileCacheDirectory(host({ env: { XDG_CACHE_HOME: '/var/cache/ada' } }))).toBe(join('/var/cache/ada', 'security-key-manager', 'compile-cache'));
    expect(compileCacheDirectory(host({ platform: 'darwin', home: '/Users/ada' }))).toBe(join('/Users/ada/Library/Caches', 'security-key-manager', 'compile-cache'));
    expect(compileCacheDirectory(host({ platform: 'win32', env: { LOCALAPPDATA: '/c/Users/ada/AppData/Local' } }))).toBe(join('/c/Users/ada/AppData/Local', 'security-key-manager', 'compile-cache'));
  });

  it('has no directory rather than a relative or missing one (which would land in the working directory)', () => {
    expect(compileCacheDirectory(host({ env: { XDG_CACHE_HOME: 'cache' }, home: '' }))).toBeUndefined();
    expect(compileCacheDirectory(host({ platform: 'win32', env: {} }))).toBeUndefined();
    const relativeOnly = host({ env: { XDG_CACHE_HOME: 'cache' }, home: 'relative' });
    enableCompileCache(relativeOnly);
    expect(relativeOnly.enabled).toEqual([]);
  });

  it('is turned on with that directory, unless Node was told otherwise or cannot', () => {
    const plain = host();
    enableCompileCache(plain);
    expect(plain.enabled).toEqual([join('/home/ada/.cache', 'security-key-manager', 'compile-cache')]);
    for (const env of [{ NODE_COMPILE_CACHE: '/elsewhere' }, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
      const told = host({ env });
      enableCompileCache(told);
      expect(told.enabled).toEqual([]);
    }
    expect(() => enableCompileCache(host({ enable: undefined }))).not.toThrow();
  });
});
