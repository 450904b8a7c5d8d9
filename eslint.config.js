import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'url', 'util', 'worker_threads'];

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', '.electron-native/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // No import cycles: a cycle means two files are one module in disguise, and breaks load order.
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // Layers: a file's folder says where it runs, and what it may import.
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      { group: NODE_BUILTINS, message: 'shared/ is pure: no Node built-ins' },
      { regex: '^electron(/|$)', message: 'shared/ never imports electron' },
      { group: ['**/db/**', '../db', '../db/*', 'better-sqlite3*'], message: 'shared/ never imports db/' },
      { group: ['**/renderer/**', '../renderer', 'react', 'react-dom', '@mantine/*'], message: 'shared/ never imports renderer/' },
      { group: ['**/electron/**'], message: 'shared/ never imports electron/' },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([
      { group: NODE_BUILTINS, message: 'renderer/ runs in the browser: no Node built-ins' },
      { regex: '^electron(/|$)', message: 'renderer/ reaches the app only through window.attest' },
      { group: ['**/db/**', 'better-sqlite3*'], message: 'renderer/ never imports db/' },
      { group: ['**/electron/**'], message: 'renderer/ never imports electron/' },
    ]),
  },
  {
    files: ['db/**/*.ts'],
    ignores: ['db/driver.ts', '**/*.test.ts'],
    rules: restrict([
      { regex: '^electron(/|$)', message: 'db/ never imports electron' },
      { group: ['**/renderer/**', '**/electron/**'], message: 'db/ sits below electron/ and renderer/' },
      { group: ['better-sqlite3*'], message: 'only db/driver.ts imports the SQLite driver' },
    ]),
  },
  // electron/shell is the only folder that imports 'electron'; core and cli are plain Node.
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    ignores: ['electron/shell/**', '**/*.test.ts'],
    rules: restrict([
      { regex: '^electron(/|$)', message: "only electron/shell/ imports 'electron'" },
      { group: ['**/renderer/**'], message: 'the main process never imports renderer/' },
      { group: ['better-sqlite3*'], message: 'only db/driver.ts imports the SQLite driver' },
    ]),
  },
  {
    files: ['electron/core/**/*.ts', 'electron/worker/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([
      { regex: '^electron(/|$)', message: "only electron/shell/ imports 'electron'" },
      { group: ['**/renderer/**'], message: 'the core never imports renderer/' },
      { group: ['better-sqlite3*'], message: 'only db/driver.ts imports the SQLite driver' },
      { group: ['**/shell/**', '**/cli/**'], message: 'the core sits below electron/shell and electron/cli' },
    ]),
  },
  {
    files: ['electron/shell/**/*.ts'],
    rules: restrict([
      { group: ['**/renderer/**'], message: 'the main process never imports renderer/' },
      { group: ['better-sqlite3*', '**/db/**'], message: 'the shell never touches the database: it forwards to the core' },
      { group: ['**/cli/**'], message: 'the shell never imports the CLI' },
      { group: ['**/core/**'], message: 'the shell forwards to the core worker (electron/worker/host.ts); it never runs the core itself' },
    ]),
  },
  // Tests may open raw database handles (to tamper, to inspect), but not import electron.
  {
    files: ['**/*.test.ts'],
    rules: restrict([{ regex: '^electron(/|$)', message: "tests run without Electron; never import 'electron'" }]),
  },
);
