import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { configureComputePool } from '../../src/domain/compute-pool.js'
import { computeCampaign } from '../../src/domain/computation.js'
import { isUnavailable } from '../../src/plugins/errors.js'

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

t.test(
  "on PostgreSQL a large campaign's rows are read by the compute thread, on connections of its own",
  { skip: !process.env.DATABASE_URL && 'PostgreSQL only: the embedded database is one session, the app’s' },
  async (t) => {
    const { app } = await buildTestApp(t, { computeOffThreadFrom: 0, computeThreads: 1 })
    const { campaign } = await collectingCampaign(app)
    const records = ['08500', '08501'].flatMap((unit, u) =>
      Array.from({ length: 12 }, (_, i) => response(campaign, { unit, externalId: `R-${u}-${i}` }))
    )
    await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
    // The app's handle, but its pool refuses the COPY of the rows (the loader takes the pool from `$client`).
    const { db } = app.database
    const noRows = new Proxy(db, {
      get(target, key) {
        if (key === '$client') throw new Error("the rows were read through the app's pool")
        const value = Reflect.get(target, key, target)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    const onThread = await computeCampaign({ db: noRows, databaseUrl: app.database.url }, campaign)
    t.equal(onThread.responses, 24, 'every row read, none through the app')
    const onLoop = await computeCampaign({ db, databaseUrl: null }, campaign)
    t.same(onThread, onLoop, 'the same document as from rows read on the event loop')
    await t.rejects(computeCampaign({ db: noRows, databaseUrl: null }, campaign), /through the app's pool/)
    // A thread that cannot reach the database: an error the service answers with a 503, as on the event loop.
    const away = await computeCampaign({ db, databaseUrl: 'postgres://postgres@127.0.0.1:1/none' }, campaign).catch(
      (error: unknown) => error
    )
    t.ok(isUnavailable(away as Error), `unavailable: ${String(away)}`)
  }
)
