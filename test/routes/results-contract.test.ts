import t from 'tap'
import { Value } from 'typebox/value'
import { buildTestApp } from '../helpers/app.js'
import { response } from '../helpers/collecting.js'
import { admin, approvalInput, campaignInput, seedProvince } from '../helpers/province.js'
import {
  Computation,
  PublicationDocument,
  PublicationInfo,
  PublishedUnit,
  SeriesPoint
} from '../../src/schemas/results.js'

/** Answers 1–5 (and some "no answer", 0) that differ by unit and record, so every figure differs. */
const answersFor = (unit: number, i: number) =>
  Object.fromEntries(
    Object.keys(response('x').answers).map((code, k) => {
      const x = (i * 7 + k * 3 + unit * 5) % 10
      return [code, x < 1 ? 0 : x < 2 ? 2 : x < 3 + unit ? 3 : x < 7 ? 4 : 5]
    })
  )

t.test("what portals read is what the computation stored: fastify's serialiser drops nothing", async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const input = campaignInput(ids, {
    sampled: false,
    channels: ['interview', 'kiosk'],
    parRule: { kind: 'linear', maxPoints: 38 }
  })
  const campaign = (await app.inject({ method: 'POST', url: '/v1/campaigns', headers: admin, payload: input })).json()
  const url = `/v1/campaigns/${campaign.id}`
  const move = (to: string) =>
    app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to } })
  t.equal((await move('collecting')).statusCode, 200)
  const units = ['08500', '08501', '08502']
  const records = Array.from({ length: 90 }, (_, i) =>
    response(campaign.id, { unit: units[i % 3], answers: answersFor(i % 3, i), externalId: `C-${i}` })
  )
  const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
  t.equal(posted.json().accepted, 90, posted.body)
  t.equal((await move('closed')).statusCode, 200)

  const computed = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
  t.equal(computed.statusCode, 201, computed.body)
  const computation = computed.json()
  t.ok(Value.Check(Computation, computation), 'the computation matches its schema')
  const drafted = await app.inject({
    method: 'POST',
    url: `${url}/publications`,
    headers: admin,
    payload: { computationId: computation.id }
  })
  t.equal(drafted.statusCode, 201, drafted.body)
  t.ok(Value.Check(PublicationInfo, drafted.json()), 'the draft matches its schema')
  const approved = await app.inject({
    method: 'POST',
    url: `${url}/publications/${drafted.json().id}/approval`,
    headers: admin,
    payload: approvalInput()
  })
  t.equal(approved.statusCode, 201, approved.body)
  t.ok(Value.Check(PublicationInfo, approved.json()), 'the approved publication matches its schema')
  const publicationId = approved.json().id

  // The publication is sent as stored (no serialiser): the reference the serialised reads are held to.
  const document = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).json()
  t.ok(Value.Check(PublicationDocument, document), [...Value.Errors(PublicationDocument, document)].join('; '))
  // What the draft adds to the computation: the change of each unit against last year, and what it compares with.
  const { publication, comparedWith, ...frozen } = document
  t.same(comparedWith, { year: 2025, source: 'none', publicationId: null }, 'nothing to compare with in 2025')
  const withoutChange = ({ change: _change, ...u }: { change?: unknown }) => u
  const stored = { ...frozen, province: withoutChange(frozen.province), units: frozen.units.map(withoutChange) }
  t.equal(publication.id, publicationId)
  t.ok(
    stored.units.some((u: { parPoints: number | null }) => u.parPoints !== null),
    'PAR points are published'
  )

  const read = (
    await app.inject({ method: 'GET', url: `${url}/computations/${computation.id}`, headers: admin })
  ).json()
  t.same(read.results, stored, 'the serialised computation keeps every field of the stored results')
  t.strictSame(computation.results, stored, 'so does the 201 answer')

  for (const unit of [stored.province, ...stored.units]) {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/public/publications/${publicationId}/units/${unit.unitId}`
    })
    const body = res.json()
    t.ok(Value.Check(PublishedUnit, body), `unit ${unit.code} matches PublishedUnit`)
    const { units: children, campaign: c, ...own } = body
    t.strictSame(own, unit, `unit ${unit.code}: the body deep-equals the stored result`)
    t.strictSame(c, stored.campaign)
    if (unit === stored.province) t.equal(children.length, stored.units.length, "the province lists its units'")
  }

  const series = await app.inject({ method: 'GET', url: `/v1/public/units/${stored.units[0].unitId}/series` })
  const [point] = series.json()
  t.ok(Value.Check(SeriesPoint, point))
  t.strictSame(point.overall, stored.units[0].overall, "the series keeps the unit's overall figure whole")
})
