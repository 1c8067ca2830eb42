import t from 'tap'
import { storeDraw, type NewSlot } from '../../src/db/queries/sample.js'
import { buildTestApp } from '../helpers/app.js'
import { seededCampaign } from '../helpers/province.js'

t.test('a draw of more slots than one statement holds: every slot stored as drawn, once', async (t) => {
  const { app } = await buildTestApp(t)
  const { ids, campaign } = await seededCampaign(app)
  // Strata and codes an array literal must quote; probabilities and weights whose digits must all survive.
  const strata = ['08500', '08500|online', 'Phường "Tân Dân", \\ {1}', 'NULL']
  const slots: NewSlot[] = Array.from({ length: 23_456 }, (_, i) => {
    const p = 1 / (3 + (i % 97)) + i * 1e-9
    return {
      campaignId: campaign.id,
      recordId: null,
      dossierCode: i % 11 === 0 ? `H48.22-${i}, "đặc biệt"` : `H48.22-${i}`,
      unitId: ids.communes[i % ids.communes.length],
      stratum: strata[i % strata.length],
      role: i % 5 === 0 ? 'reserve' : 'main',
      reserveRank: i % 5 === 0 ? i / 5 + 1 : null,
      inclusionProbability: p,
      baseWeight: 1 / p,
      status: i % 5 === 0 ? 'reserve' : 'pending'
    }
  })
  await storeDraw(app.database.db, campaign.id, slots, 'seed-1')
  const stored = (
    (await app.database.db.execute(
      `select dossier_code, record_id, unit_id, stratum, role, reserve_rank, inclusion_probability, base_weight, status
       from sample_slots where campaign_id = '${campaign.id}'` as never
    )) as unknown as { rows: Array<Record<string, unknown>> }
  ).rows
  t.equal(stored.length, slots.length)
  const drawn = new Map(slots.map((s) => [s.dossierCode, s]))
  const wrong = stored.filter((row) => {
    const s = drawn.get(row.dossier_code as string)
    const expected = [
      null,
      s?.unitId,
      s?.stratum,
      s?.role,
      s?.reserveRank,
      s?.inclusionProbability,
      s?.baseWeight,
      s?.status
    ]
    const actual = [
      row.record_id,
      row.unit_id,
      row.stratum,
      row.role,
      row.reserve_rank,
      row.inclusion_probability,
      row.base_weight,
      row.status
    ]
    return !s || expected.some((v, k) => v !== actual[k])
  })
  t.same(wrong.slice(0, 3), [], `${wrong.length} slots stored otherwise than drawn`)
  const again = await storeDraw(app.database.db, campaign.id, slots.slice(0, 1), 'seed-2').then(
    () => null,
    (error: unknown) => error
  )
  t.match(again, { slug: 'sample-already-drawn' }, 'a second draw is refused')
})
