import { writeFile } from 'node:fs/promises'
import { generateClientTypes, generateOpenApi } from './openapi-document.js'

const document = await generateOpenApi()
for (const [file, text] of [
  ['openapi.json', document],
  ['sipas.ts', await generateClientTypes(document)]
]) {
  const target = new URL(`../openapi/${file}`, import.meta.url)
  await writeFile(target, text)
  console.log(`wrote ${target.pathname}`)
}
