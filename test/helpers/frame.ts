import type { App } from '../../src/app.js'
import { admin, seededCampaign } from './province.js'

/** A frame of `n` finished dossiers spread over the three communes, in the portal's shape, as NDJSON. */
export function frame(n: number): string {
  const units = ['08500', '08501', '08502']
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      MaHoSo: `HS-${String(i).padStart(5, '0')}`,
      MaTTHC: '1.001612.000.00.00.H48',
      KenhThucHien: String(1 + (i % 2)),
      LoaiDoiTuong: '1',
      ChuHoSo: `Người ${i}`,
      SoDienThoai: `0912${String(i).padStart(6, '0')}`,
      NgayTra: `202511${String(1 + (i % 28)).padStart(2, '0')}100000`,
      TrangThaiHoSo: '10',
      DonViXuLy: units[i % 3]
    })
  ).join('\n')
}

/** The seeded province with a sampled campaign, its frame uploaded, in `sampling`. */
export async function campaignWithFrame(app: App, records: number) {
  const { ids, campaign: c } = await seededCampaign(app)
  const up = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${c.id}/frame`,
    headers: { ...admin, 'content-type': 'application/x-ndjson' },
    payload: frame(records)
  })
  if (up.statusCode !== 201) throw new Error(up.body)
  await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${c.id}/transitions`,
    headers: admin,
    payload: { to: 'sampling' }
  })
  return { ids, id: c.id as string }
}
