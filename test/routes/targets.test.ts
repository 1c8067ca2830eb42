import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { response } from '../helpers/collecting.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

t.test(
  "a campaign's targets: the province's own for the year, some for single units, national by default",
  async (t) => {
    const { app } = await buildTestApp(t)
    const ids = await seedProvince(app)
    const create = (overrides: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: admin,
        payload: campaignInput(ids, { sampled: false, channels: ['interview', 'kiosk'], ...overrides })
      })

    t.test('without targets, the national ones of Nghị quyết 76/NQ-CP', async (t) => {
      const campaign = (await create({})).json()
      t.same(
        campaign.targets.map((target: { value: number }) => target.value),
        [0.9, 0.95]
      )
    })

    t.test('a target for a unit outside the campaign is refused, naming it', async (t) => {
      const res = await create({ targets: [{ value: 0.8, units: [ids.communes[0], ids.other] }] })
      t.equal(res.statusCode, 422)
      t.equal(res.json().type, '/problems/campaign-invalid')
      t.same(
        res.json().errors.map((e: { pointer: string }) => e.pointer),
        ['/targets/0/units/1']
      )
      const badValue = await create({ targets: [{ value: 84.01 }] })
      t.equal(badValue.statusCode, 400, 'a percentage where a fraction belongs')
      t.equal(badValue.json().errors[0].pointer, '/targets/0/value')
    })

    t.test('each overall index is judged against the targets that apply to it', async (t) => {
      const [first, second] = ids.communes
      const targets = [
        { value: 0.05, name: 'Kế hoạch của UBND tỉnh' },
        { value: 0.999, name: 'Cam kết của xã', units: [first] }
      ]
      const campaign = (await create({ targets })).json()
      t.same(campaign.targets, targets, 'stored as given')
      const url = `/v1/campaigns/${campaign.id}`
      const moved = await app.inject({
        method: 'POST',
        url: `${url}/transitions`,
        headers: admin,
        payload: { to: 'collecting' }
      })
      t.equal(moved.statusCode, 200, moved.body)
      // Half the respondents satisfied with everything, half with nothing: every overall index is 50%.
      const criteria = STANDARD_INSTRUMENT.items.filter((item) => item.kind === 'criterion').map((item) => item.code)
      const records = Array.from({ length: 60 }, (_, i) =>
        response(campaign.id, {
          unit: ['08500', '08501'][i % 2],
          externalId: `T-${i}`,
          answers: Object.fromEntries(criteria.map((code) => [code, i % 4 < 2 ? 5 : 2]))
        })
      )
      const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
      t.equal(posted.json().accepted, 60)
      const computed = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
      t.equal(computed.statusCode, 201, computed.body)
      const { province, units } = computed.json().results
      t.match(province.targets, [{ target: 0.05, name: 'Kế hoạch của UBND tỉnh', status: 'met' }])
      t.equal(province.targets.length, 1, "a unit's target is not the province's")
      t.equal(province.overall.estimate, 50)
      t.ok(Math.abs(province.targets[0].gap - 0.45) < 1e-12, 'the gap is the estimate less the target')
      const unitOf = (id: string) => units.find((u: { unitId: string }) => u.unitId === id)
      t.same(
        unitOf(first).targets.map((gap: { name: string; status: string }) => [gap.name, gap.status]),
        [
          ['Kế hoạch của UBND tỉnh', 'met'],
          ['Cam kết của xã', 'not-met']
        ],
        "the unit's own target, besides the province's"
      )
      t.same(
        unitOf(second).targets.map((gap: { name: string }) => gap.name),
        ['Kế hoạch của UBND tỉnh'],
        "another unit's target does not apply"
      )
    })
  }
)
