import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler'

/**
 * Fastify's response serializers (fast-json-stringify, as by default), each compiled once per process.
 * Compiling this API's takes about 0.35 s of an app's start (with the Ajv validators fast-json-stringify
 * makes for `anyOf`), and a process that builds several apps (a test file builds three to five) would
 * compile the same schemas against the same shared schemas again. A serializer is a function of its schema,
 * the shared schemas and the options alone, so the key is their text.
 */
const compiled = new Map<string, Serializer>()
const selector = SerializerSelector()

export const cachedSerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = selector(externalSchemas, options)
  const shared = JSON.stringify([externalSchemas, options])
  return (route) => {
    const key = `${shared}\u0000${JSON.stringify(route.schema)}`
    let serializer = compiled.get(key)
    if (serializer === undefined) compiled.set(key, (serializer = compile(route)))
    return serializer
  }
}
