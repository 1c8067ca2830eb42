import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler'

/**
 * Fastify's schema compilers, as by default, each schema compiled once per process. Compiling this API's
 * response serializers takes about 0.35 s of an app's start (with the Ajv validators fast-json-stringify makes
 * for `anyOf`) and its request validators about 0.1 s, and a process that builds several apps (a test file
 * builds three to five) would compile the same schemas against the same shared schemas again.
 */

/**
 * The request validators: @fastify/ajv-compiler keeps one Ajv per set of shared schemas and options, which
 * keeps what it compiled; made once here rather than once per app. (A compiler given this way makes fastify
 * leave header schemas' names as written; no route of this API validates headers: test/openapi.test.ts.)
 */
export const sharedValidators = AjvCompiler()

/**
 * The response serializers: a serializer is a function of its schema, the shared schemas and the options alone,
 * so they are kept by the text of the latter two, then by that of the schema (the shared schemas' text, 80 KB,
 * once rather than in every key).
 */
const compiled = new Map<string, Map<string, Serializer>>()
const selector = SerializerSelector()

export const cachedSerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = selector(externalSchemas, options)
  const shared = JSON.stringify([externalSchemas, options])
  let serializers = compiled.get(shared)
  if (serializers === undefined) compiled.set(shared, (serializers = new Map()))
  return (route) => {
    const key = JSON.stringify(route.schema)
    let serializer = serializers.get(key)
    if (serializer === undefined) serializers.set(key, (serializer = compile(route)))
    return serializer
  }
}
