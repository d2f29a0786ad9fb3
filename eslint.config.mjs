// ESLint for the whole tree (flat config). `npm run lint` runs it; `npm test` runs it after the format check.
// typescript-eslint's *non type-checked* recommended set: a type-aware lint would build the three
// TypeScript programs again on every run, and `npm run typecheck` already does that.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import svelte from 'eslint-plugin-svelte'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

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
      'src-main/engine/fused/kernels/'
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
  prettier,
  ...svelte.configs.prettier
)
