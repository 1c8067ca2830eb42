import t from 'tap'
import {
  answerBatch,
  atomicRefusal,
  batchSummary,
  firstOfEachKey,
  type KeptRecord,
  type RecordResult
} from '../../src/domain/response-batch.js'
import type { ValidResponse } from '../../src/domain/response-records.js'

const response = (externalId: string, contentHash: string, campaignId = 'c1'): ValidResponse => ({
  campaignId,
  unitId: 'u1',
  externalId,
  channel: 'interview',
  collectedAt: new Date('2026-10-15T02:00:00Z'),
  procedureCode: null,
  fieldCode: null,
  dossierCode: null,
  slotId: null,
  answers: [4, 5],
  contentHash
})
const kept = (index: number, r: ValidResponse): KeptRecord => ({ index, response: r, countsAs: 'unlinked' })

t.test('a batch stores the first record of each (campaign, external id)', async (t) => {
  const batch = [
    kept(0, response('a', 'h1')),
    kept(1, response('a', 'h1')),
    kept(2, response('a', 'h1', 'c2')),
    kept(3, response('b', 'h2'))
  ]
  t.same(
    firstOfEachKey(batch).map((k) => k.index),
    [0, 2, 3]
  )
})

t.test('a repeat is answered like a replay of the first record', async (t) => {
  const batch = [kept(0, response('a', 'h1')), kept(1, response('a', 'h1')), kept(2, response('a', 'other'))]
  const unique = firstOfEachKey(batch)
  const results: RecordResult[] = []
  answerBatch(batch, unique, [{ status: 'accepted', id: 'r1' }], results)
  t.same(
    results.map((r) => [r.status, r.id]),
    [
      ['accepted', 'r1'],
      ['duplicate', 'r1'],
      ['conflict', 'r1']
    ]
  )
})

t.test('repeats of a conflict conflict; repeats of a rejected record are rejected', async (t) => {
  const batch = [kept(0, response('a', 'h1')), kept(1, response('a', 'h1')), kept(2, response('b', 'h2'))]
  const results: RecordResult[] = []
  answerBatch(
    [...batch, kept(3, response('b', 'h2'))],
    firstOfEachKey(batch),
    [{ status: 'conflict', id: 'old' }, { status: 'not-collecting' }],
    results
  )
  t.same(results[1], { index: 1, externalId: 'a', id: 'old', status: 'conflict', reason: 'external-id-reused' })
  t.equal(results[2].status, 'rejected')
  t.same(results[2].errors, [
    { pointer: '/2/campaignId', detail: 'the campaign is not collecting', problem: 'campaign-not-collecting' }
  ])
  t.same(results[3], { ...results[2], index: 3 }, 'the repeat carries the first record’s errors')
})

t.test('a record for a dossier answered already conflicts, and so do its repeats', async (t) => {
  const batch = [kept(0, response('a', 'h1')), kept(1, response('a', 'h1'))]
  const results: RecordResult[] = []
  answerBatch(batch, firstOfEachKey(batch), [{ status: 'answered', id: 'other' }], results)
  t.same(
    results.map((r) => [r.status, r.reason, r.id]),
    [
      ['conflict', 'already-answered', 'other'],
      ['conflict', 'already-answered', 'other']
    ]
  )
  t.same(batchSummary(results).results[0], {
    index: 0,
    externalId: 'a',
    id: 'other',
    status: 'conflict',
    type: '/problems/already-answered'
  })
})

t.test('all or nothing: refused with every rejected field and every conflict, else allowed', async (t) => {
  const clean: RecordResult[] = [
    { index: 0, externalId: 'a', status: 'accepted', id: 'r1' },
    { index: 1, externalId: 'b', status: 'duplicate', id: 'r0' }
  ]
  t.equal(atomicRefusal(clean), null)
  const refusal = atomicRefusal([
    ...clean,
    { index: 2, externalId: 'c', status: 'conflict', id: 'r9' },
    { index: 3, externalId: 'd', status: 'rejected', errors: [{ pointer: '/3/channel', detail: 'no' }] }
  ])
  t.ok(refusal)
  t.equal(refusal!.slug, 'batch-refused')
  t.same(refusal!.errors, [
    { in: 'body', pointer: '/2/externalId', detail: 'conflicts with response r9' },
    { in: 'body', pointer: '/3/channel', detail: 'no' }
  ])
  t.same(batchSummary([...clean, { index: 2, externalId: 'c', status: 'conflict', id: 'r9' }]).conflict, 1)
})
