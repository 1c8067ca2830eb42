import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

t.test("security headers on every answer; published results stay readable from portals' origins", async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/healthz', '/v1/units', '/v1/public/publications', '/v1/campaigns', '/nowhere']) {
    const res = await app.inject({ method: 'GET', url, headers: { origin: 'https://congthongtin.phutho.gov.vn' } })
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`)
    t.match(res.headers['content-security-policy'], /default-src 'self'/, `${url}: a strict CSP`)
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${url}: not framed by other sites`)
    t.match(res.headers['strict-transport-security'], /max-age=\d+/, `${url}: HSTS`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${url}: no referrer`)
    t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', `${url}: readable cross-origin`)
  }
  const docs = await app.inject({ method: 'GET', url: '/docs' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-security-policy'], /script-src 'self'/, 'the API explorer has its own policy')
})
