import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Folders of src/ from the bottom up: each may import only the folders below it. `core` is the
// domain (pure: no vscode, no node:), `node` the Node adapters (files, CSL assets) shared with the
// command line, `services` the editor-side state, then the features, then `commands` above them all.
const LAYERS = [
  ['core'],
  ['node'],
  ['workers'],
  ['services'],
  ['views', 'webview', 'quickPick', 'markdown', 'notes'],
  ['commands'],
];
const FOLDERS = LAYERS.flat();
const layerOf = (folder) => LAYERS.findIndex((layer) => layer.includes(folder));
const VSCODE = { name: 'vscode', message: 'src/core, src/node, src/workers and the command line run without the editor: keep vscode out.' };

/** no-restricted-imports for one folder: every folder at its level or above (but itself), and the entry points. */
function layerRule(folder) {
  const above = FOLDERS.filter((other) => other !== folder && layerOf(other) >= layerOf(folder));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: layerOf(folder) <= layerOf('workers') ? [VSCODE] : [],
        patterns: [
          ...above.map((other) => ({ group: [`**/${other}/*`], message: `src/${folder} sits below src/${other}: import only downward.` })),
          { group: ['**/extension', '**/cli/*'], message: 'Nothing imports the entry points.' },
          ...(folder === 'core' ? [{ group: ['node:*'], message: 'src/core is pure: no Node built-ins.' }] : []),
        ],
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'artifacts/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  ...FOLDERS.map(layerRule),
  // The domain runs and is tested in plain Node.
  { files: ['src/core/**/*.ts'], rules: { '@typescript-eslint/no-require-imports': 'error' } },
  {
    // The command line is a thin shell over the core: no editor, no editor-side services.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [VSCODE],
        patterns: [{ group: FOLDERS.filter((f) => !['core', 'node'].includes(f)).map((f) => `**/${f}/*`), message: 'The command line uses only src/core and src/node.' }],
      }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'esbuild.config.mjs', 'test/e2e/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
