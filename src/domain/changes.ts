/**
 * Each unit's change against the year before, frozen with a draft publication: the province's publication of
 * that year (the latest approved version of a public campaign), or the figures imported from its decision
 * when the service published none. A unit absent that year is compared with the one unit merged into it
 * (renamed, or formed from one other); a unit formed from several has no comparable figure.
 */
import type { Db } from '../db/client.js'
import { importedOf } from '../db/queries/history.js'
import { provincePublication } from '../db/queries/public.js'
import { getPublication } from '../db/queries/results.js'
import { predecessorLinks } from '../db/queries/units.js'
import { changesAgainstPrevious } from '../scoring/index.js'
import type { CampaignResults, Change, UnitResult } from '../schemas/results.js'
import { statusesAllowing } from './campaign-lifecycle.js'

interface Then {
  estimate: number
  se: number | null
  df: number | null
  rank: number | null
}

/** Last year's overall figures by unit id, and where they come from. */
async function lastYear(db: Db, provinceId: string, year: number, unitIds: string[]) {
  const last = await provincePublication(db, provinceId, year, statusesAllowing('serve-publicly'))
  const figures = new Map<string, Then>()
  if (last) {
    const before = (await getPublication(db, last.id)).results as CampaignResults
    for (const u of [before.province, ...before.units])
      if (u.overall?.estimate != null)
        figures.set(u.unitId, { estimate: u.overall.estimate, se: u.overall.se, df: u.overall.df, rank: u.rank })
    return { figures, source: 'publication' as const, publicationId: last.id }
  }
  for (const r of await importedOf(db, year, unitIds))
    if (r.indexCode === 'overall') figures.set(r.unitId, { estimate: r.estimate, se: null, df: null, rank: null })
  return { figures, source: figures.size > 0 ? ('imported' as const) : ('none' as const), publicationId: null }
}

/** `results` with each unit's `change` and the document's `comparedWith`, for the campaign's `year`. */
export async function withChanges<T extends CampaignResults>(
  db: Db,
  results: T,
  provinceId: string,
  year: number
): Promise<T> {
  const current = [results.province, ...results.units]
  const links = await predecessorLinks(
    db,
    current.map((u) => u.unitId)
  )
  const ids = [...new Set([...current.map((u) => u.unitId), ...links.map((l) => l.fromId)])]
  const then = await lastYear(db, provinceId, year - 1, ids)
  // Each current unit's counterpart last year: itself, else its one predecessor with a figure.
  const counterpart = new Map<string, string>()
  for (const u of current) {
    if (then.figures.has(u.unitId)) counterpart.set(u.unitId, u.unitId)
    else {
      const found = links.filter((l) => l.toId === u.unitId && then.figures.has(l.fromId))
      if (found.length === 1) counterpart.set(u.unitId, found[0].fromId)
    }
  }
  // changesAgainstPrevious matches by id and needs ranks: 0 stands for none (the province's).
  const changes = changesAgainstPrevious(
    current.flatMap((u) =>
      u.overall?.estimate == null
        ? []
        : [{ id: u.unitId, estimate: u.overall.estimate, se: u.overall.se, df: u.overall.df, rank: u.rank ?? 0 }]
    ),
    [...counterpart].map(([id, from]) => {
      const f = then.figures.get(from) as Then
      return { id, estimate: f.estimate, se: f.se, df: f.df, rank: f.rank ?? 0 }
    }),
    results.options.level
  )
  const changeOf = new Map(
    changes.flatMap((c): Array<[string, Change]> => {
      if (c.change === null) return []
      const from = counterpart.get(c.id) as string
      const f = then.figures.get(from) as Then
      return [
        [
          c.id,
          {
            year: year - 1,
            unitId: from,
            imported: then.source === 'imported',
            previous: f.estimate,
            previousRank: f.rank,
            estimate: c.change.estimate,
            se: c.change.se,
            ci: c.change.ci ? [c.change.ci.lower, c.change.ci.upper] : null,
            significant: c.significant,
            places: c.rank === 0 || !c.previousRank || c.places === null ? null : c.places
          }
        ]
      ]
    })
  )
  const changed = (u: UnitResult): UnitResult => {
    const change = changeOf.get(u.unitId)
    return change ? { ...u, change } : u
  }
  return {
    ...results,
    comparedWith: { year: year - 1, source: then.source, publicationId: then.publicationId },
    province: changed(results.province),
    units: results.units.map(changed)
  }
}
