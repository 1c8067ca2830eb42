import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { MIGRATIONS_FOLDER, openDatabase, rows } from '../../src/db/client.js'
import { freshDatabaseConfig } from '../helpers/app.js'

t.test('migration 0015 turns each stored smallint[] into its bytes, 255 for a null, in order', async (t) => {
  const config = await freshDatabaseConfig(t)
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  t.teardown(() => database.close())
  // The migrations before 0015: a copy of the folder whose journal stops at 0014.
  const before = await mkdtemp(join(tmpdir(), 'sipas-migrations-'))
  t.teardown(() => rm(before, { recursive: true, force: true }))
  await cp(MIGRATIONS_FOLDER, before, { recursive: true })
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'))
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 15)
  await writeFile(join(before, 'meta/_journal.json'), JSON.stringify(journal))
  const { db } = database
  await migrate(db as never, { migrationsFolder: before })
  const stored: Record<string, string> = {
    'a full row': '{5,4,NULL,0,250,1}',
    'nothing answered': '{NULL,NULL}',
    'an empty array': '{}'
  }
  for (const [externalId, answers] of Object.entries(stored))
    await db.execute(`insert into responses (id, campaign_id, unit_id, client_id, external_id, content_hash, channel, collected_at, answers)
      values (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'c', '${externalId}', 'h', 'kiosk', now(), '${answers}'::smallint[])`)
  await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER })
  const converted = rows(await db.execute('select external_id, answers from responses order by external_id')) as Array<{
    external_id: string
    answers: Buffer
  }>
  t.same(Object.fromEntries(converted.map((r) => [r.external_id, [...r.answers]])), {
    'a full row': [5, 4, 255, 0, 250, 1],
    'an empty array': [],
    'nothing answered': [255, 255]
  })
  const kept = rows(
    await db.execute("select count(*)::int as n from pg_proc where proname = 'sipas_answer_bytes'")
  ) as Array<{ n: number }>
  t.equal(kept[0].n, 0, 'the conversion function is gone')
})
