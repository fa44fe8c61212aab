// @ts-check
import js from '@eslint/js';
import playwright from 'eslint-plugin-playwright';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', 'test-results/', 'playwright-report/', 'blob-report/', 'types/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain-JavaScript quick starts and test preloads run on Node 20+, which has fetch.
    files: ['examples/**/*.mjs', 'tests/**/*.mjs'],
    languageOptions: { globals: { fetch: 'readonly', Request: 'readonly' } },
  },
  {
    files: ['specs/**/*.ts'],
    ...playwright.configs['flat/recommended'],
    rules: {
      ...playwright.configs['flat/recommended'].rules,
      // Specs import test/expect from fixtures/index.ts, never from @playwright/test directly.
      'no-restricted-imports': ['error', { paths: [{ name: '@playwright/test', message: "import { test, expect } from '../fixtures/index.ts'" }] }],
      // Assertions live in helpers such as ok() and toBeAuthError() as well as in expect().
      'playwright/expect-expect': ['error', { assertFunctionNames: ['ok', 'expect'] }],
      'playwright/no-conditional-in-test': 'error',
      // A skip must carry its reason and depend on the target; unconditional skips stay forbidden.
      'playwright/no-skipped-test': ['error', { allowConditional: true }],
    },
    settings: { playwright: { globalAliases: { test: ['test'], expect: ['expect'] } } },
  },
);
