import fp from 'fastify-plugin'

/** CSV and NDJSON bodies arrive as text; routes that take them parse and validate them row by row. */
export default fp(async function contentTypes (app) {
  for (const type of ['text/csv', 'application/x-ndjson']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  }
}, { name: 'content-types' })
