import Type from 'typebox'
import { FRAME_CHANNELS, SUBJECT_TYPES } from '../vocabulary.js'

export const OUR_EXAMPLE = {
  dossierCode: 'H48.22-251015-0001',
  procedureCode: '1.001612.000.00.00.H48',
  unitCode: '08500',
  channel: 'in-person',
  subjectType: 'citizen',
  completedAt: '2025-10-15T09:30:00+07:00',
  name: 'Nguyễn Văn A',
  phone: '0912345678'
}
export const PORTAL_EXAMPLE = {
  MaHoSo: 'H48.22-251015-0002',
  MaTTHC: '1.001612.000.00.00.H48',
  TenTTHC: 'Đăng ký khai sinh',
  MaLinhVuc: 'G09-TP03',
  KenhThucHien: '2',
  LoaiDoiTuong: '1',
  ChuHoSo: 'Trần Thị B',
  SoDienThoai: '0987654321',
  NgayTiepNhan: '20251014080000',
  NgayTra: '20251015093000',
  TrangThaiHoSo: '10',
  DonViXuLy: '08500'
}

export const FrameRecordInput = Type.Object(
  {
    dossierCode: Type.String({ minLength: 1, maxLength: 100, description: 'Mã hồ sơ' }),
    procedureCode: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'Stored in its short national form (1.001612) whether given short or long'
      })
    ),
    procedureName: Type.Optional(Type.String({ maxLength: 1000 })),
    fieldCode: Type.Optional(Type.String({ maxLength: 100, description: 'Lĩnh vực' })),
    unitCode: Type.String({ description: 'Statistics or agency code of the unit that handled the dossier' }),
    channel: Type.Enum(FRAME_CHANNELS),
    subjectType: Type.Enum(SUBJECT_TYPES),
    completedAt: Type.String({ format: 'date-time', description: 'When the result was returned' }),
    name: Type.Optional(Type.String({ maxLength: 300, description: 'Personal data: sealed, for administrators only' })),
    phone: Type.Optional(Type.String({ maxLength: 50, description: 'Personal data: sealed, for administrators only' })),
    email: Type.Optional(Type.String({ maxLength: 300, description: 'Personal data: sealed, for administrators only' }))
  },
  { $id: 'FrameRecordInput', examples: [OUR_EXAMPLE] }
)

/** The record as the National Public Service Portal exchanges it: string values, dates yyyyMMddHHmmss (Vietnam time). */
export const PortalFrameRecord = Type.Object(
  {
    MaHoSo: Type.String(),
    MaTTHC: Type.Optional(Type.String()),
    TenTTHC: Type.Optional(Type.String()),
    MaLinhVuc: Type.Optional(Type.String()),
    KenhThucHien: Type.String({ description: '1 in person, 2 online, 3 post' }),
    LoaiDoiTuong: Type.String({ description: '1 citizen, 2 business, 3 agency, 4 other organisation' }),
    ChuHoSo: Type.Optional(Type.String()),
    SoDienThoai: Type.Optional(Type.String()),
    Email: Type.Optional(Type.String()),
    NgayTiepNhan: Type.Optional(Type.String()),
    NgayTra: Type.String({ description: 'yyyyMMddHHmmss, Vietnam time' }),
    TrangThaiHoSo: Type.String({ description: '10 = finished; only finished dossiers enter the frame' }),
    DonViXuLy: Type.String({ description: 'Code of the unit that handled the dossier' })
  },
  { $id: 'PortalFrameRecord', examples: [PORTAL_EXAMPLE] }
)

export const FrameUploadReport = Type.Object(
  {
    received: Type.Integer(),
    accepted: Type.Integer(),
    leftOut: Type.Record(Type.String(), Type.Integer(), {
      description: 'Counts by reason: not-finished, outside-period, unit-not-in-scope, duplicate'
    }),
    leftOutRows: Type.Array(Type.Object({ row: Type.Integer(), dossierCode: Type.String(), reason: Type.String() }), {
      description: 'The first 1,000 records left out'
    })
  },
  {
    $id: 'FrameUploadReport',
    examples: [
      {
        received: 3,
        accepted: 2,
        leftOut: { 'not-finished': 1 },
        leftOutRows: [{ row: 2, dossierCode: 'H48.22-251015-0003', reason: 'not-finished' }]
      }
    ]
  }
)

export const FrameSummary = Type.Object(
  {
    records: Type.Integer(),
    withContacts: Type.Integer(),
    byUnitAndChannel: Type.Array(
      Type.Object({ unitId: Type.String(), channel: Type.String(), records: Type.Integer() })
    )
  },
  { $id: 'FrameSummary' }
)
