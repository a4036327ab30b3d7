// Types for main/cli/build.mjs (a plain Node script, so it runs before anything is compiled).
/** Packages loaded from node_modules at run time, never bundled. */
export declare const externals: string[];
/** Where the chunks of the CLI bundle `outfile` go (a directory beside it, named after it). */
export declare function chunkDir(outfile: string): string;
/** Bundle main/cli/entry.ts to `outfile` (default dist/skm.mjs, executable) and its chunks; resolves to the path. */
export declare function buildCli(options?: { outfile?: string }): Promise<string>;
/** Bundle the Electron main process and preload to `outdir` (default dist/electron); resolves to the paths. */
export declare function buildElectron(options?: { outdir?: string }): Promise<string[]>;
