/**
 * The app's command line (`npm start -- --virtual [FILE]`, and what a relaunch as administrator
 * passes to keep the window where it was), parsed with commander like the CLI. Chromium's own
 * switches and anything unknown are ignored, never an error: the app must always start.
 * @module
 */
import { Command, Option } from 'commander';

export interface LaunchOptions {
  /** Simulated keys to add at start: a file each, or null for the default file. */
  virtualKeys: (string | null)[];
  virtualPreset?: string;
  /** Window state carried over a relaunch. */
  bounds?: { x: number; y: number; width: number; height: number };
  maximized: boolean;
  /** This process was started by a relaunch as administrator: wait for the old one to go. */
  relaunched: boolean;
}

/** How a relaunch passes the window's bounds: "x,y,width,height" (integers). */
export function formatBounds(bounds: { x: number; y: number; width: number; height: number }): string {
  return [bounds.x, bounds.y, bounds.width, bounds.height].map((n) => Math.round(n)).join(',');
}

function parseBounds(value: string): LaunchOptions['bounds'] {
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || !parts.every(Number.isInteger)) return undefined;
  const [x, y, width, height] = parts as [number, number, number, number];
  // A nonsense size from a hand-written command line falls back to the default window.
  if (width < 200 || height < 200 || width > 20_000 || height > 20_000) return undefined;
  return { x, y, width, height };
}

/** Parse the app's own arguments (process.argv without the executable and, unpackaged, the app path). */
export function parseLaunchOptions(args: readonly string[]): LaunchOptions {
  const program = new Command('security-key-manager')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    // A bare `--virtual` (the default file) arrives as the preset '' so that it is collected too.
    .addOption(new Option('--virtual [file]').preset('').argParser((value: string, previous: (string | null)[] | undefined) => [...(previous ?? []), value === '' ? null : value]))
    .addOption(new Option('--virtual-preset <name>'))
    .addOption(new Option('--window-bounds <bounds>'))
    .addOption(new Option('--maximized'))
    .addOption(new Option('--relaunched'));
  try {
    program.parse([...args], { from: 'user' });
  } catch {
    return { virtualKeys: [], maximized: false, relaunched: false };
  }
  const o = program.opts<{ virtual?: (string | null)[]; virtualPreset?: string; windowBounds?: string; maximized?: boolean; relaunched?: boolean }>();
  const bounds = o.windowBounds !== undefined ? parseBounds(o.windowBounds) : undefined;
  return {
    virtualKeys: o.virtual ?? [],
    ...(o.virtualPreset !== undefined ? { virtualPreset: o.virtualPreset } : {}),
    ...(bounds ? { bounds } : {}),
    maximized: o.maximized === true,
    relaunched: o.relaunched === true,
  };
}

/** The arguments a relaunch passes on: the same simulated keys, and where the window was. */
export function relaunchArguments(state: { virtualFiles: string[]; virtualPreset?: string; bounds: { x: number; y: number; width: number; height: number }; maximized: boolean }): string[] {
  return [
    ...state.virtualFiles.flatMap((file) => ['--virtual', file]),
    ...(state.virtualPreset !== undefined ? ['--virtual-preset', state.virtualPreset] : []),
    '--window-bounds',
    formatBounds(state.bounds),
    ...(state.maximized ? ['--maximized'] : []),
    '--relaunched',
  ];
}
