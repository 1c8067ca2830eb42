// What the tests against R's survey fixtures (test/fixtures/r-survey/, README there) share: reading a fixture,
// the shape of one R figure, and the tolerances.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { repoPath } from '../helpers/paths.js'

/** The fixtures' folder, against which the options files name their totals. */
export const fixtures = pathToFileURL(repoPath('test/fixtures/r-survey/'))
export const readFixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8')

/** One figure R computed for a domain (`D` names it: a unit, a category, …). */
export interface RFigure<D> {
  domain: D
  index: string
  estimate: number
  se: number
  df: number
  n?: number
  ci_logit?: [number, number]
  ci_beta?: [number, number]
}

export const TOL = 1e-9
// R's logit interval comes from svyglm's IRLS, stopped at a relative deviance change of 1e-8; it lies within
// 3e-9 of the closed form logit(p̂) ± t·SE/(p̂(1 − p̂)) that the methodology states and we compute.
export const TOL_LOGIT = 5e-9

export const relative = (actual: number, expected: number): number =>
  Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300)
