/**
 * V8's compile cache for the `skm` bundle (Node 22.1+, `module.enableCompileCache`): the first
 * start compiles the bundle and stores the code, later starts read the code back instead of
 * parsing and compiling the bundle again. On Node 20 there is nothing to enable.
 *
 * The cache is kept per user under the OS's cache directory ($XDG_CACHE_HOME or ~/.cache on Linux,
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), never in Node's default shared temporary
 * directory, where another account could plant compiled code for skm to run. NODE_COMPILE_CACHE and
 * NODE_DISABLE_COMPILE_CACHE keep the meaning Node gives them.
 * @module
 */
import module from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface CompileCacheHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** `module.enableCompileCache` where this Node has it. */
  enable: ((directory: string) => unknown) | undefined;
}

/** This user's cache directory for skm's compiled code, or undefined when none can be told. */
export function compileCacheDirectory({ env, platform, home }: Pick<CompileCacheHost, 'env' | 'platform' | 'home'>): string | undefined {
  const absolute = (path: string | undefined): string | undefined => (path !== undefined && isAbsolute(path) ? path : undefined);
  const base =
    platform === 'win32'
      ? absolute(env.LOCALAPPDATA)
      : platform === 'darwin'
        ? absolute(home) && join(home, 'Library', 'Caches')
        : (absolute(env.XDG_CACHE_HOME) ?? (absolute(home) && join(home, '.cache')));
  return base === undefined ? undefined : join(base, 'security-key-manager', 'compile-cache');
}

/** Turn the cache on for the modules loaded from now on (call before importing the CLI). */
export function enableCompileCache(host: CompileCacheHost = currentHost()): void {
  if (!host.enable) return;
  // Node has already acted on these before any code ran.
  if (host.env.NODE_COMPILE_CACHE !== undefined || host.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return;
  const directory = compileCacheDirectory(host);
  // Never fails: a directory that cannot be written only means no cache.
  if (directory !== undefined) host.enable(directory);
}

function currentHost(): CompileCacheHost {
  const enable = (module as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
  return { env: process.env, platform: process.platform, home: homedir(), enable: enable?.bind(module) };
}
