import t from 'tap'
import { workerModule } from '../../src/domain/worker-module.js'

t.test("a pool's worker: the compiled .js, or the .ts through the tsx bootstrap", async (t) => {
  t.same(workerModule('share-worker', 'file:///srv/dist/domain/share-pool.js'), {
    filename: 'file:///srv/dist/domain/share-worker.js'
  })
  const fromSources = workerModule('share-worker', 'file:///srv/src/domain/share-pool.ts')
  t.equal(fromSources.workerData?.source, 'file:///srv/src/domain/share-worker.ts')
  t.match(fromSources.filename, /\/worker-sources\.mjs$/)
  // How tsx names a module it loaded in a worker thread (the service run from its sources under tsx).
  t.same(workerModule('share-worker', 'file:///srv/src/domain/share-pool.ts?tsx-namespace=1765000000000').workerData, {
    source: 'file:///srv/src/domain/share-worker.ts'
  })
})
