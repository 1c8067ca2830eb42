/**
 * The small province the route tests and the service benchmarks import through the API: the nation, province 25
 * (Phú Thọ), three of its communes and one agency.
 */
export const SMALL_PROVINCE = [
  { code: 'VN', level: 'nation', name: 'Việt Nam', validFrom: '1976-07-02' },
  {
    code: '25',
    parentCode: 'VN',
    level: 'province',
    name: 'Phú Thọ',
    fullName: 'Tỉnh Phú Thọ',
    validFrom: '2025-07-01'
  },
  {
    code: '08500',
    parentCode: '25',
    level: 'commune',
    name: 'Hòa Bình',
    fullName: 'Phường Hòa Bình',
    validFrom: '2025-07-01'
  },
  {
    code: '08501',
    parentCode: '25',
    level: 'commune',
    name: 'Thanh Sơn',
    fullName: 'Xã Thanh Sơn',
    validFrom: '2025-07-01'
  },
  {
    code: '08502',
    parentCode: '25',
    level: 'commune',
    name: 'Tân Lạc',
    fullName: 'Xã Tân Lạc',
    validFrom: '2025-07-01'
  },
  { agencyCode: '000.00.53.H48', parentCode: '25', level: 'agency', name: 'Sở Nội vụ', validFrom: '2025-07-01' }
]

/** The communes' statistics codes, in the order the helpers return their ids. */
export const SMALL_PROVINCE_COMMUNES = ['08500', '08501', '08502']
