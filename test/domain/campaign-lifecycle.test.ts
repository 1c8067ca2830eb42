import t from 'tap'
import {
  operationAllowed,
  statusesAllowing,
  transitionRefusal,
  type CampaignOperation
} from '../../src/domain/campaign-lifecycle.js'
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../src/vocabulary.js'

/** Whether `operation` is allowed in `status`, and whether the answer needed to know about the sample. */
async function ask(operation: CampaignOperation, status: CampaignStatus, drawn: boolean) {
  let asked = false
  const allowed = await operationAllowed(operation, status, async () => {
    asked = true
    return drawn
  })
  return { allowed, asked }
}

t.test(
  'the sample design changes before the draw, in draft or sampling; the frame also while collecting or closed',
  async (t) => {
    for (const operation of ['change-frame', 'design-sample'] as const) {
      for (const status of CAMPAIGN_STATUSES) {
        const before = await ask(operation, status, false)
        const after = await ask(operation, status, true)
        const open =
          status === 'draft' ||
          status === 'sampling' ||
          (operation === 'change-frame' && (status === 'collecting' || status === 'closed'))
        t.equal(before.allowed, open, `${operation} in ${status}, no sample`)
        t.equal(after.allowed, false, `${operation} in ${status}, sample drawn`)
      }
    }
  }
)

t.test('the frame is deleted before the draw, or once the campaign is closed', async (t) => {
  for (const status of CAMPAIGN_STATUSES) {
    t.equal((await ask('delete-frame', status, false)).allowed, true, `${status}, no sample`)
    t.equal(
      (await ask('delete-frame', status, true)).allowed,
      status === 'closed' || status === 'published',
      `${status}, sample drawn`
    )
  }
})

t.test('the sample is looked at only when the answer depends on it', async (t) => {
  t.equal((await ask('delete-frame', 'closed', true)).asked, false, 'closed: always')
  t.equal((await ask('change-frame', 'published', false)).asked, false, 'published: never')
  t.equal((await ask('change-frame', 'sampling', false)).asked, true, 'sampling: before the draw')
})

t.test('one status each for editing, drawing, collecting; publishing once closed', async (t) => {
  t.same(statusesAllowing('edit'), ['draft'])
  t.same(statusesAllowing('change-weighting'), ['draft', 'sampling', 'collecting', 'closed'])
  t.same(statusesAllowing('draw-sample'), ['sampling'])
  t.same(statusesAllowing('collect-responses'), ['collecting'])
  t.same(statusesAllowing('publish'), ['closed', 'published'])
  t.same(statusesAllowing('serve-publicly'), ['published'])
})

t.test('transitions: the lifecycle and the facts it looks at', async (t) => {
  const facts = { sampled: true, scopeSize: 3, sampleDrawn: false, approvedPublication: false }
  t.equal(transitionRefusal('draft', 'sampling', facts), null)
  t.match(transitionRefusal('draft', 'collecting', facts)?.detail, /collects only after its sample is drawn/)
  t.equal(transitionRefusal('draft', 'collecting', { ...facts, sampled: false }), null)
  t.match(transitionRefusal('draft', 'sampling', { ...facts, scopeSize: 0 })?.detail, /no units in scope/)
  t.match(transitionRefusal('sampling', 'collecting', facts)?.detail, /no sample has been drawn/)
  t.equal(transitionRefusal('sampling', 'collecting', { ...facts, sampleDrawn: true }), null)
  t.match(transitionRefusal('sampling', 'draft', { ...facts, sampleDrawn: true })?.detail, /can no longer change/)
  t.equal(transitionRefusal('closed', 'published', facts)?.reason, 'not-approved', 'published only once approved')
  t.equal(transitionRefusal('closed', 'published', { ...facts, approvedPublication: true }), null)
  t.match(transitionRefusal('published', 'closed', facts)?.detail, /published is final/)
  t.match(transitionRefusal('collecting', 'draft', facts)?.detail, /from collecting: closed/)
  // The reason is a code a client can branch on (the `reason` member of a transition-refused problem).
  t.equal(transitionRefusal('collecting', 'draft', facts)?.reason, 'not-a-transition')
  t.equal(transitionRefusal('sampling', 'collecting', facts)?.reason, 'sample-not-drawn')
})
