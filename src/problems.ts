/**
 * The one catalogue of problems the API can answer (RFC 9457 problem+json). Integrators program against
 * `type` (stable), never against `title` or `detail`, which are in Vietnamese when the request asks for it
 * (`titleVi`). Each entry is served at `/problems/<slug>`.
 */
export const PROBLEMS = {
  'invalid-request': {
    status: 400,
    title: 'The request is not valid',
    titleVi: 'Yêu cầu không hợp lệ',
    description: 'A parameter, header or body field does not match the schema. `errors` names each one by JSON pointer.'
  },
  'malformed-body': {
    status: 400,
    title: 'The body could not be parsed',
    titleVi: 'Không đọc được nội dung yêu cầu',
    description:
      'The body is not well-formed JSON (or CSV/NDJSON where accepted), or it is empty where a body is required.'
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    titleVi: 'Cần xác thực',
    description: 'No valid API key was given in `Authorization: Bearer <key>`.'
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    titleVi: 'Không được phép',
    description: 'The key is valid but its role or scope does not cover this resource.'
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    titleVi: 'Không tìm thấy',
    description: 'No route, or no resource with that identifier.'
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    titleVi: 'Phương thức không được phép',
    description: 'The route exists but not with this method.'
  },
  conflict: {
    status: 409,
    title: 'Conflict with the current state',
    titleVi: 'Xung đột với trạng thái hiện tại',
    description:
      'A generic fallback: the state of the resource does not allow this change. The refusals the service makes on purpose have their own types below.'
  },
  'external-id-reused': {
    status: 409,
    title: 'The external id is already used with other content',
    titleVi: 'Mã định danh ngoài đã được dùng cho nội dung khác',
    description:
      'A response with this `externalId` is stored in the campaign with other content. A retry with the same content is answered 200 `duplicate`; this is not a retry. `existingId` is the stored response.'
  },
  'already-answered': {
    status: 409,
    title: 'The dossier already has a response',
    titleVi: 'Hồ sơ đã có phiếu trả lời',
    description:
      'A campaign takes one response per dossier: another response (`existingId`, under another `externalId`) answers this dossier, or the sample slot it was drawn as. A retry of that response with its own `externalId` is answered 200 `duplicate`.'
  },
  'concurrent-change': {
    status: 409,
    title: 'Changed meanwhile',
    titleVi: 'Dữ liệu đã bị thay đổi trong lúc xử lý',
    description:
      'Another request changed the resource while this one ran. Nothing was changed: read it again and retry.'
  },
  'transition-refused': {
    status: 409,
    title: 'The campaign cannot make this transition',
    titleVi: 'Không thể chuyển trạng thái của đợt đo lường',
    description:
      'The lifecycle does not allow this status change now. `campaignStatus` is the current status and `reason` says what is missing (a sample to draw, units in scope, …).'
  },
  'campaign-not-draft': {
    status: 409,
    title: 'Only a draft campaign can be changed',
    titleVi: 'Chỉ đợt đo lường ở trạng thái nháp mới được sửa',
    description:
      'The campaign has left draft (`campaignStatus`): its definition is fixed, apart from how its results are weighted, broken down and grouped (`calibration`, `afterService`, `breakdownMinimum`, `groups`, `provinceFigure`), which change until they are published; regrouping keeps each unit with the questionnaire its responses answer (`errors` name the units it would move).'
  },
  'campaign-not-sampled': {
    status: 409,
    title: 'The campaign is not sampled',
    titleVi: 'Đợt đo lường không chọn mẫu',
    description: 'The campaign takes responses without a sample: it has no sample design or draw.'
  },
  'campaign-not-sampling': {
    status: 409,
    title: 'The campaign is not in its sampling status',
    titleVi: 'Đợt đo lường không ở trạng thái chọn mẫu',
    description: 'The sample is drawn while the campaign is `sampling`; `campaignStatus` is its status now.'
  },
  'sample-design-missing': {
    status: 409,
    title: 'The campaign has no sample design',
    titleVi: 'Đợt đo lường chưa có thiết kế mẫu',
    description: 'The campaign is sampled but no design is stored: POST one to its `/sample-design` first.'
  },
  'frame-empty': {
    status: 409,
    title: 'The frame is empty',
    titleVi: 'Khung mẫu trống',
    description: 'A sample is designed from the frame: upload the frame first.'
  },
  'frame-locked': {
    status: 409,
    title: 'The frame is locked by the drawn sample',
    titleVi: 'Khung mẫu đã bị khóa vì mẫu đã được chọn',
    description:
      'The sample is drawn from this frame: it can no longer be uploaded, and it is deleted only once the campaign is closed. `campaignStatus` is its status now.'
  },
  'sample-already-drawn': {
    status: 409,
    title: 'The sample is already drawn',
    titleVi: 'Mẫu đã được chọn',
    description: 'A campaign has one draw: its design no longer changes and it is not drawn again.'
  },
  'slot-final': {
    status: 409,
    title: 'The slot is final',
    titleVi: 'Vị trí mẫu đã có kết quả cuối cùng',
    description:
      'The slot has responded, or is a reserve not released: its outcome no longer changes and it is not replaced.'
  },
  'slot-already-replaced': {
    status: 409,
    title: 'The slot is already replaced',
    titleVi: 'Vị trí mẫu đã được thay thế',
    description: 'A reserve was released in its place already; follow up that reserve instead.'
  },
  'reserve-exhausted': {
    status: 409,
    title: 'No reserve is left',
    titleVi: 'Đã hết mẫu dự phòng',
    description: 'Every reserve of the stratum is released: the slot cannot be replaced.'
  },
  'campaign-not-collecting': {
    status: 409,
    title: 'The campaign is not collecting',
    titleVi: 'Đợt đo lường không trong giai đoạn thu thập phiếu',
    description: 'Responses are taken only while the campaign is collecting: not before, and not once it is closed.'
  },
  'lonely-psu': {
    status: 409,
    title: 'A stratum has a single primary sampling unit',
    titleVi: 'Một tầng chỉ có một đơn vị mẫu cấp một',
    description:
      'The variance cannot be estimated in a stratum with one primary sampling unit: choose the lonely-PSU rule `adjust` or `average` in the scoring options, or merge strata. `stratum` names it.'
  },
  'calibration-frame-missing': {
    status: 409,
    title: 'No frame to calibrate to',
    titleVi: 'Không có khung mẫu để hiệu chỉnh trọng số',
    description:
      "The campaign's official figures are calibrated to its frame's totals (`calibration`), but the frame holds no records: it was deleted once the campaign closed, or never uploaded. `figure` says which figure."
  },
  'calibration-cell-without-respondents': {
    status: 409,
    title: 'A calibration cell has a population but no respondents',
    titleVi: 'Một ô hiệu chỉnh có tổng thể nhưng không có người trả lời',
    description:
      'A cell of a margin (`margin`, `cell`) holds frame records but no response to carry their weight. Choose coarser margins, or a method with several margins (linear, raking) instead of one cross-classification. `figure` is `official` or `after-service`.'
  },
  'calibration-cell-without-total': {
    status: 409,
    title: 'Respondents in a calibration cell without a population total',
    titleVi: 'Có người trả lời trong ô hiệu chỉnh không có tổng thể',
    description:
      'Responses fall in a cell of a margin (`margin`, `cell`) that the frame does not count. `figure` is `official` or `after-service`.'
  },
  'calibration-margin-totals': {
    status: 409,
    title: 'Calibration margins describe different populations',
    titleVi: 'Các biên hiệu chỉnh mô tả các tổng thể khác nhau',
    description:
      "A margin's totals (`margin`) add up to another grand total than the other margins'. `figure` is `official` or `after-service`."
  },
  'calibration-raking-convergence': {
    status: 409,
    title: 'Raking did not converge',
    titleVi: 'Phương pháp raking không hội tụ',
    description:
      'No weights of the raking form meet every margin: choose the linear method, or coarser margins. `figure` is `official` or `after-service`.'
  },
  'calibration-variable-missing': {
    status: 409,
    title: 'A calibration margin names a variable the data lack',
    titleVi: 'Biên hiệu chỉnh dùng một biến không có trong dữ liệu',
    description: '`variable` names it. `figure` is `official` or `after-service`.'
  },
  'calibration-failed': {
    status: 409,
    title: 'The weights cannot be calibrated to these margins',
    titleVi: 'Không thể hiệu chỉnh trọng số theo các biên này',
    description:
      'The margins contradict each other (no weights meet them all), or another calibration error the detail names. `figure` is `official` or `after-service`.'
  },
  'computation-not-done': {
    status: 409,
    title: 'The computation is not finished',
    titleVi: 'Lượt tính toán chưa hoàn tất',
    description: 'Only a finished computation can be published; poll it until it is `done`.'
  },
  'campaign-not-closed': {
    status: 409,
    title: 'The campaign is not closed',
    titleVi: 'Đợt đo lường chưa kết thúc',
    description: 'Results are published once the campaign is closed; `campaignStatus` is its status now.'
  },
  'publication-not-approved': {
    status: 409,
    title: 'No approved publication',
    titleVi: 'Chưa có kết quả công bố được phê duyệt',
    description:
      'Results become public only through the approval of a draft publication (`POST …/publications/{publicationId}/approval`); a campaign cannot be moved to published before one is approved.'
  },
  'publication-already-approved': {
    status: 409,
    title: 'The publication is already approved',
    titleVi: 'Kết quả công bố đã được phê duyệt',
    description: 'An approval is recorded once and never changes; to correct the results, approve a new version.'
  },
  'publication-superseded': {
    status: 409,
    title: 'A later draft supersedes this one',
    titleVi: 'Dự thảo đã được thay thế bởi bản mới hơn',
    description: "Only the latest version of a campaign's publications can be approved."
  },
  'decision-date-out-of-range': {
    status: 422,
    title: "The decision's date is out of range",
    titleVi: 'Ngày quyết định không hợp lệ',
    description:
      'The approving decision is dated between the day the draft was made and today (in Vietnam); `errors` says which days.'
  },
  'history-year-published': {
    status: 409,
    title: 'The service has published that year',
    titleVi: 'Năm này đã có kết quả do hệ thống công bố',
    description:
      "Imported figures are for the years before the service: the province has an approved publication of a campaign of that year, whose figures are the year's record."
  },
  'history-already-imported': {
    status: 409,
    title: 'Figures of that year are already imported otherwise',
    titleVi: 'Số liệu của năm này đã được nhập với giá trị khác',
    description:
      'A unit and index of that year is imported already with another value or document; `errors` names each. Importing the same figures from the same document again changes nothing (counted as `unchanged`).'
  },
  'tree-already-loaded': {
    status: 409,
    title: 'The national tree is already loaded',
    titleVi: 'Cây đơn vị hành chính quốc gia đã được nạp',
    description: 'The shipped national tree of units is loaded once; import changes with `/v1/units/import`.'
  },
  'body-too-large': {
    status: 413,
    title: 'The body is too large',
    titleVi: 'Nội dung yêu cầu quá lớn',
    description: 'The body exceeds the configured limit (BODY_LIMIT).'
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported content type',
    titleVi: 'Kiểu nội dung không được hỗ trợ',
    description: 'The route does not accept this Content-Type.'
  },
  unprocessable: {
    status: 422,
    title: 'The request cannot be processed',
    titleVi: 'Không thể xử lý yêu cầu',
    description:
      'A generic fallback: the request is well-formed but breaks a domain rule. The rules the service checks on purpose have their own types below.'
  },
  'response-invalid': {
    status: 422,
    title: 'The response does not fit its questionnaire',
    titleVi: 'Phiếu trả lời không khớp với bảng hỏi',
    description:
      'Answers name unknown items or codes, miss required items, or a text field cannot be stored; `errors` says which.'
  },
  'outside-collection-window': {
    status: 422,
    title: 'Collected outside the collection window',
    titleVi: 'Phiếu được thu thập ngoài thời gian thu thập',
    description: "`collectedAt` is outside the campaign's collection window (its days in Vietnam time)."
  },
  'channel-not-accepted': {
    status: 422,
    title: 'The campaign does not take this channel',
    titleVi: 'Đợt đo lường không nhận kênh thu thập này',
    description: 'The campaign collects through other channels; `errors` lists those it takes.'
  },
  'unit-out-of-scope': {
    status: 422,
    title: 'The unit is not in the campaign',
    titleVi: 'Đơn vị không thuộc đợt đo lường',
    description: "The unit is neither one of the campaign's units nor under one of them."
  },
  'batch-refused': {
    status: 422,
    title: 'The all-or-nothing batch was refused',
    titleVi: 'Lô phiếu "tất cả hoặc không" bị từ chối',
    description:
      'With `atomic=true`, one rejected or conflicting record refuses the whole batch; nothing was stored. `errors` names every one.'
  },
  'campaign-invalid': {
    status: 422,
    title: 'The campaign cannot be defined this way',
    titleVi: 'Không thể định nghĩa đợt đo lường như vậy',
    description: 'Its dates, units, instrument or scoring options are not consistent; `errors` says which.'
  },
  'instrument-invalid': {
    status: 422,
    title: 'The questionnaire is not consistent',
    titleVi: 'Bảng hỏi không nhất quán',
    description: 'Items, codes, scale or factors of the definition contradict each other; `errors` says which.'
  },
  'units-invalid': {
    status: 422,
    title: 'The units cannot be imported',
    titleVi: 'Không thể nhập các đơn vị',
    description:
      'Rows of the import (JSON or CSV) are not valid or do not fit the tree; nothing was imported. `errors` names each.'
  },
  'history-invalid': {
    status: 422,
    title: 'The figures cannot be imported',
    titleVi: 'Không thể nhập số liệu các năm trước',
    description:
      'The province is not one, a unit is not in it, or a unit and index is given twice; `errors` names every one. Nothing was imported.'
  },
  'frame-invalid': {
    status: 422,
    title: 'The frame cannot be stored',
    titleVi: 'Không thể lưu khung mẫu',
    description: 'Records of the frame are not valid; nothing was stored. `errors` names each.'
  },
  'unknown-stratum': {
    status: 422,
    title: 'No such stratum in the frame',
    titleVi: 'Khung mẫu không có tầng này',
    description: 'The sample design names strata (in `overrides`) that the frame does not have.'
  },
  'sample-design-invalid': {
    status: 422,
    title: 'The sample cannot be designed this way',
    titleVi: 'Không thể thiết kế mẫu như vậy',
    description: 'A parameter of the design is out of range or cannot be met by the frame; `errors` points at it.'
  },
  'computation-of-other-campaign': {
    status: 422,
    title: 'The computation belongs to another campaign',
    titleVi: 'Lượt tính toán thuộc đợt đo lường khác',
    description: 'Publish a computation of the campaign in the path.'
  },
  'client-invalid': {
    status: 422,
    title: 'The key cannot be created this way',
    titleVi: 'Không thể tạo khóa như vậy',
    description: 'A surveyor or client key needs at least one campaign; `errors` says what is missing.'
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    titleVi: 'Quá nhiều yêu cầu',
    description: 'A rate limit was reached; retry after the number of seconds in Retry-After.'
  },
  internal: {
    status: 500,
    title: 'Internal error',
    titleVi: 'Lỗi nội bộ',
    description: 'An unexpected error. It is logged with the request id; nothing partial was stored.'
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    titleVi: 'Dịch vụ tạm thời không khả dụng',
    description:
      'The database is unreachable or the service is shutting down or overloaded. Nothing was stored; retry after Retry-After seconds.'
  },
  'request-timeout': {
    status: 408,
    title: 'The request took too long to arrive',
    titleVi: 'Yêu cầu đến quá chậm',
    description: 'The client did not send the whole request within REQUEST_TIMEOUT_MS. Nothing was stored.'
  },
  'headers-too-large': {
    status: 431,
    title: 'The request headers are too large',
    titleVi: 'Phần đầu của yêu cầu quá lớn',
    description: "The headers together exceed the HTTP server's limit (Node's, 16 KiB by default)."
  }
} as const satisfies Record<string, { status: number; title: string; titleVi: string; description: string }>

export type ProblemSlug = keyof typeof PROBLEMS

/** One offending field: `in` is the request part, `pointer` a JSON pointer into it (RFC 6901). */
export interface FieldError {
  in: 'body' | 'querystring' | 'params' | 'headers' | 'file'
  pointer: string
  detail: string
}

export const problemTypeUri = (slug: ProblemSlug): string => `/problems/${slug}`

/** What a problem says in Vietnamese where it has words for it: its detail, and its field errors if any. */
export interface Vietnamese {
  detail: string
  errors?: FieldError[]
}

/** An error that the error handler renders as the catalogue entry `slug`. Throw it from routes and the domain. */
export class Problem extends Error {
  readonly status: number
  /** Answered for `Accept-Language: vi`; without it the English detail is kept (most domain refusals). */
  vi?: Vietnamese
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** Extension members (RFC 9457 §3.2), at the top level of the body, that a client can act on. */
    readonly extensions?: Record<string, string>
  ) {
    super(detail)
    this.name = 'Problem'
    this.status = PROBLEMS[slug].status
  }

  /** The same problem with its Vietnamese words. */
  inVietnamese(vi: Vietnamese): this {
    this.vi = vi
    return this
  }
}

/** Escapes one JSON-pointer reference token (RFC 6901: "~" → "~0", "/" → "~1"). */
export const pointerToken = (token: string | number): string => String(token).replace(/~/g, '~0').replace(/\//g, '~1')
