import { defineConfig } from 'drizzle-kit'

// One schema, one migrations folder: applied to PGlite and to PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations'
})
