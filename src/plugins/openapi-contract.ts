import { PROBLEMS, type ProblemSlug } from '../problems.js'
import { OPERATIONS } from '../schemas/operations.js'
import { NAMED_SCHEMAS } from '../schemas/results.js'

/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is plain JSON, walked generically */
type Json = any

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** One response component per problem status, named after its first problem type (InvalidRequest, …). */
const problemStatuses = () => {
  const byStatus = new Map<number, ProblemSlug[]>()
  for (const slug of Object.keys(PROBLEMS) as ProblemSlug[])
    byStatus.set(PROBLEMS[slug].status, [...(byStatus.get(PROBLEMS[slug].status) ?? []), slug])
  return new Map(
    [...byStatus].map(([status, slugs]) => [
      status,
      { name: slugs[0].replace(/(^|-)(\w)/g, (_, _dash, c: string) => c.toUpperCase()), slugs }
    ])
  )
}

const PROBLEM_EXAMPLE = {
  type: '/problems/invalid-request',
  title: PROBLEMS['invalid-request'].title,
  status: 400,
  detail: 'The body is not valid.',
  instance: '/v1/responses',
  requestId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
  errors: [{ in: 'body', pointer: '/answers/F1.1', detail: 'must be <= 5' }]
}

/**
 * The statuses an operation answers besides success: invalid input where it takes any, authentication where
 * it needs a key, not found where its path names a resource, body limits where it takes a body, its domain's
 * refusals, and for all the rate limit and the service's failures.
 */
function problemsOf(path: string, operation: Json, refusals: ProblemSlug[]): ProblemSlug[] {
  const slugs: ProblemSlug[] = []
  if (operation.parameters?.length || operation.requestBody) slugs.push('invalid-request')
  if (operation.security?.length) slugs.push('unauthorized', 'forbidden')
  if (path.includes('{')) slugs.push('not-found')
  if (operation.requestBody) slugs.push('body-too-large', 'unsupported-media-type')
  slugs.push(...refusals, 'too-many-requests', 'internal', 'service-unavailable')
  return slugs
}

/** Calls `visit` on every object of the document, parents first. */
function walk(node: Json, visit: (node: Json) => void): void {
  if (node === null || typeof node !== 'object') return
  visit(node)
  for (const child of Array.isArray(node) ? node : Object.values(node)) walk(child, visit)
}

/** A field with a default may be left out: the service fills it in. */
function defaultsNotRequired(doc: Json): void {
  walk(doc, (node) => {
    if (Array.isArray(node.required) && node.properties) {
      node.required = node.required.filter((name: string) => node.properties[name]?.default === undefined)
      if (node.required.length === 0) delete node.required
    }
    if (node.in && node.in !== 'path' && node.schema?.default !== undefined) node.required = false
  })
}

/**
 * Replaces each other occurrence of a named shape (added as a schema by the openapi plugin, so the document
 * has it as a component in its own dialect) by a reference to the component: clients get one type for it.
 */
function nameSharedSchemas(doc: Json): void {
  for (const name of Object.keys(NAMED_SCHEMAS)) {
    const component = doc.components.schemas[name]
    const text = JSON.stringify(component)
    walk(doc, (node) => {
      for (const [key, child] of Object.entries<Json>(node))
        if (child !== component && child !== null && typeof child === 'object' && JSON.stringify(child) === text)
          node[key] = { $ref: `#/components/schemas/${name}` }
    })
  }
}

/** Components that routes embed rather than refer to (added for validation) would be noise in the document. */
function dropUnusedSchemas(doc: Json): void {
  for (;;) {
    const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: undefined } })
    const schemas = Object.entries<Json>(doc.components.schemas)
    const used = (name: string) =>
      text.includes(`"#/components/schemas/${name}"`) ||
      schemas.some(
        ([other, schema]) => other !== name && JSON.stringify(schema).includes(`"#/components/schemas/${name}"`)
      )
    const unused = schemas.filter(([name]) => !used(name))
    if (unused.length === 0) return
    for (const [name] of unused) delete doc.components.schemas[name]
  }
}

/**
 * The document integrators build from, completed from the operations map (schemas/operations.ts): operation
 * ids, descriptions, examples, every status an operation answers with the problem schema, explicit public
 * security, servers. Applied by @fastify/swagger's transformObject, out of the route files.
 */
export function contractDocument(document: { openapiObject: Json } | { swaggerObject: Json }): Json {
  if (!('openapiObject' in document)) return document.swaggerObject
  const doc = document.openapiObject
  const statuses = problemStatuses()
  // Each province deploys its own instance: the document is relative to the host that serves it.
  doc.servers = [{ url: '/', description: 'The instance serving this document' }]
  const used = new Set<number>()
  const responses = Object.fromEntries(
    [...statuses].map(([status, { name, slugs }]) => [
      name,
      {
        description: slugs.map((s) => `\`${s}\`: ${PROBLEMS[s].title}.`).join(' '),
        headers: {
          'Content-Language': {
            description: 'The language of `title` and `detail`: vi when Accept-Language prefers it, else en',
            schema: { type: 'string', enum: ['en', 'vi'] }
          }
        },
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/Problem' },
            ...(status === 400
              ? { examples: { invalid: { summary: 'A field out of range', value: PROBLEM_EXAMPLE } } }
              : {})
          }
        }
      }
    ])
  )
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      const contract = OPERATIONS[`${method.toUpperCase()} ${path}`]
      if (contract) {
        operation.operationId = contract.operationId
        operation.description ??= contract.description
        for (const [type, examples] of Object.entries(contract.requestExamples ?? {})) {
          const media = operation.requestBody?.content?.[type]
          if (media) media.examples = examples
        }
      }
      operation.security ??= []
      for (const [code, response] of Object.entries<Json>(operation.responses)) {
        if (!code.startsWith('2')) continue
        const documented = contract?.responses?.[Number(code)]
        if (documented) response.description = documented.description
        for (const [type, media] of Object.entries<Json>(response.content ?? {})) {
          if (type !== 'application/json' || !documented?.examples) continue
          delete media.example
          media.examples = documented.examples
        }
      }
      if (path.startsWith('/v1/public/') && method === 'get')
        operation.responses['304'] = { description: 'Not modified: the If-None-Match tag is still current' }
      for (const slug of problemsOf(path, operation, contract?.refusals ?? [])) {
        const { status } = PROBLEMS[slug]
        used.add(status)
        operation.responses[status] = { $ref: `#/components/responses/${statuses.get(status)!.name}` }
      }
      // Every refusal is a problem: the statuses above replace the ranges.
      delete operation.responses['4XX']
      delete operation.responses['5XX']
    }
  }
  doc.components.responses = Object.fromEntries(
    [...statuses].filter(([status]) => used.has(status)).map(([, { name }]) => [name, responses[name]])
  )
  defaultsNotRequired(doc)
  nameSharedSchemas(doc)
  dropUnusedSchemas(doc)
  return doc
}
