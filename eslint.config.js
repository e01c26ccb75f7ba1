// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/.data/**', '**/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Type information: each file is typed by the nearest tsconfig.json, as an editor types it, so
    // every package's tsconfig.json includes its tests, scripts and config files.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The web app runs in browsers (its tsconfig.app.json keeps Node's globals out of src/).
    files: ['services/web/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Command-line entry points talk to a human on stdout.
    files: ['**/src/bin/**', '**/scripts/**', '**/*.config.*'],
    rules: { 'no-console': 'off' },
  },
);
