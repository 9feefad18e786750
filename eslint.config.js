// ESLint flat config. Formatting is Prettier's job; these rules look for bugs. TypeScript is linted
// with type information (through tsconfig.test.json, which covers sources, specs and benchmarks), which
// is what lets no-floating-promises see an un-awaited tensor read or backend switch.
import js from '@eslint/js';
import {defineConfig} from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The Node globals our few plain-JS files (configs, the karma plugins and checks) use. */
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
};

export default defineConfig(
  // Dot-folders hold local tool state, never sources.
  {
    ignores: [
      '.*/',
      'dist/',
      'build/',
      'docs/api/',
      'node_modules/',
      'bench/results/',
      'test/fixtures/keras/**/*.json',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: './tsconfig.test.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Unused parameters are allowed when named as such, as in callbacks with a fixed signature.
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // A committed .only silently drops every other spec (mocha's forbidOnly also fails such a run).
      'no-restricted-properties': [
        'error',
        {object: 'describe', property: 'only', message: 'Do not commit .only.'},
        {object: 'it', property: 'only', message: 'Do not commit .only.'},
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {sourceType: 'module', globals: nodeGlobals},
  },
);
