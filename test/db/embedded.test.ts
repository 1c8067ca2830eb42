import { readFile } from 'node:fs/promises'
import t from 'tap'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import { openDatabase, type Database } from '../../src/db/client.js'
import { keptFilesPath } from '../../src/db/embedded-host.js'

// Throw-away embedded databases after a process's first start from a copy of a fresh one's files (the host
// keeps them): each must be as fresh as initdb's, whatever the databases before it hold.

const rows = async <Row>(database: Database, query: SQL) =>
  ((await database.db.execute(query)) as unknown as { rows: Row[] }).rows
const tables = async (database: Database) =>
  (
    await rows<{ name: string }>(
      database,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`
    )
  ).map((row) => row.name)
const keptRows = (database: Database) => rows(database, sql`select count(*)::int as n from kept`)

t.test('a memory database opened after others is empty, and each is its own', async (t) => {
  const open = async () => {
    const database = await openDatabase({ dataDir: 'memory://copy-test' })
    t.teardown(() => database.close())
    return database
  }
  const first = await open()
  await first.db.execute(sql`create table kept (a int)`)
  await first.db.execute(sql`insert into kept values (1)`)
  const second = await open()
  t.same(await tables(second), [], 'the first database’s table is not in the second')
  await second.migrate()
  const status = await second.migrationStatus()
  t.equal(status.applied, status.expected, 'it migrates as a fresh one')
  const third = await open()
  t.same(await tables(third), [], 'nor the second’s migrations in the third')
  await third.db.execute(sql`create table kept (a int)`)
  t.same(await keptRows(third), [{ n: 0 }], 'its own table')
  t.same(await keptRows(first), [{ n: 1 }], 'the first unchanged')
})

t.test('a memory database its app closed is emptied before another app gets it', async (t) => {
  const first = await openDatabase({ dataDir: 'memory://spare-test' })
  await first.migrate()
  await first.db.execute(sql`create table kept (a int)`)
  await first.db.execute(sql`insert into kept values (1)`)
  await first.db.execute(sql`create temporary table scratch (a int)`)
  await first.db.execute(sql`set statement_timeout = 12345`)
  await first.close()
  const second = await openDatabase({ dataDir: 'memory://spare-test' })
  t.teardown(() => second.close())
  t.same(await tables(second), [], 'no table of the first app')
  t.same(
    await rows(second, sql`select count(*)::int as n from pg_class where relpersistence = 't'`),
    [{ n: 0 }],
    'nor its temporary table'
  )
  t.same(await rows(second, sql`show statement_timeout`), [{ statement_timeout: '0' }], 'nor its settings')
  t.equal((await second.migrationStatus()).applied, 0, 'no migration applied')
  await second.migrate()
  const status = await second.migrationStatus()
  t.equal(status.applied, status.expected, 'it migrates as a fresh one')
})

t.test("a fresh database's files are kept on disk for the machine's other processes, and they are fresh", async (t) => {
  const database = await openDatabase({ dataDir: 'memory://kept-test' })
  await database.close()
  const files = new Blob([await readFile(keptFilesPath())])
  const db = await PGlite.create('memory://', { loadDataDir: files })
  t.teardown(() => db.close())
  const user = await db.query<{ n: number }>(
    "select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"
  )
  t.same(user.rows, [{ n: 0 }], 'no table, index or sequence of anyone')
})
