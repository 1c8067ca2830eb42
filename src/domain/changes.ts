/**
 * Each unit's change against the year before, frozen with a draft publication: the province's publication of
 * that year (the latest approved version of a public campaign), or the figures imported from its decision
 * when the service published none: the overall index, and each factor and criterion with a figure both years
 * (its rank among all units too, when both publications rank it). A unit absent that year is compared with the one unit merged into it
 * (renamed, or formed from one other); a unit formed from several has no comparable figure.
 */
import type { Db } from '../db/client.js'
import { importedOf } from '../db/queries/history.js'
import { provincePublication } from '../db/queries/public.js'
import { getPublication } from '../db/queries/results.js'
import { predecessorLinks } from '../db/queries/units.js'
import { changesAgainstPrevious } from '../scoring/index.js'
import type { CampaignResults, IndexChange, UnitResult } from '../schemas/results.js'
import { statusesAllowing } from './campaign-lifecycle.js'

interface Then {
  estimate: number
  se: number | null
  df: number | null
  rank: number | null
}

/** A unit's figures of one year by index: 'overall', and each factor and criterion by its code. */
type Year = Map<string, Then>

const KINDS = ['factors', 'criteria'] as const

/** A unit's figures of a publication by index, each with its rank among all units (the overall's: `rank`). */
function figuresOf(u: UnitResult): Year {
  const figures: Year = new Map()
  if (u.overall?.estimate != null)
    figures.set('overall', { estimate: u.overall.estimate, se: u.overall.se, df: u.overall.df, rank: u.rank })
  for (const kind of KINDS)
    for (const [code, f] of Object.entries(u[kind]))
      if (f.estimate !== null)
        figures.set(code, { estimate: f.estimate, se: f.se, df: f.df, rank: u.ranks?.[kind][code]?.rank ?? null })
  return figures
}

/** Last year's figures by unit id (those with an overall figure), and where they come from. */
async function lastYear(db: Db, provinceId: string, year: number, unitIds: string[]) {
  const last = await provincePublication(db, provinceId, year, statusesAllowing('serve-publicly'))
  const figures = new Map<string, Year>()
  if (last) {
    const before = (await getPublication(db, last.id)).results as CampaignResults
    for (const u of [before.province, ...before.units]) {
      const year = figuresOf(u)
      if (year.has('overall')) figures.set(u.unitId, year)
    }
    return { figures, source: 'publication' as const, publicationId: last.id }
  }
  for (const r of await importedOf(db, year, unitIds)) {
    const year = figures.get(r.unitId) ?? new Map<string, Then>()
    year.set(r.indexCode, { estimate: r.estimate, se: null, df: null, rank: null })
    figures.set(r.unitId, year)
  }
  for (const [id, year] of figures) if (!year.has('overall')) figures.delete(id)
  return { figures, source: figures.size > 0 ? ('imported' as const) : ('none' as const), publicationId: null }
}

/** One index's figures out of each unit's. */
const onIndex = (years: ReadonlyMap<string, Year>, code: string): Map<string, Then> =>
  new Map(
    [...years].flatMap(([id, year]) => {
      const f = year.get(code)
      return f ? [[id, f] as const] : []
    })
  )

/**
 * Each unit's change on one index against its counterpart's figure last year (`then`: by current unit id),
 * by changesAgainstPrevious, which matches by id and needs ranks: 0 stands for none (the province's).
 */
function changesOf(now: ReadonlyMap<string, Then>, then: ReadonlyMap<string, Then>, level: number) {
  const ranked = (figures: ReadonlyMap<string, Then>) =>
    [...figures].map(([id, f]) => ({ id, estimate: f.estimate, se: f.se, df: f.df, rank: f.rank ?? 0 }))
  const changes = changesAgainstPrevious(ranked(now), ranked(then), level)
  return new Map(
    changes.flatMap((c): Array<[string, IndexChange]> => {
      if (c.change === null) return []
      const f = then.get(c.id) as Then
      return [
        [
          c.id,
          {
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
  const now = new Map(current.map((u) => [u.unitId, figuresOf(u)]))
  const before = new Map([...counterpart].map(([id, from]) => [id, then.figures.get(from) as Year]))
  const changesOn = (code: string) => changesOf(onIndex(now, code), onIndex(before, code), results.options.level)
  const overall = changesOn('overall')
  const [factors, criteria] = KINDS.map((kind) =>
    [...new Set(current.flatMap((u) => Object.keys(u[kind])))].map((code) => [code, changesOn(code)] as const)
  )
  // A unit's changes on the indices of one kind, by code.
  const of = (changes: typeof factors, id: string) =>
    Object.fromEntries(
      changes.flatMap(([code, byUnit]) => {
        const c = byUnit.get(id)
        return c ? [[code, c] as const] : []
      })
    )
  const changed = (u: UnitResult): UnitResult => {
    const change = overall.get(u.unitId)
    if (!change) return u
    return {
      ...u,
      change: {
        year: year - 1,
        unitId: counterpart.get(u.unitId) as string,
        imported: then.source === 'imported',
        ...change,
        factors: of(factors, u.unitId),
        criteria: of(criteria, u.unitId)
      }
    }
  }
  return {
    ...results,
    comparedWith: { year: year - 1, source: then.source, publicationId: then.publicationId },
    province: changed(results.province),
    units: results.units.map(changed)
  }
}
