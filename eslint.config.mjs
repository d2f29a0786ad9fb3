// ESLint for the whole tree (flat config). `npm run lint` runs it; `npm test` runs it after the format check.
// typescript-eslint's *non type-checked* recommended set: a type-aware lint would build the three
// TypeScript programs again on every run, and `npm run typecheck` already does that.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import boundaries from 'eslint-plugin-boundaries'
import svelte from 'eslint-plugin-svelte'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * The house's layers as lint errors (eslint-plugin-boundaries; imports resolved by
 * eslint-import-resolver-typescript, so `./router.svelte` finds router.svelte.ts). Each policy's
 * message starts with "Layers:"; test/lint/layers.test.ts proves that every family fires on a
 * deliberately broken fixture. With `checkAllOrigins`, node builtins (origin "core") and packages
 * (origin "external") are checked too, not only our own files. The last matching policy wins.
 */
const FRONT_ENDS = '{electron,server,cli}'
const layers = [
  {
    files: ['src-shared/**', 'src-main/**', 'src-renderer/**'],
    plugins: { boundaries },
    settings: {
      'import/resolver': {
        typescript: { project: ['tsconfig.node.json', 'tsconfig.web.json'], alwaysTryTypes: true, noWarnOnMultipleProjects: true }
      },
      'boundaries/elements': [
        { type: 'shared', pattern: 'src-shared', partialMatch: false },
        { type: 'renderer', pattern: 'src-renderer', partialMatch: false },
        { type: 'services', pattern: 'src-main/services', partialMatch: false },
        { type: 'electron', pattern: 'src-main/electron', partialMatch: false },
        { type: 'server', pattern: 'src-main/server', partialMatch: false },
        { type: 'cli', pattern: 'src-main/cli', partialMatch: false },
        { type: 'data', pattern: 'src-main/data', partialMatch: false },
        { type: 'engine', pattern: 'src-main/engine', partialMatch: false },
        { type: 'store', pattern: 'src-main/store', partialMatch: false },
        { type: 'workers', pattern: 'src-main/workers', partialMatch: false },
        { type: 'remote', pattern: 'src-main/remote', partialMatch: false },
        // Anything else in src-main (a new top-level file or folder) is still main-process code.
        { type: 'main', pattern: 'src-main', partialMatch: false }
      ],
      'boundaries/legacy-templates': false
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkAllOrigins: true,
          policies: [
            {
              from: { element: { type: 'shared' } },
              disallow: {
                to: [{ element: { type: '!shared' } }, { module: { origin: 'core' } }, { module: { origin: 'external', source: '!zod' } }]
              },
              message:
                'Layers: src-shared is pure TypeScript: it imports only src-shared and zod (no Node builtins, no DOM-only or other packages).'
            },
            {
              from: { element: { type: 'renderer' } },
              disallow: {
                to: [
                  { element: { type: '!{renderer,shared}' } },
                  { module: { origin: 'core' } },
                  { module: { origin: 'external', source: 'electron' } }
                ]
              },
              message:
                'Layers: the renderer imports only src-renderer and src-shared (it reaches the core through the contract client; no Node, no Electron, no src-main).'
            },
            {
              from: { element: { type: 'services' } },
              disallow: {
                to: [
                  { element: { type: FRONT_ENDS } },
                  { module: { source: '{electron,ws,http,https,net,node:http,node:https,node:net}' } }
                ]
              },
              message:
                'Layers: the core (src-main/services) knows nothing of how it is reached: no electron, http/https/net, ws, or src-main/{electron,server,cli}.'
            },
            {
              from: { element: { type: 'engine' } },
              disallow: { to: { element: { type: '{store,services}' } } },
              message: 'Layers: the engine never imports the store (src-main/store) or the services.'
            },
            {
              from: { element: { type: 'data' } },
              disallow: { to: { element: { type: 'engine' } } },
              message: 'Layers: the data layer (src-main/data) never imports the engine.'
            },
            {
              from: { element: { type: 'store' } },
              disallow: { to: [{ element: { type: 'engine' } }, { module: { source: '@tensorflow/*' } }] },
              message: 'Layers: the store knows no models: no src-main/engine, no tfjs.'
            },
            {
              from: { element: { type: '!electron' } },
              disallow: { to: { element: { type: 'electron' } } },
              message: 'Layers: only the desktop front end (src-main/electron) imports src-main/electron.'
            },
            {
              from: { element: { type: '!server' } },
              disallow: { to: { element: { type: 'server' } } },
              message: 'Layers: only the server itself and its entry (src-main/cli/serve-command.ts) import src-main/server.'
            },
            {
              from: { element: { type: 'cli', fileInternalPath: 'serve-command.ts' } },
              allow: { to: { element: { type: 'server' } } }
            },
            {
              from: { element: { type: '!cli' } },
              disallow: { to: { element: { type: 'cli' } } },
              message: 'Layers: only the CLI and its entry (src-main/cli.ts) import src-main/cli.'
            },
            {
              from: { element: { type: 'main', fileInternalPath: 'cli.ts' } },
              allow: { to: { element: { type: 'cli' } } }
            }
          ]
        }
      ]
    }
  }
]

/** Globals that exist only in Node or only in a browser: src-shared runs in both, so it uses neither. */
const HOST_GLOBALS = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'location',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global'
]

export default defineConfig(
  {
    ignores: [
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      '.electron-native/',
      // AssemblyScript (i32, f32, load<T>…): TypeScript syntax, another language's globals and rules.
      'src-main/engine/fused/kernels/',
      // Deliberately broken imports: test/lint/layers.test.ts lints them as if they sat in the tree.
      'test/lint/fixtures/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  },
  {
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (Keras's call signatures,
      // leaving a field out of a rest copy).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }
      ]
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    rules: {
      // It flags every `new Map()` in a component, but the renderer's are scratch maps built and read
      // inside one computation (a $derived, a merge helper), never kept as state; SvelteMap would add
      // reactivity that nothing reads.
      'svelte/prefer-svelte-reactivity': 'off'
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // The CLI launcher is CommonJS on purpose: it must run before anything is built.
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  ...layers,
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...HOST_GLOBALS.map((name) => ({ name, message: 'Layers: src-shared is pure TypeScript: no Node or DOM globals.' }))
      ]
    }
  },
  prettier,
  ...svelte.configs.prettier
)
