import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { projectRoot } from '../db/client.js'
import type { OrgUnitInput } from '../schemas/units.js'

const SEED = join(projectRoot(), 'seed', 'vn-admin-units')
/** The two-tier local government took effect on 1 July 2025 (34 provinces, 3,321 communes). */
export const TWO_TIER_START = '2025-07-01'

export const NATION: OrgUnitInput = {
  code: 'VN',
  level: 'nation',
  name: 'Việt Nam',
  fullName: 'Nước Cộng hòa xã hội chủ nghĩa Việt Nam',
  nameEn: 'Viet Nam',
  validFrom: '1976-07-02'
}

/** The shipped national tree (statistics-office codes, as of 2026), ready for `importUnits`. */
export async function nationalUnits(): Promise<OrgUnitInput[]> {
  const rows = parse(await readFile(join(SEED, 'units.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true
  }) as Array<Record<string, string>>
  return rows.map((row) => ({
    code: row.code,
    parentCode: row.parent_code || NATION.code,
    level: row.level as OrgUnitInput['level'],
    name: row.name,
    fullName: row.full_name,
    unitType: row.unit_type,
    nameEn: row.name_en,
    validFrom: TWO_TIER_START
  }))
}

export const seedNotice = async () => ({
  source:
    'vietnamese-provinces-database by Thang Le Quoc, built from the General Statistics Office web service (units as of 2026)',
  licence: await readFile(join(SEED, 'LICENSE.upstream'), 'utf8')
})
