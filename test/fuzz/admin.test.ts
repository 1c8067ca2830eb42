import t from 'tap'
import { assertServiceIntact, fuzzEveryOperation, fuzzSetup } from '../helpers/fuzz-run.js'

t.test("every route, fuzzed with the administrator's key: no 5xx, the service stays up", async (t) => {
  const setup = await fuzzSetup(t)
  await fuzzEveryOperation(t, setup, ['admin'], 1000)
  await assertServiceIntact(t, setup)
})
