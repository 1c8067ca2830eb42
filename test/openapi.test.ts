import { readFile } from 'node:fs/promises'
import t, { type Test } from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { generateClientTypes, generateOpenApi } from '../scripts/openapi-document.js'
import { repoPath } from './helpers/paths.js'

// Built once for the file: each build starts the whole app, and five of them overran the timeout on a loaded machine.
const document = generateOpenApi()

t.test('the committed openapi/openapi.json is what the code generates (run `npm run openapi`)', async (t) => {
  const committed = await readFile(repoPath('openapi/openapi.json'), 'utf8')
  const generated = await document
  t.same(JSON.parse(committed), JSON.parse(generated))
  t.equal(committed, generated, 'byte for byte')
  const types = await readFile(repoPath('openapi/sipas.ts'), 'utf8')
  t.equal(types, await generateClientTypes(generated), 'and openapi/sipas.ts is the types generated from it')
})

t.test('no operation takes header parameters: the shared validators would not lower-case their names', async (t) => {
  // schema-compilers.ts hands fastify its own validator compiler, and fastify then leaves a headers schema's
  // property names as written while Node gives the request's headers lower-cased.
  const spec = JSON.parse(await document) as { paths: Record<string, Record<string, { parameters?: unknown }>> }
  const headers = Object.entries(spec.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      ((operation.parameters ?? []) as Array<{ in: string; name: string }>)
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => `${method.toUpperCase()} ${path}: ${parameter.name}`)
    )
  )
  t.same(headers, [])
})

t.test('the document is a valid OpenAPI 3.1 document', async (t) => {
  const spec = JSON.parse(await document)
  const result = await new Validator().validate(spec)
  t.same(result.errors ?? [], [])
  t.ok(result.valid)
  t.equal(spec.openapi, '3.1.0')
})

t.test('every operation has a unique id, a summary, a description and the problems it answers', async (t) => {
  const spec = JSON.parse(await document)
  const ids = new Map<string, string>()
  for (const [path, operations] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, operation] of Object.entries<any>(operations)) {
      const name = `${method.toUpperCase()} ${path}`
      t.match(operation.operationId, /^[a-z][A-Za-z]+$/, `${name} has an operationId`)
      t.notOk(
        ids.has(operation.operationId),
        `${name}: ${operation.operationId} is not also ${ids.get(operation.operationId)}`
      )
      ids.set(operation.operationId, name)
      t.ok(operation.summary, `${name} has a summary`)
      t.ok(operation.description, `${name} has a description`)
      t.ok(Array.isArray(operation.security), `${name} declares its security, [] when public`)
      const codes = Object.keys(operation.responses)
      t.notOk(
        codes.some((c) => /XX$/.test(c)),
        `${name} lists statuses, not ranges`
      )
      for (const code of ['429', '500', '503']) t.ok(codes.includes(code), `${name} answers ${code}`)
      if (operation.security.length > 0) t.ok(codes.includes('401') && codes.includes('403'), `${name}: 401, 403`)
      if (path.includes('{')) t.ok(codes.includes('404'), `${name}: 404`)
      if (operation.requestBody) t.ok(codes.includes('415') && codes.includes('400'), `${name}: 400, 415`)
      for (const [code, response] of Object.entries<any>(operation.responses)) {
        if (code.startsWith('2')) t.not(response.description, 'Default Response', `${name} ${code} says what it is`)
        else if (Number(code) >= 400) t.match(response.$ref, /^#\/components\/responses\//, `${name} ${code}`)
      }
    }
  }
  for (const response of Object.values<any>(spec.components.responses))
    t.equal(response.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem')
})

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
// A CommonJS module: its function is its default export's `default`.
addFormats.default(ajv)

t.test('every request body has examples, and they validate against its schema', async (t) => {
  const spec = JSON.parse(await document)
  ajv.addSchema(spec, 'openapi.json')
  for (const [path, operations] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, operation] of Object.entries<any>(operations)) {
      const name = `${method.toUpperCase()} ${path}`
      for (const [type, media] of Object.entries<any>(operation.requestBody?.content ?? {})) {
        const examples = [
          ...Object.values<any>(media.examples ?? {}).map((e) => e.value),
          ...(media.example === undefined ? [] : [media.example]),
          ...(media.schema.examples ?? []),
          ...(media.schema.$ref ? (resolve(spec, media.schema.$ref).examples ?? []) : [])
        ]
        t.ok(examples.length > 0, `${name} ${type} has an example`)
        for (const example of examples) validates(t, spec, media.schema, example, `${name} ${type} example`)
      }
      for (const [code, response] of Object.entries<any>(operation.responses)) {
        for (const example of Object.values<any>(response.content?.['application/json']?.examples ?? {}))
          validates(t, spec, response.content['application/json'].schema, example.value, `${name} ${code} example`)
      }
    }
  }
})

t.test('no parameter or body field with a default is required', async (t) => {
  const spec = JSON.parse(await document)
  const walk = (node: any, where: string): void => {
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node.required) && node.properties)
      for (const name of node.required) t.equal(node.properties[name]?.default, undefined, `${where}/${name}`)
    if (node.in && node.schema?.default !== undefined) t.not(node.required, true, `${where}: ${node.name}`)
    for (const [key, child] of Object.entries(node)) walk(child, `${where}/${key}`)
  }
  walk(spec.paths, '#/paths')
  walk(spec.components, '#/components')
})

const resolve = (spec: any, ref: string) =>
  ref
    .slice(2)
    .split('/')
    .reduce((node, key) => node[key], spec)

/** Validates against a schema of the document, its references resolved within the document. */
function validates(t: Test, spec: any, schema: unknown, value: unknown, label: string) {
  const rewrite = (node: any): any =>
    node === null || typeof node !== 'object'
      ? node
      : Array.isArray(node)
        ? node.map(rewrite)
        : Object.fromEntries(
            Object.entries(node).map(([k, v]) => [k, k === '$ref' ? `openapi.json${v as string}` : rewrite(v)])
          )
  const valid = ajv.validate(rewrite(schema), value)
  t.ok(valid, `${label}: ${ajv.errorsText(ajv.errors)}`)
}
