/**
 * The one-way layers (README, "Code layout"): HTTP → domain → database, with pure cores at the bottom.
 * `npm run lint` fails on any import below that goes the wrong way.
 */
module.exports = {
  forbidden: [
    {
      name: 'routes-speak-http-only',
      comment: 'A route authorises, calls a domain service and answers: no SQL, no query builder.',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: ['^src/db/', 'node_modules/drizzle-orm/'] }
    },
    {
      name: 'db-imports-nothing-above-it',
      comment: 'src/db is SQL in, rows out; it may read the scoring core (answer batches leave SQL in its shape).',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(domain|plugins|routes|schemas|app|server|config)' }
    },
    {
      name: 'schemas-are-contracts-only',
      comment: 'Contracts share constants through src/schemas or a neutral module, never through the domain.',
      severity: 'error',
      from: { path: '^src/schemas/' },
      to: { path: '^src/(domain|db|plugins|routes)/' }
    },
    {
      name: 'domain-does-not-speak-http',
      comment: 'The domain knows nothing of routes or of fastify plugins.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: ['^src/(routes|plugins)/', 'node_modules/fastify/'] }
    },
    {
      name: 'pure-cores-import-nothing-of-ours',
      comment: 'src/scoring and src/sampling are pure: they import only themselves and libraries.',
      severity: 'error',
      from: { path: '^src/(scoring|sampling)/' },
      to: { path: '^src/', pathNot: '^src/$1/' }
    },
    {
      name: 'scoring-core-through-its-index',
      comment: 'Outside the core, the scoring core is reached only through src/scoring/index.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/scoring/' },
      to: { path: '^src/scoring/', pathNot: '^src/scoring/index\\.ts$' }
    },
    {
      name: 'no-circular',
      comment: 'A cycle made only of type imports (erased at compile time) does not tie modules at run time.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] }
  }
}
