import t from 'tap'
import { outOfScope } from '../helpers/fuzz-world.js'
import { assertServiceIntact, fuzzEveryOperation, fuzzSetup } from '../helpers/fuzz-run.js'

t.test(
  'every route, fuzzed with a client key, a wrong key and no key: no 5xx, nothing outside the scope changes',
  async (t) => {
    const setup = await fuzzSetup(t)
    const { app, world } = setup
    const scope = world.client.units as string[]
    const before = await outOfScope(app, world.campaign, scope)
    await fuzzEveryOperation(t, setup, ['client', 'none', 'garbage'], 0)
    t.same(await outOfScope(app, world.campaign, scope), before, "nothing outside the key's scope changed")
    await assertServiceIntact(t, setup)
  }
)
