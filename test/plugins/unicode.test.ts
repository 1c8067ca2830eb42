import { Readable } from 'node:stream'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { nfc, nfcDeep } from '../../src/plugins/unicode.js'

const nfd = (text: string) => text.normalize('NFD')

t.test('nfc and nfcDeep', async (t) => {
  const composed = 'Phường Hoà Bình'
  t.not(nfd(composed), composed, 'the test text really has two forms')
  t.equal(nfc(nfd(composed)), composed)
  t.equal(nfc('ASCII-only 123'), 'ASCII-only 123')
  t.same(nfcDeep({ [nfd('Mã')]: [nfd('Hoà'), 1, null, { x: nfd('ộ') }] }), { Mã: ['Hoà', 1, null, { x: 'ộ' }] })
})

t.test('the same text in NFC and NFD is one key', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, key } = await collectingCampaign(app)
  const count = async () =>
    (
      (await app.database.db.execute('select count(*)::int as n from responses' as never)) as unknown as {
        rows: Array<{ n: number }>
      }
    ).rows[0].n

  t.test('a response posted with its externalId in NFC, then in NFD, is a duplicate', async (t) => {
    const r = response(campaign, { externalId: 'Hồ sơ Hoà Bình số 1' })
    const first = await app.inject({ method: 'POST', url: '/v1/responses', headers: key, payload: r })
    t.equal(first.statusCode, 201, first.body)
    const before = await count()
    const again = await app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: key,
      payload: { ...r, externalId: nfd(r.externalId) }
    })
    t.equal(again.statusCode, 200, again.body)
    t.same(again.json(), { id: first.json().id, status: 'duplicate', countsAs: 'unlinked' })
    t.equal(await count(), before, 'no second response stored')
  })

  t.test('the same in a streamed NDJSON batch, the text cut between chunks inside a character', async (t) => {
    const r = response(campaign, { externalId: 'Nguyễn Thị Hoà' })
    const first = await app.inject({ method: 'POST', url: '/v1/responses', headers: key, payload: r })
    t.equal(first.statusCode, 201, first.body)
    const line = Buffer.from(JSON.stringify({ ...r, externalId: nfd(r.externalId) }) + '\n')
    // One byte at a time: every multi-byte character and every combining mark is split across chunks.
    const chunks = [...line].map((byte) => Buffer.from([byte]))
    const res = await app.inject({
      method: 'POST',
      url: '/v1/responses/batch',
      headers: { ...key, 'content-type': 'application/x-ndjson' },
      payload: Readable.from(chunks)
    })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { accepted: 0, duplicate: 1 })
  })

  t.test('a unit name posted in NFD is stored and returned in NFC, and found in either form', async (t) => {
    const name = 'Sở Văn hoá, Thể thao và Du lịch'
    const res = await app.inject({
      method: 'POST',
      url: '/v1/units',
      headers: admin,
      payload: {
        agencyCode: '000.00.54.H48',
        parentCode: '25',
        level: 'agency',
        name: nfd(name),
        validFrom: '2025-07-01'
      }
    })
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().name, name)
    const [stored] = (
      (await app.database.db.execute(
        `select name from org_units where agency_code = '000.00.54.H48'` as never
      )) as unknown as { rows: Array<{ name: string }> }
    ).rows
    t.equal(stored.name, name, 'stored in NFC')
    for (const q of [name, nfd(name)]) {
      const found = await app.inject({ method: 'GET', url: `/v1/units?q=${encodeURIComponent(q)}` })
      t.ok(
        found.json().some((u: { agencyCode: string }) => u.agencyCode === '000.00.54.H48'),
        `found by its ${q === name ? 'NFC' : 'NFD'} name`
      )
    }
  })
})
