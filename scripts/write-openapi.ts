import { writeFile } from 'node:fs/promises'
import { generateOpenApi } from './openapi-document.js'

const target = new URL('../openapi/openapi.json', import.meta.url)
await writeFile(target, await generateOpenApi())
console.log(`wrote ${target.pathname}`)
