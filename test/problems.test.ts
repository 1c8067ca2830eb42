import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { buildTestApp } from './helpers/app.js'
import { repoPath } from './helpers/paths.js'
import { PROBLEMS } from '../src/problems.js'

t.test('every problem type is documented at its own URI', async (t) => {
  const { app } = await buildTestApp(t)
  const list = (await app.inject({ method: 'GET', url: '/problems' })).json()
  t.equal(list.length, Object.keys(PROBLEMS).length)
  for (const entry of list) {
    const res = await app.inject({ method: 'GET', url: entry.type })
    t.equal(res.statusCode, 200, entry.type)
    t.same(res.json(), entry)
  }
  for (const [slug, entry] of Object.entries(PROBLEMS))
    t.match(entry.titleVi, /[àáâãèéêìíòóôõùúýăđĩũơưạ-ỹ]/i, `${slug}: a Vietnamese title, with its diacritics`)
  const missing = await app.inject({ method: 'GET', url: '/problems/no-such-thing' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().type, '/problems/not-found')
})

/**
 * The catalogue cannot rot: every `new Problem('<slug>'` in src names an entry, and every entry is thrown or
 * answered somewhere. A slug passed through a variable or a map (the framework errors of plugins/errors.ts, a
 * response's refusal) is typed `ProblemSlug`, so tsc already refuses one outside the catalogue; here such a
 * slug counts as used where its quoted literal appears. The catalogue itself and the OpenAPI operations map,
 * which only document slugs, do not count.
 */
t.test('the catalogue matches what the code throws', async (t) => {
  const root = repoPath('src/')
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ path: relative(root, join(root, f)), text: readFileSync(join(root, f), 'utf8') }))
  const slugs = new Set(Object.keys(PROBLEMS))

  for (const { path, text } of files)
    for (const [, slug] of text.matchAll(/new Problem\(\s*'([^']*)'/g))
      t.ok(slugs.has(slug), `${path} throws '${slug}', which the catalogue lacks`)

  const users = files.filter((f) => f.path !== 'problems.ts' && f.path !== join('schemas', 'operations.ts'))
  for (const slug of slugs)
    t.ok(
      users.some((f) => f.text.includes(`'${slug}'`)),
      `nothing in src throws or answers '${slug}': drop it from the catalogue, or use it`
    )
})
