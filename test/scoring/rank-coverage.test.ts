// Coverage of the rank sets, by simulation over synthetic provinces whose true values are known: units very
// close together (neighbours 0.01 point apart, SEs of 0.8 to 1.6 points), normal estimates around the true
// values. Near-ties are where ranking is hardest: every difference shown is a false one.
import t from 'tap'
import { rankUnits, type Figure } from '../../src/scoring/rankings.js'
import { normalDraws } from '../../src/scoring/normal-draws.js'

const UNITS = 24
const REPLICATIONS = 500
const LEVEL = 0.95
const truth = Array.from({ length: UNITS }, (_, k) => ({
  id: `u${String(k).padStart(2, '0')}`,
  theta: 0.85 + 0.0001 * k,
  se: 0.008 + (0.008 * (k % 5)) / 4
}))
const trueRank = new Map(truth.map((u) => [u.id, 1 + truth.filter((o) => o.theta > u.theta).length]))
// Three Monte Carlo standard errors of a coverage of exactly LEVEL over the replications.
const slack = 3 * Math.sqrt((LEVEL * (1 - LEVEL)) / REPLICATIONS)

/** One synthetic province per replication, the same on every run. */
function provinces(seed: number): Figure[][] {
  const normal = normalDraws(seed)
  return Array.from({ length: REPLICATIONS }, () =>
    truth.map((u) => ({ id: u.id, estimate: u.theta + u.se * normal(), se: u.se, df: null }))
  )
}

const covers = (r: { id: string; rankInterval: [number, number] }) =>
  r.rankInterval[0] <= trueRank.get(r.id)! && trueRank.get(r.id)! <= r.rankInterval[1]

/** The rank interval rankUnits gave before: pairwise 95% tests of each difference, no multiplicity correction. */
function pairwise(figures: readonly Figure[]) {
  const z = 1.959963984540054
  return figures.map((u) => {
    const shown = (a: Figure, b: Figure) => a.estimate - b.estimate - z * Math.hypot(a.se!, b.se!) > 0
    const above = figures.filter((o) => o !== u && shown(o, u)).length
    const below = figures.filter((o) => o !== u && shown(u, o)).length
    return { id: u.id, rankInterval: [1 + above, figures.length - below] as [number, number] }
  })
}

t.test(
  'rank sets cover the true ranks at the stated level, marginally and jointly; the old intervals do not',
  async (t) => {
    const hits = new Map(truth.map((u) => [u.id, 0]))
    const pairwiseHits = new Map(truth.map((u) => [u.id, 0]))
    let joint = 0
    let marginalJoint = 0
    for (const figures of provinces(1)) {
      const marginal = rankUnits(figures, LEVEL)
      for (const r of marginal) if (covers(r)) hits.set(r.id, hits.get(r.id)! + 1)
      if (marginal.every(covers)) marginalJoint++
      for (const r of pairwise(figures)) if (covers(r)) pairwiseHits.set(r.id, pairwiseHits.get(r.id)! + 1)
      if (rankUnits(figures, LEVEL, undefined, { method: 'simultaneous' }).every(covers)) joint++
    }
    const mean = (m: Map<string, number>) => [...m.values()].reduce((s, h) => s + h, 0) / (UNITS * REPLICATIONS)
    const worst = (m: Map<string, number>) => Math.min(...m.values()) / REPLICATIONS
    t.comment(`coverage of each rank, mean and worst unit: marginal ${mean(hits)}, ${worst(hits)}`)
    t.comment(`pairwise ${mean(pairwiseHits)}, ${worst(pairwiseHits)}`)
    t.comment(`of all ranks at once: simultaneous ${joint / REPLICATIONS}, marginal ${marginalJoint / REPLICATIONS}`)
    t.ok(mean(hits) >= LEVEL, `marginal, averaged over units: ${mean(hits)}`)
    for (const [id, h] of hits) t.ok(h / REPLICATIONS >= LEVEL - slack, `marginal, unit ${id}: ${h / REPLICATIONS}`)
    t.ok(joint / REPLICATIONS >= LEVEL - slack, `simultaneous, all units at once: ${joint / REPLICATIONS}`)
    // The same check fails for the pairwise intervals rankUnits gave before: at the top and the bottom, where
    // a single false difference among the n − 1 tests puts the true rank outside.
    for (const id of [truth[0].id, truth[UNITS - 1].id]) {
      const coverage = pairwiseHits.get(id)! / REPLICATIONS
      t.ok(coverage < LEVEL - slack, `pairwise, unit ${id} (true rank ${trueRank.get(id)}): ${coverage}`)
    }
  }
)
