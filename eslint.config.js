import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': 'off',
    },
  },
  {
    // The framework-free core must stay deterministic and free of React/DOM, so replays match.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'requestAnimationFrame'],
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', '@react-three/*', '@react-three/**'] }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG from core/time/rng.ts.' },
        { object: 'Date', property: 'now', message: 'Use the injected clock.' },
        { object: 'performance', property: 'now', message: 'Use the injected clock.' },
      ],
    },
  },
)
