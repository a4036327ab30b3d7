// Process boundaries are enforced here (DESIGN.md "Layers"): ctap/ is a pure protocol library,
// renderer/ is a sandboxed web page, and only two adapter files may load native modules.
import tseslint from 'typescript-eslint';

const nativeModules = ['node-hid', 'nfc-pcsc', '@pokusew/pcsclite'];
const nativeMessage = 'Only ctap/transport/hid/node-hid.ts and ctap/transport/nfc/pcsc.ts may import native modules.';

export default tseslint.config(
  // Lives in test/ (top-level layout rule); patterns are relative to the repository root.
  { basePath: '..' },
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // A test that starts an async assertion without awaiting it passes whatever the assertion
    // finds (an un-awaited fc.assert of an async property, an un-awaited expect(…).rejects).
    // This rule needs type information, so it runs with the project's tsconfig.
    files: ['test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname + '/..' } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['ctap/**/*.ts', 'main/**/*.ts'],
    ignores: ['ctap/transport/hid/node-hid.ts', 'ctap/transport/nfc/pcsc.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nativeModules.map((name) => ({ name, message: nativeMessage })),
        patterns: [
          { group: ['electron', 'electron/*'], message: 'ctap/ and main/ (outside main/electron) must run in plain Node.' },
          { group: ['react', 'react-dom', 'react/*', '@fluentui/*'], message: 'No UI code outside renderer/.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: nativeModules.map((name) => ({ name, message: nativeMessage })) }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nativeModules.map((name) => ({ name, message: nativeMessage })),
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'crypto'], message: 'renderer/ is a sandboxed page: no Node modules.' },
          { group: ['electron', 'electron/*'], message: 'renderer/ talks to main only through window.skm.' },
          { group: ['**/ctap/transport/**', '**/ctap/virtual/**', '**/main/service/**'], message: 'renderer/ imports only the IPC contract types.' },
        ],
      }],
      // The window is sandboxed: Node's globals do not exist there (the renderer's tsconfig has
      // Node types only because the contract's types reach into main/).
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', 'global', '__dirname'],
    },
  },
);
