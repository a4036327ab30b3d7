/** The version `skm --version` prints; its own module so the executable can answer without loading the CLI. */
export const VERSION = '0.1.0';
