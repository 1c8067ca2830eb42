// ESLint: typescript-eslint's recommended rules; layout is Prettier's (.prettierrc.json), checked by `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.bench-build/',
      '.test-build/',
      'coverage/',
      '.tap/',
      'node_modules/',
      'tap-snapshots/',
      'openapi/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS configuration files (dependency-cruiser) run in Node with its globals.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } }
  },
  {
    // Tests, benchmarks and scripts read JSON answers whose shape the assertions check; `any` stays there.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }
      ]
    }
  }
)
