import { readFile } from 'node:fs/promises'
import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import { generateOpenApi } from '../scripts/openapi-document.js'

t.test('the committed openapi/openapi.json is what the code generates (run `npm run openapi`)', async (t) => {
  const committed = await readFile(new URL('../openapi/openapi.json', import.meta.url), 'utf8')
  const generated = await generateOpenApi()
  t.same(JSON.parse(committed), JSON.parse(generated))
  t.equal(committed, generated, 'byte for byte')
})

t.test('the document is a valid OpenAPI 3.1 document', async (t) => {
  const spec = JSON.parse(await generateOpenApi())
  const result = await new Validator().validate(spec)
  t.same(result.errors ?? [], [])
  t.ok(result.valid)
  t.equal(spec.openapi, '3.1.0')
})

t.test('every operation documents its problems and has a summary', async (t) => {
  const spec = JSON.parse(await generateOpenApi())
  for (const [path, operations] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, operation] of Object.entries<any>(operations)) {
      t.ok(operation.summary, `${method} ${path} has a summary`)
      t.ok(operation.responses['4XX'], `${method} ${path} documents 4XX`)
      t.equal(
        operation.responses['4XX'].content['application/problem+json'].schema.$ref,
        '#/components/schemas/Problem'
      )
    }
  }
})
