/**
 * Sampling-frame records as one-stop-shop software knows them, in our shape or in the shape it already
 * exchanges with the National Public Service Portal (PascalCase Vietnamese fields, string values), turned into
 * one normal form. Pure: no database; the caller resolves unit codes and stores the result.
 */

import { FRAME_CHANNELS, SUBJECT_TYPES, type FrameChannel, type SubjectType } from '../vocabulary.js'

export interface FrameRecord {
  dossierCode: string
  procedureCode: string | null
  procedureName: string | null
  fieldCode: string | null
  unitCode: string
  channel: FrameChannel
  subjectType: SubjectType
  completedAt: Date
  finished: boolean
  contact: { name: string | null; phone: string | null; email: string | null }
}

export type Normalised = { record: FrameRecord } | { errors: Array<{ field: string; detail: string }> }

/** Procedure codes are stored in their short national form: 1.001612.000.00.00.H48 → 1.001612. */
export function shortProcedureCode(code: string): string {
  const match = /^(\d+\.\d{6})(\..+)?$/.exec(code.trim())
  return match ? match[1] : code.trim()
}

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving) → instant. */
export function parseVietnamTimestamp(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value.trim())
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number)
  const date = new Date(Date.UTC(year, month - 1, day, hour - 7, minute, second))
  // Reject 20260231…: the fields must survive the round trip.
  const local = new Date(date.getTime() + 7 * 3_600_000)
  return local.getUTCFullYear() === year &&
    local.getUTCMonth() === month - 1 &&
    local.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
    ? date
    : null
}

/** The calendar day in Vietnam of an instant, for comparing with a campaign's reference period. */
export const vietnamDay = (instant: Date): string =>
  new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)

const NPSP_CHANNEL: Record<string, FrameChannel> = { 1: 'in-person', 2: 'online', 3: 'post' }
const NPSP_SUBJECT: Record<string, SubjectType> = { 1: 'citizen', 2: 'business', 3: 'agency', 4: 'other-organisation' }

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null
  const s = String(value).trim()
  return s === '' ? null : s
}

/** A record whose keys include MaHoSo is in the portal's shape. */
export const isPortalShape = (raw: Record<string, unknown>): boolean => 'MaHoSo' in raw

export function normaliseFrameRecord(raw: Record<string, unknown>): Normalised {
  const errors: Array<{ field: string; detail: string }> = []
  const need = (field: string) => {
    const value = text(raw[field])
    if (value === null) errors.push({ field, detail: 'is required' })
    return value ?? ''
  }
  const portal = isPortalShape(raw)
  const dossierCode = need(portal ? 'MaHoSo' : 'dossierCode')
  const unitCode = need(portal ? 'DonViXuLy' : 'unitCode')
  const rawChannel = need(portal ? 'KenhThucHien' : 'channel')
  const rawSubject = need(portal ? 'LoaiDoiTuong' : 'subjectType')
  const rawCompleted = need(portal ? 'NgayTra' : 'completedAt')
  const channel = portal
    ? NPSP_CHANNEL[rawChannel]
    : (FRAME_CHANNELS as readonly string[]).includes(rawChannel)
      ? (rawChannel as FrameChannel)
      : undefined
  if (rawChannel && !channel)
    errors.push({
      field: portal ? 'KenhThucHien' : 'channel',
      detail: portal ? 'must be 1 (in person), 2 (online) or 3 (post)' : `must be one of ${FRAME_CHANNELS.join(', ')}`
    })
  const subjectType = portal
    ? NPSP_SUBJECT[rawSubject]
    : (SUBJECT_TYPES as readonly string[]).includes(rawSubject)
      ? (rawSubject as SubjectType)
      : undefined
  if (rawSubject && !subjectType)
    errors.push({
      field: portal ? 'LoaiDoiTuong' : 'subjectType',
      detail: portal
        ? 'must be 1 (citizen), 2 (business), 3 (agency) or 4 (other organisation)'
        : `must be one of ${SUBJECT_TYPES.join(', ')}`
    })
  const completedAt = portal
    ? parseVietnamTimestamp(rawCompleted)
    : Number.isNaN(Date.parse(rawCompleted))
      ? null
      : new Date(rawCompleted)
  if (rawCompleted && !completedAt)
    errors.push({
      field: portal ? 'NgayTra' : 'completedAt',
      detail: portal ? 'must be yyyyMMddHHmmss (Vietnam time)' : 'must be an ISO 8601 date-time'
    })
  if (errors.length > 0 || !channel || !subjectType || !completedAt) return { errors }
  const procedure = text(raw[portal ? 'MaTTHC' : 'procedureCode'])
  return {
    record: {
      dossierCode,
      procedureCode: procedure === null ? null : shortProcedureCode(procedure),
      procedureName: text(raw[portal ? 'TenTTHC' : 'procedureName']),
      fieldCode: text(raw[portal ? 'MaLinhVuc' : 'fieldCode']),
      unitCode,
      channel,
      subjectType,
      completedAt,
      // The portal says 10 for a finished dossier; our own shape lists finished dossiers only.
      finished: portal ? text(raw.TrangThaiHoSo) === '10' : true,
      contact: {
        name: text(raw[portal ? 'ChuHoSo' : 'name']),
        phone: text(raw[portal ? 'SoDienThoai' : 'phone']),
        email: text(raw[portal ? 'Email' : 'email'])
      }
    }
  }
}

/** Why a well-formed record stays out of the frame. */
export type LeftOutReason = 'not-finished' | 'outside-period' | 'unit-not-in-scope' | 'duplicate'
