import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The layers of src/ and what each may import: core nothing outside core; db
// core only; the worker core and db; the CLI core only; the page (src/ui) the
// worker's API as types, core's types and constants, and storage only through
// src/ui/liveStorage.ts. The patterns match the import as written, so the rule
// for a file depends on how deep it sits in its layer: from
// src/core/detect/stream.ts, '../../db/x' leaves core and '../event' does not.

/** The part of a relative import that leads from a file `depth` folders below its layer's top up to src/. */
const toSrc = (depth) => `^(?:\\.\\./){${depth + 1}}`;

/** Globs of the TypeScript and Svelte files exactly `depth` folders below `dir`. */
const filesAt = (dir, depth) => [`${dir}/${'*/'.repeat(depth)}*.{ts,svelte}`];

const DEPTHS = [0, 1, 2, 3];

/** Any bare import (a package) but those `allowed`. */
const bare = (allowed) => `^(?!\\.{1,2}/)(?!(?:${allowed.join('|')})$)`;

/** One `no-restricted-imports` setting per depth of `dir`, from the patterns `patternsAt(depth)` gives. */
function layer(dir, patternsAt, name) {
  return DEPTHS.map((depth) => ({
    name: `offbrowse/layers/${name}/${depth}`,
    files: filesAt(dir, depth),
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patternsAt(depth) }] },
  }));
}

const core = (depth) => [
  {
    regex: toSrc(depth),
    caseSensitive: true,
    message: 'src/core imports nothing outside src/core: it runs in the worker, in Node and in tests alike.',
  },
  {
    regex: bare(['papaparse', 'tldts', 'fflate']),
    caseSensitive: true,
    message: 'src/core imports no packages but papaparse, tldts and fflate (no Node built-ins, Dexie, Svelte or Comlink).',
  },
];

const db = (depth) => [
  { regex: `${toSrc(depth)}(?!core/)`, caseSensitive: true, message: 'src/db imports src/core only.' },
  { regex: bare(['dexie']), caseSensitive: true, message: 'src/db imports no packages but dexie.' },
];

const worker = (depth) => [
  { regex: `${toSrc(depth)}(?!(?:core|db)/)`, caseSensitive: true, message: 'src/worker imports src/core and src/db only.' },
  {
    regex: '^(?:node:|dexie$|svelte(?:/|$))',
    caseSensitive: true,
    message: 'src/worker reaches storage through src/db, and never Node or Svelte.',
  },
];

const cli = (depth) => [{ regex: `${toSrc(depth)}(?!core/)`, caseSensitive: true, message: 'src/cli imports src/core only.' }];

// The folders of src/core, lowest first (docs/architecture.md): a file imports its own
// folder and the folders before it, never one after. pipeline/ is reserved for the
// one module that wires reading into alerts.
export const CORE_ORDER = [
  'util',
  'evtx',
  'settings',
  'events',
  'classify',
  'sources',
  'runs',
  'alerts',
  'generate',
  'ingest',
  'detect',
  'pipeline',
  'sql',
  'state',
];

/** The patterns of a file in src/core/<folder>/: core's own, plus the folders above it in CORE_ORDER. */
const coreFolder = (folder) => {
  const above = CORE_ORDER.slice(CORE_ORDER.indexOf(folder) + 1);
  return [
    ...core(1),
    ...(above.length === 0
      ? []
      : [
          {
            regex: `^\\.\\./(?:${above.join('|')})(?:/|$)`,
            caseSensitive: true,
            message: `src/core/${folder} imports its own folder and the ones before it (${CORE_ORDER.slice(0, CORE_ORDER.indexOf(folder)).join(', ') || 'none'}): the order of src/core's folders is in docs/architecture.md.`,
          },
        ]),
  ];
};

/** The page: src/ui. `storage` is true for the one module that opens the database for live queries. */
const page = (storage) => (depth) => [
  {
    regex: `${toSrc(depth)}(?!(?:core|worker${storage ? '|db' : ''})/)`,
    caseSensitive: true,
    message: storage
      ? 'The page imports src/core, src/db and the worker API only.'
      : 'The page imports src/core and the worker API; storage only through src/ui/liveStorage.ts.',
  },
  {
    regex: `${toSrc(depth)}worker/api$`,
    caseSensitive: true,
    allowTypeImports: true,
    message: "The page imports the worker's API as types only (`import type`): the worker runs it.",
  },
  {
    regex: `${toSrc(depth)}worker/(?!api$|ingest\\.worker\\.ts\\?worker&inline$)`,
    caseSensitive: true,
    message: 'The page knows the worker by its API (src/worker/api.ts, as types) and its entry only.',
  },
  {
    regex: `${toSrc(depth)}core/(?!(?:settings/variations|alerts/triage|settings/settings|sources/counts|ingest/report|util/errorMessage)$)`,
    caseSensitive: true,
    allowTypeImports: true,
    message:
      'The page takes types from src/core, and values only from its constants, the words of its reports (settings/variations, alerts/triage, settings/settings, sources/counts, ingest/report) and the one error-to-message helper (util/errorMessage): it never parses.',
  },
  ...(storage
    ? [{ regex: '^(?:node:)', caseSensitive: true, message: 'The page never uses Node.' }]
    : [
        {
          regex: '^(?:node:|dexie$)',
          caseSensitive: true,
          message: 'The page never uses Node, and reaches storage only through src/ui/liveStorage.ts.',
        },
      ]),
];

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-single/',
      'bench-data/',
      'test-results/',
      'scripts/tmp/',
      // AssemblyScript, and what scripts/kernel.js writes from it.
      'kernel/',
      'src/core/sources/structuralWasm.js',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    name: 'offbrowse/languages',
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
  },
  {
    name: 'offbrowse/svelte-typescript',
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // TypeScript (svelte-check) knows the page's globals; ESLint's own list would only repeat it, worse.
      'no-undef': 'off',
      // It reports every Map and Set in a component; here those are locals of a $derived.by and private
      // bookkeeping that no template reads, which must not become reactive.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    name: 'offbrowse/node-scripts',
    files: ['bin/**/*.js', 'scripts/**/*.js', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'offbrowse/browser-bench',
    // Its page.evaluate callbacks run in the page.
    files: ['scripts/bench-browser.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    name: 'offbrowse/rules',
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...layer('src/core', core, 'core'),
  ...CORE_ORDER.map((folder) => ({
    name: `offbrowse/layers/core-order/${folder}`,
    files: [`src/core/${folder}/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: coreFolder(folder) }] },
  })),
  {
    name: 'offbrowse/layers/core-folders',
    // One concept per folder: no loose file at the top of src/core, no folder the order does not know, no folder in a folder.
    files: ['src/core/*.ts', 'src/core/*/**/*.ts'],
    ignores: [...CORE_ORDER.map((folder) => `src/core/${folder}/*.ts`), 'src/core/platform/*.d.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message:
            'Every file of src/core sits in one folder of CORE_ORDER (eslint.config.js, docs/architecture.md); platform/ holds only declarations.',
        },
      ],
    },
  },
  {
    name: 'offbrowse/no-cycle',
    // No file of src imports itself through others at run time. import-x leaves out type-only
    // imports, which the compiler erases (verbatimModuleSyntax); between folders of src/core the
    // order above still forbids them one way, so a cycle of types can only stay inside one folder.
    // Components are not followed (import-x cannot parse a component's TypeScript script block as a
    // dependency), so a cycle is among the .ts modules, and linting those finds it.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.svelte', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/ignore': ['\\.svelte$'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...layer('src/db', db, 'db'),
  ...layer('src/worker', worker, 'worker'),
  ...layer('src/cli', cli, 'cli'),
  ...layer('src/ui', page(false), 'page'),
  {
    name: 'offbrowse/layers/page-storage',
    files: ['src/ui/liveStorage.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: page(true)(0) }] },
  },
  {
    name: 'offbrowse/tests/vitest-expect',
    // One assertion style per test layer: vitest's expect where vitest runs.
    files: ['tests/*.ts', 'tests/unit/**/*.ts', 'tests/sql/**/*.ts', 'tests/helpers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:node:)?assert(?:/strict)?$',
              message: "Tests run by vitest assert with vitest's expect, not node:assert.",
            },
          ],
        },
      ],
    },
  },
  {
    name: 'offbrowse/tests/browser-assert',
    files: ['tests/browser/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^vitest$',
              message: "The browser tests run under node:test and assert with node:assert, not vitest's expect.",
            },
          ],
        },
      ],
    },
  },
  {
    name: 'offbrowse/layers/too-deep',
    // The layer rules above stop at DEPTHS; a deeper file would have none.
    files: [`src/*/${'*/'.repeat(DEPTHS.length)}**/*.{ts,svelte}`],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'Files this deep get no layer rules: add a depth to DEPTHS in eslint.config.js.' },
      ],
    },
  },
  {
    name: 'offbrowse/layers/page-entry',
    files: ['src/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./ui/|svelte$)',
              caseSensitive: true,
              message: 'src/main.ts starts the page in src/ui and imports nothing else.',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'offbrowse/layers/service-worker',
    files: ['src/serviceWorker.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '.', message: 'src/serviceWorker.ts is not bundled (vite.config.ts), so it imports nothing.' }] },
      ],
    },
  },
  {
    name: 'offbrowse/bench',
    // The benchmarks (npm run bench) run in Node; the product's layers (src/) never import them. The peer
    // classifies clients and domains with its own SQL (bench/peer/classify.ts), so it checks the product's
    // rules instead of repeating them: it takes none of the product's classification or URL code.
    files: ['bench/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/src/core/(?:classify/.*|util/url)$',
              caseSensitive: true,
              message: "The benchmark peer classifies with its own SQL (bench/peer/classify.ts), never the product's code.",
            },
          ],
        },
      ],
    },
  },
);
