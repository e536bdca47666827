import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// Layers, lowest first: a file may import its own layer and the ones below it, never one above
// (src/tools/import-graph.mjs prints the graph; `npm run import-graph`). The folders outside the stack
// (bench, tools, e2e, server) may import any layer and no layer imports them, except a unit test using a
// generator or a server as a fixture.
const LAYERS = ['core', 'runtime', 'scene', 'experiences', 'shell']
const OUTSIDE = ['bench', 'tools', 'e2e', 'server']
const LAYER_MESSAGE = 'Layers import downwards only: core <- runtime <- scene <- experiences <- shell (see src/README.md).'

/** Relative specifiers reaching `folders` at the top of src (any number of `../`, then the folder). */
const reaching = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`

/** Folders a file of `layer` must not import: every higher layer, and the outside folders unless a test. */
function forbiddenFor(layer, test) {
  return [...LAYERS.slice(LAYERS.indexOf(layer) + 1), ...(test ? [] : OUTSIDE)]
}

// Runtime services render nothing: React and R3F start at the scene. (@react-three/xr's store factory is allowed: the
// XR store is created once at boot, its React components come from scene/xr/input-visuals.tsx.)
const NO_REACT = { group: ['react', 'react-dom', 'react-dom/*', '@react-three/fiber'], message: 'React and R3F start at the scene layer.' }

/** `no-restricted-imports` patterns of a layer (static imports and re-exports, type-only ones too). */
function layerPatterns(layer, test) {
  const folders = forbiddenFor(layer, test)
  return [...(folders.length ? [{ regex: reaching(folders), message: LAYER_MESSAGE }] : []), ...(layer === 'runtime' && !test ? [NO_REACT] : [])]
}

/** The same for `import()` (also in type positions) and `declare module` augmentation, which that rule skips. */
function layerSyntax(layer, test) {
  const folders = forbiddenFor(layer, test)
  if (!folders.length) return []
  const re = `/${reaching(folders).replaceAll('/', '\\/')}/`
  return [
    { selector: `ImportExpression[source.value=${re}]`, message: LAYER_MESSAGE },
    { selector: `TSImportType[source.value=${re}]`, message: LAYER_MESSAGE },
    { selector: `TSModuleDeclaration[id.value=${re}]`, message: LAYER_MESSAGE },
  ]
}

/** One config block per layer and kind of file (source, unit test). */
function layerRules() {
  return LAYERS.flatMap((layer) =>
    [false, true].map((test) => ({
      files: test ? [`src/${layer}/**/*.test.{ts,tsx}`] : [`src/${layer}/**/*.{ts,tsx,mjs}`],
      ...(test ? {} : { ignores: [`src/${layer}/**/*.test.{ts,tsx}`] }),
      rules: {
        'no-restricted-imports': ['error', { patterns: layerPatterns(layer, test) }],
        'no-restricted-syntax': ['error', ...layerSyntax(layer, test)],
      },
    })),
  )
}

export default tseslint.config(
  { ignores: ['dist/**', 'dist-server/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
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
  ...layerRules(),
  {
    // Snapshot sections are typed by their owners (SnapshotSections in core/diagnostics): specs and
    // generators read them as they are, so a changed shape fails the typecheck instead of a test run.
    files: ['src/e2e/**/*.ts', 'src/tools/**/*.ts', 'src/bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > MemberExpression.expression[property.name=/^(avatar|replay|recorder|tianhe|tasks|mascot|broadcast)$/]',
          message: 'Snapshot sections are typed by their owners: read them without a cast (declare a missing field in the owner\'s SnapshotSections entry).',
        },
      ],
    },
  },
  {
    // The framework-free core must stay deterministic and free of React/DOM, so replays match.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'requestAnimationFrame'],
      'no-restricted-imports': ['error', { patterns: [...layerPatterns('core', false), { group: ['react', 'react-dom', '@react-three/*', '@react-three/**'] }] }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded RNG from core/time/rng.ts.' },
        { object: 'Date', property: 'now', message: 'Use the injected clock.' },
        { object: 'performance', property: 'now', message: 'Use the injected clock.' },
      ],
    },
  },
)
