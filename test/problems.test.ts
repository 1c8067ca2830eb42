import t from 'tap'
import { buildTestApp } from './helpers/app.js'
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
  const missing = await app.inject({ method: 'GET', url: '/problems/no-such-thing' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().type, '/problems/not-found')
})
