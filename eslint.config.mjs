// Each folder under src/ may import only from the layers below it (see the README.md in each folder): the
// rules below enforce that, so it does not rest on habit.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const VSCODE = { name: 'vscode', message: 'This layer runs without VS Code; keep vscode in the glue (views, panels, launch, auth).' };
/** `node:fs` and bare `fs` alike, with subpaths such as `fs/promises`. */
const NODE = {
  regex: `^(node:|(${builtinModules.map(escape).join('|')})(/|$))`,
  message: 'This layer runs in the webview or must stay portable to it: no Node built-ins.',
};
const TEST_OR_SCRIPTS = {
  regex: '^(\\.\\./)+(test|scripts)(/|$)',
  message: 'Shipped code never depends on tests or scripts.',
};
/** Views, panels and launch are siblings: they meet in extension.ts, never through each other. */
const sibling = (folders) => ({
  regex: `^\\.\\./(${folders.join('|')})(/|$)`,
  message: `Views, panels and launch are siblings that meet in extension.ts; this one does not import ${folders.join(' or ')}.`,
});
const UI_FROM_RUNS = {
  regex: '^\\.\\./(views|panels|launch)(/|$)',
  message: 'The run store sits below the UI: views, panels and launch listen to its events, not the other way round.',
};

/**
 * One entry per folder, because a later `no-restricted-imports` replaces an earlier one instead of adding to it:
 * each folder's entry lists every restriction that applies there.
 */
function layer(folder, { vscode = false, node = false, patterns = [] } = {}) {
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: vscode ? [VSCODE] : [],
          patterns: [TEST_OR_SCRIPTS, ...(node ? [NODE] : []), ...patterns],
        },
      ],
    },
  };
}

export default defineConfig(
  {
    ignores: ['dist/', 'out/', '.vscode-test/', 'test-results/', 'bench-results/', 'test/webview-harness/', '**/*.vsix'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // The sanitisers, and the tests that attack them, match control characters on purpose.
      'no-control-regex': 'off',
      // An underscore marks what is left out on purpose, e.g. fields dropped with `{ id: _id, ...rest }`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read answers of many shapes; typing each one would add nothing the assertions do not check.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'no-restricted-imports': ['error', { patterns: [TEST_OR_SCRIPTS] }],
    },
  },
  layer('api', { vscode: true }),
  layer('core', { vscode: true, node: true }),
  layer('shared', { vscode: true, node: true }),
  layer('webview', { vscode: true, node: true }),
  layer('runs', { patterns: [UI_FROM_RUNS] }),
  layer('views', { patterns: [sibling(['panels', 'launch'])] }),
  layer('panels', { patterns: [sibling(['views', 'launch', 'webview'])] }),
  layer('launch', { patterns: [sibling(['views', 'panels'])] }),
  layer('auth', { patterns: [sibling(['views', 'panels', 'launch'])] }),
);
