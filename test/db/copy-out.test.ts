import t from 'tap'
import pg from 'pg'
import { CopyOut } from '../../src/db/copy-out.js'

const url = process.env.DATABASE_URL

t.test('COPY … TO STDOUT read off the socket', { skip: url ? false : 'needs DATABASE_URL (PostgreSQL)' }, async (t) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  t.teardown(() => client.end())
  const copy = (text: string, onData: (bytes: Buffer) => void = () => {}) => {
    const query = new CopyOut(text, (buf, start, end) => onData(buf.subarray(start, end)))
    client.query(query)
    return query.done
  }

  t.test('every byte of every row, whatever the chunks, then the client goes on', async (t) => {
    const parts: Buffer[] = []
    await copy("copy (select g, repeat('x', g % 300) from generate_series(1, 100000) g) to stdout", (bytes) =>
      parts.push(Buffer.from(bytes))
    )
    const text = Buffer.concat(parts).toString()
    const lines = text.split('\n')
    t.equal(lines.length, 100001, 'one line per row, then the end')
    t.equal(lines[0], '1\tx')
    t.equal(lines[99999], `100000\t${'x'.repeat(100000 % 300)}`)
    t.equal(parts.length, 100000, 'one message per row')
    t.same((await client.query('select 1 as one')).rows, [{ one: 1 }])
  })

  t.test('an error in the middle of the data rejects, and the client still answers', async (t) => {
    let rows = 0
    await t.rejects(
      copy('copy (select 1 / (50000 - g) from generate_series(1, 100000) g) to stdout', () => {
        rows++
      }),
      /division by zero/
    )
    t.ok(rows < 50000, `${rows} rows before the error`)
    t.same((await client.query('select 2 as two')).rows, [{ two: 2 }])
  })

  t.test('a throw while taking the data rejects once the COPY is over, and the client still answers', async (t) => {
    let calls = 0
    await t.rejects(
      copy('copy (select g from generate_series(1, 50000) g) to stdout', () => {
        calls++
        if (calls === 10) throw new Error('bad row')
      }),
      /bad row/
    )
    t.equal(calls, 10, 'the rest is passed over')
    t.same((await client.query('select 3 as three')).rows, [{ three: 3 }])
  })
})
