import t from 'tap'
import { cachedSerializers, sharedValidators } from '../../src/plugins/schema-compilers.js'

// Schemas compiled once per process: a second app's serializers and validators are the first's, unless what
// they are made from differs.

const route = (schema: unknown) => ({ method: 'GET', url: '/x', httpStatus: '200', schema })
const Point = { $id: 'Point', type: 'object', properties: { x: { type: 'number' } } }
const schema = { type: 'object', properties: { at: { $ref: 'Point#' }, name: { type: 'string' } } }

t.test(
  'the same schema against the same shared schemas: one serializer, as fast-json-stringify makes it',
  async (t) => {
    const first = cachedSerializers({ Point }, {})(route(schema))
    const second = cachedSerializers({ Point: structuredClone(Point) }, {})(route(structuredClone(schema)))
    t.equal(second, first, 'compiled once')
    t.equal(first({ at: { x: 1.5, y: 2 }, name: 'Hà Nội', extra: true }), '{"at":{"x":1.5},"name":"Hà Nội"}')
  }
)

t.test('another schema, shared schema or option: another serializer', async (t) => {
  const first = cachedSerializers({ Point }, {})(route(schema))
  const otherShared = { ...Point, properties: { x: { type: 'string' } } }
  t.not(cachedSerializers({ Point: otherShared }, {})(route(schema)), first, 'shared schemas differ')
  t.equal(cachedSerializers({ Point: otherShared }, {})(route(schema))({ at: { x: 1 } }), '{"at":{"x":"1"}}')
  const renamed = { ...schema, properties: { ...schema.properties, title: { type: 'string' } } }
  t.not(cachedSerializers({ Point }, {})(route(renamed)), first, 'the schema differs')
  t.not(cachedSerializers({ Point }, { rounding: 'floor' })(route(schema)), first, 'the options differ')
})

t.test('request validators: one Ajv per shared schemas and options, each schema compiled once', async (t) => {
  const options = { customOptions: { allErrors: true, coerceTypes: 'array' as const } }
  const body = { type: 'object', properties: { at: { $ref: 'Point#' } }, required: ['at'] }
  const compile = sharedValidators({ Point }, options)
  const validate = compile({ schema: body, method: 'POST', url: '/x', httpPart: 'body' })
  const again = sharedValidators({ Point: structuredClone(Point) }, structuredClone(options))
  t.equal(again({ schema: body, method: 'POST', url: '/y', httpPart: 'body' }), validate, 'compiled once')
  t.equal(validate({ at: { x: '1.5' } }), true, 'valid (coerced) with the shared schema')
  t.equal(validate({}), false, 'invalid without what it requires')
  const other = sharedValidators({ Point }, { customOptions: { allErrors: false } })
  t.not(other({ schema: body, method: 'POST', url: '/x', httpPart: 'body' }), validate, 'other options: another')
})
