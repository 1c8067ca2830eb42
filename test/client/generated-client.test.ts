import t from 'tap'
import createClient from 'openapi-fetch'
import type { components, paths } from '../../openapi/sipas.js'
import { buildTestApp, TEST_ADMIN_KEY } from '../helpers/app.js'
import { response } from '../helpers/collecting.js'
import { approvalInput, campaignInput, seedProvince } from '../helpers/province.js'

type Figure = components['schemas']['Figure']
type CampaignInput = paths['/v1/campaigns']['post']['requestBody']['content']['application/json']

/**
 * An integrator's view: a client typed only by the generated openapi/sipas.ts drives a campaign over HTTP.
 * The file is type-checked (npm run typecheck): a figure typed `unknown`, or a field the document lost,
 * breaks the build before it breaks a portal.
 */
t.test('a client generated from the document drives a campaign and reads its figures', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const client = createClient<paths>({ baseUrl: address, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } })

  const created = await client.POST('/v1/campaigns', {
    body: campaignInput(ids, { sampled: false, channels: ['interview', 'kiosk'] }) as CampaignInput
  })
  t.equal(created.response.status, 201, JSON.stringify(created.error))
  const campaignId = created.data!.id
  const moved = await client.POST('/v1/campaigns/{id}/transitions', {
    params: { path: { id: campaignId } },
    body: { to: 'collecting' }
  })
  t.equal(moved.data?.status, 'collecting')

  const one = await client.POST('/v1/responses', {
    body: response(campaignId, { externalId: 'client-1' }) as components['schemas']['ResponseInput']
  })
  t.equal(one.response.status, 201)
  t.equal(one.data?.status, 'accepted')
  const again = await client.POST('/v1/responses', {
    body: response(campaignId, { externalId: 'client-1' }) as components['schemas']['ResponseInput']
  })
  t.equal(again.data?.status, 'duplicate', 'a retry answers 200 duplicate')
  const batch = await client.POST('/v1/responses/batch', {
    body: ['08500', '08501', '08502', '08501'].map(
      (unit, i) => response(campaignId, { unit, externalId: `client-b${i}` }) as components['schemas']['ResponseInput']
    )
  })
  t.equal(batch.data?.accepted, 4)

  t.equal(
    (
      await client.POST('/v1/campaigns/{id}/transitions', {
        params: { path: { id: campaignId } },
        body: { to: 'closed' }
      })
    ).data?.status,
    'closed'
  )
  const computation = await client.POST('/v1/campaigns/{id}/computations', {
    params: { path: { id: campaignId }, query: { mode: 'wait' } }
  })
  t.equal(computation.response.status, 201)
  const results = computation.data!.results!
  t.equal(results.responses, 5)
  const draft = await client.POST('/v1/campaigns/{id}/publications', {
    params: { path: { id: campaignId } },
    body: { computationId: computation.data!.id }
  })
  t.equal(draft.data?.status, 'draft')
  const published = await client.POST('/v1/campaigns/{id}/publications/{publicationId}/approval', {
    params: { path: { id: campaignId, publicationId: draft.data!.id } },
    body: approvalInput()
  })
  t.equal(published.data?.version, 1)
  t.equal(published.data?.approval?.decisionNumber, '1234/QĐ-UBND')
  const publicationId = published.data!.id

  // The public reads, without a key.
  const portal = createClient<paths>({ baseUrl: address })
  const list = await portal.GET('/v1/public/publications', { params: { query: { year: 2026 } } })
  t.match(list.data, [{ id: publicationId, campaignId }])
  const publication = await portal.GET('/v1/public/publications/{id}', { params: { path: { id: publicationId } } })
  // JSON or CSV by ?format: the client narrows to the JSON document.
  if (typeof publication.data !== 'object') throw new Error(`not JSON: ${publication.response.status}`)
  const province: Figure | null = publication.data.province.overall
  t.equal(province?.n, results.province.overall?.n)
  t.equal(publication.data.publication.id, publicationId)
  const commune = results.units.find((u) => u.code === '08501')!
  const unit = await portal.GET('/v1/public/publications/{id}/units/{unitId}', {
    params: { path: { id: publicationId, unitId: commune.unitId } }
  })
  const overall: Figure | null = unit.data!.overall
  t.equal(overall?.estimate, commune.overall?.estimate)
  t.ok(overall!.estimate! > 0 && overall!.estimate! <= 100, 'a percentage')
  t.same(unit.data!.factors, commune.factors)
  const series = await portal.GET('/v1/public/units/{unitId}/series', { params: { path: { unitId: commune.unitId } } })
  t.equal(series.data![0].overall?.estimate, commune.overall?.estimate)
  const missing = await portal.GET('/v1/public/publications/{id}/units/{unitId}', {
    params: { path: { id: publicationId, unitId: ids.other } }
  })
  t.equal(missing.response.status, 404)
  t.equal(missing.error?.type, '/problems/not-found', 'the error is typed as a problem')
})
