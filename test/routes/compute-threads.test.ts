import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { configureComputePool } from '../../src/domain/compute-pool.js'

t.test(
  'a campaign computed on a compute thread (COMPUTE_OFF_THREAD_FROM=0) gets the figures of the event loop',
  async (t) => {
    const { app } = await buildTestApp(t, { computeOffThreadFrom: 0, computeThreads: 1 })
    const { campaign } = await collectingCampaign(app)
    const url = `/v1/campaigns/${campaign}`
    const records = ['08500', '08501', '08502'].flatMap((unit, u) =>
      Array.from({ length: 15 }, (_, i) => response(campaign, { unit, externalId: `T-${u}-${i}` }))
    )
    const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
    t.equal(posted.json().accepted, 45)
    const compute = async () => {
      const computed = await app.inject({ method: 'POST', url: `${url}/computations?mode=wait`, headers: admin })
      t.equal(computed.statusCode, 201, computed.body)
      return computed.json().results
    }
    const onThread = await compute()
    t.equal(onThread.responses, 45)
    configureComputePool({ threads: 1, offThreadFrom: 1_000_000 })
    t.same(await compute(), onThread, 'the same document from the event loop')
  }
)
