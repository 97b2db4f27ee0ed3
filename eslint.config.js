import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noElectron = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: 'Only src/main and src/preload may import electron (ARCHITECTURE.md).' }],
      patterns: [{ group: ['electron/*'], message: 'Only src/main and src/preload may import electron.' }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'drizzle/**', 'tests/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...noElectron,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/main/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.api.' }],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node: use the Api contract.' },
            { group: ['**/core/**', '**/server/**', '**/main/**'], message: 'The renderer depends only on src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared is the contract: no node, dom or electron.' }],
          patterns: [{ group: ['node:*', '**/core/**', 'react'], message: 'src/shared is the contract: no node, dom or electron.' }],
        },
      ],
    },
  },
  {
    files: ['bin/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
