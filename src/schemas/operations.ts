import type { ProblemSlug } from '../problems.js'
import { STANDARD_INSTRUMENT } from '../scoring/index.js'
import type { ApprovalInput, Figure, PublicationInfo, PublishedUnit } from './results.js'
import { RESPONSE_EXAMPLE } from './responses.js'

/** A named example of an OpenAPI media type. */
export interface Example {
  summary: string
  value: unknown
}

/**
 * What the OpenAPI document says of an operation beyond its route's schema: a stable id for generated
 * clients, the refusals its domain rules can answer, examples. Applied by plugins/openapi-contract.ts.
 */
export interface OperationDoc {
  operationId: string
  /** When the route's schema has none. */
  description?: string
  /** Problems of the domain rules (conflict, unprocessable, …); those of authentication, input and load are added to every operation they apply to. */
  refusals?: ProblemSlug[]
  /** Request body examples by media type (the schema's own examples are used for the others). */
  requestExamples?: Record<string, Record<string, Example>>
  /** Success responses: what each status means, and examples of the JSON body. */
  responses?: Record<number, { description: string; examples?: Record<string, Example> }>
}

const UUIDS = {
  province: '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77',
  campaign: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11',
  unit: '3f1d6a7e-8c2b-4b8e-9d0a-6e5f4c3b2a19',
  instrument: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  computation: 'e2d4c6b8-a0f1-4e3d-9c5b-7a9e1f3d5b70',
  publication: '7d5e3f1a-9b8c-4d7e-a6f5-4e3d2c1b0a98',
  response: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'
}

const APPROVAL_INPUT: ApprovalInput = {
  approverName: 'Nguyễn Văn An',
  approverPosition: 'Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ',
  decisionNumber: '1234/QĐ-UBND',
  decisionDate: '2026-12-05',
  documentSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
}

const DRAFT_PUBLICATION: PublicationInfo = {
  id: UUIDS.publication,
  version: 1,
  status: 'draft',
  createdAt: '2026-12-01T03:00:00.000Z',
  publishedAt: null,
  replacesId: null,
  note: null,
  approval: null
}

const PUBLISHED_PUBLICATION: PublicationInfo = {
  ...DRAFT_PUBLICATION,
  status: 'published',
  publishedAt: '2026-12-05T08:30:00.000Z',
  approval: {
    ...APPROVAL_INPUT,
    documentSha256: APPROVAL_INPUT.documentSha256!,
    approvedAt: '2026-12-05T08:30:00.000Z'
  }
}

const fig = (estimate: number, se: number, n: number, df = 38): Figure => ({
  n,
  estimate,
  se,
  ci: [Math.round((estimate - 2.02 * se) * 100) / 100, Math.round((estimate + 2.02 * se) * 100) / 100],
  ciMethod: 'logit',
  df
})

/** A commune's published figures, as a portal reads them. */
const PUBLISHED_UNIT: PublishedUnit = {
  campaign: {
    id: UUIDS.campaign,
    name: 'Đo lường SIPAS tỉnh Phú Thọ năm 2026',
    year: 2026,
    provinceId: UUIDS.province,
    instrument: { id: UUIDS.instrument, code: 'SIPAS-2017', version: 1 }
  },
  unitId: UUIDS.unit,
  code: '08500',
  name: 'Xã Hòa Bình',
  level: 'commune',
  responses: 412,
  responseRate: 0.824,
  overall: fig(87.36, 1.21, 9064),
  factors: {
    F1: fig(89.02, 1.34, 1648),
    F2: fig(86.71, 1.52, 2060),
    F3: fig(85.9, 1.47, 2472),
    F4: fig(88.14, 1.39, 1236),
    F5: fig(87.03, 1.44, 1648)
  },
  criteria: { 'F1.1': fig(90.53, 1.45, 412), 'F1.2': fig(88.11, 1.61, 412) },
  satisfaction: {},
  perception: { 'P.ONTIME': fig(93.2, 1.24, 409) },
  expectations: [{ code: 'E.IMPROVE.4', ...fig(41.5, 2.43, 412), rank: 1 }],
  rank: 2,
  rankInterval: [1, 4],
  targets: [
    { target: 0.8401, name: 'Kế hoạch của UBND tỉnh năm 2026', gap: 0.0335, status: 'met' },
    { target: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025', gap: -0.0264, status: 'not-met' }
  ],
  parPoints: 33.2
}

const ACCEPTED = { id: UUIDS.response, status: 'accepted', countsAs: 'sample' }
const BATCH_ANSWER = {
  accepted: 1,
  duplicate: 1,
  conflict: 1,
  rejected: 1,
  results: [
    { index: 0, externalId: 'H48.22-251015-0001#1', status: 'accepted', id: UUIDS.response, countsAs: 'sample' },
    {
      index: 1,
      externalId: 'H48.22-251015-0002#1',
      status: 'duplicate',
      id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      countsAs: 'after-service'
    },
    {
      index: 2,
      externalId: 'H48.22-251015-0003#1',
      status: 'conflict',
      id: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
      type: '/problems/already-answered'
    },
    {
      index: 3,
      externalId: 'H48.22-251015-0004#1',
      status: 'rejected',
      errors: [{ pointer: '/3/answers/F1.1', detail: '7 is not an answer code of F1.1 (1, 2, 3, 4, 5 or 0)' }],
      type: '/problems/response-invalid'
    }
  ]
}

const { version: _version, ...instrumentDraft } = STANDARD_INSTRUMENT

/** Every operation of the API, by `METHOD /path` as in the OpenAPI document. */
export const OPERATIONS: Record<string, OperationDoc> = {
  'GET /healthz': {
    operationId: 'getLiveness',
    description: 'Answers 200 while the process runs, without touching the database: for a liveness probe.',
    responses: { 200: { description: 'The process is up' } }
  },
  'GET /readyz': {
    operationId: 'getReadiness',
    responses: { 200: { description: 'Ready to serve' } }
  },
  'GET /problems': {
    operationId: 'listProblemTypes',
    description:
      'The catalogue of problem types: each `type` a problem+json answer can carry, with its status and title.',
    responses: { 200: { description: 'Every problem type' } }
  },
  'GET /problems/{slug}': {
    operationId: 'getProblemType',
    description: 'What a problem type means and what a client can do about it; `type` URIs of problems point here.',
    responses: { 200: { description: 'The problem type' } }
  },
  'GET /v1/units': { operationId: 'listUnits', responses: { 200: { description: 'The matching units, a page' } } },
  'POST /v1/units': {
    operationId: 'createUnit',
    refusals: ['units-invalid'],
    responses: { 201: { description: 'The unit, created' } }
  },
  'GET /v1/units/{id}': {
    operationId: 'getUnit',
    description: 'A unit with its codes, level, validity, and the units merged into it (its predecessors).',
    responses: { 200: { description: 'The unit' } }
  },
  'POST /v1/units/import': {
    operationId: 'importUnits',
    refusals: ['units-invalid'],
    requestExamples: {
      'application/json': {
        agency: {
          summary: 'A provincial agency under its province',
          value: [
            {
              agencyCode: '000.00.53.H48',
              parentCode: '26',
              level: 'agency',
              name: 'Sở Nội vụ',
              fullName: 'Sở Nội vụ tỉnh Phú Thọ',
              validFrom: '2025-07-01'
            }
          ]
        }
      }
    },
    responses: { 201: { description: 'How many units were imported' } }
  },
  'POST /v1/units/seed/vn-2025': {
    operationId: 'seedNationalUnits',
    refusals: ['tree-already-loaded'],
    responses: { 201: { description: 'The national tree is loaded' } }
  },
  'GET /v1/instruments': {
    operationId: 'listInstruments',
    description: 'Every version of every questionnaire, the standard SIPAS-2017 one first.',
    responses: { 200: { description: 'Every questionnaire version' } }
  },
  'POST /v1/instruments': {
    operationId: 'createInstrumentVersion',
    refusals: ['instrument-invalid', 'concurrent-change'],
    requestExamples: {
      'application/json': {
        variant: {
          summary: "A province's variant of the standard questionnaire",
          value: { ...instrumentDraft, code: 'SIPAS-PT', name: 'SIPAS Phú Thọ' }
        }
      }
    },
    responses: { 201: { description: 'The new version' } }
  },
  'GET /v1/instruments/{code}/versions/{version}': {
    operationId: 'getInstrumentVersion',
    description: 'The full definition of one version, as campaigns that use it score their responses.',
    responses: { 200: { description: 'The questionnaire version' } }
  },
  'POST /v1/campaigns': {
    operationId: 'createCampaign',
    refusals: ['campaign-invalid'],
    responses: { 201: { description: 'The campaign, a draft' } }
  },
  'GET /v1/campaigns': { operationId: 'listCampaigns', responses: { 200: { description: 'The matching campaigns' } } },
  'GET /v1/campaigns/{id}': { operationId: 'getCampaign', responses: { 200: { description: 'The campaign' } } },
  'PATCH /v1/campaigns/{id}': {
    operationId: 'updateCampaign',
    refusals: ['campaign-not-draft', 'campaign-invalid'],
    requestExamples: {
      'application/json': {
        window: { summary: 'Extend the collection window', value: { collectionEnd: '2026-12-15' } }
      }
    },
    responses: { 200: { description: 'The campaign, changed' } }
  },
  'POST /v1/campaigns/{id}/transitions': {
    operationId: 'transitionCampaign',
    refusals: ['transition-refused', 'publication-not-approved', 'concurrent-change'],
    responses: { 200: { description: 'The campaign in its new status' } }
  },
  'GET /v1/campaigns/{id}/events': {
    operationId: 'listCampaignEvents',
    responses: { 200: { description: 'Status changes, oldest first' } }
  },
  'POST /v1/campaigns/{id}/frame': {
    operationId: 'uploadFrame',
    refusals: ['frame-locked', 'frame-invalid'],
    responses: { 201: { description: 'What the frame holds now' } }
  },
  'GET /v1/campaigns/{id}/frame': {
    operationId: 'getFrameSummary',
    responses: { 200: { description: 'Counts by unit and channel' } }
  },
  'DELETE /v1/campaigns/{id}/frame': {
    operationId: 'deleteFrame',
    refusals: ['frame-locked'],
    responses: { 200: { description: 'How many records were deleted' } }
  },
  'POST /v1/campaigns/{id}/sample-design': {
    operationId: 'createSampleDesign',
    refusals: [
      'campaign-not-sampled',
      'sample-already-drawn',
      'frame-empty',
      'unknown-stratum',
      'sample-design-invalid'
    ],
    responses: { 200: { description: 'The sample design, stored' } }
  },
  'GET /v1/campaigns/{id}/sample-design': {
    operationId: 'getSampleDesign',
    refusals: ['sample-design-missing'],
    responses: { 200: { description: 'The sample design' } }
  },
  'POST /v1/campaigns/{id}/sample': {
    operationId: 'drawSample',
    refusals: ['sample-design-missing', 'campaign-not-sampling', 'sample-already-drawn', 'concurrent-change'],
    requestExamples: {
      'application/json': { seeded: { summary: 'A seed the province announces', value: { seed: 'phu-tho-2026' } } }
    },
    responses: { 201: { description: 'The sample, drawn' } }
  },
  'GET /v1/campaigns/{id}/sample': {
    operationId: 'exportSample',
    responses: { 200: { description: 'The sample slots (JSON or CSV)' } }
  },
  'PATCH /v1/campaigns/{id}/sample/{slotId}': {
    operationId: 'recordSlotOutcome',
    refusals: ['slot-final'],
    responses: { 200: { description: 'The slot with its outcome' } }
  },
  'POST /v1/campaigns/{id}/sample/{slotId}/replacement': {
    operationId: 'replaceSlot',
    refusals: ['slot-final', 'slot-already-replaced', 'reserve-exhausted', 'concurrent-change'],
    responses: { 201: { description: 'The reserve that replaces the slot' } }
  },
  'GET /v1/campaigns/{id}/progress': {
    operationId: 'getProgress',
    refusals: ['sample-design-missing'],
    responses: { 200: { description: 'Progress and response rates' } }
  },
  'POST /v1/clients': {
    operationId: 'createClient',
    refusals: ['client-invalid'],
    responses: { 201: { description: 'The client and its key, shown this once' } }
  },
  'GET /v1/clients': { operationId: 'listClients', responses: { 200: { description: 'The API clients' } } },
  'POST /v1/clients/{id}/rotation': {
    operationId: 'rotateClientKey',
    responses: { 200: { description: 'The client and its new key, shown this once' } }
  },
  'DELETE /v1/clients/{id}': {
    operationId: 'revokeClient',
    responses: { 200: { description: 'The client, revoked' } }
  },
  'POST /v1/responses': {
    operationId: 'postResponse',
    refusals: [
      'response-invalid',
      'campaign-not-collecting',
      'outside-collection-window',
      'channel-not-accepted',
      'unit-out-of-scope',
      'external-id-reused',
      'already-answered'
    ],
    requestExamples: {
      'application/json': { interview: { summary: 'A response from an interview', value: RESPONSE_EXAMPLE } }
    },
    responses: {
      200: {
        description: 'Already stored with the same content (a retry): the stored one',
        examples: { duplicate: { summary: 'A retried post', value: { ...ACCEPTED, status: 'duplicate' } } }
      },
      201: {
        description: 'Stored',
        examples: { accepted: { summary: 'A new response', value: ACCEPTED } }
      }
    }
  },
  'POST /v1/responses/batch': {
    operationId: 'postResponseBatch',
    refusals: ['batch-refused'],
    responses: {
      200: {
        description: 'One result per record, in order (with ?atomic=true: all stored, or a 422 and none)',
        examples: { outcomes: { summary: 'One record of each outcome', value: BATCH_ANSWER } }
      }
    }
  },
  'POST /v1/campaigns/{id}/computations': {
    operationId: 'createComputation',
    refusals: [
      'sample-design-missing',
      'lonely-psu',
      'calibration-frame-missing',
      'calibration-cell-without-respondents',
      'calibration-cell-without-total',
      'calibration-margin-totals',
      'calibration-raking-convergence',
      'calibration-variable-missing',
      'calibration-failed'
    ],
    responses: {
      201: { description: 'Computed: the computation with its draft results' },
      202: { description: 'Computing as a job: poll the Location for its progress' }
    }
  },
  'GET /v1/campaigns/{id}/computations/{computationId}': {
    operationId: 'getComputation',
    responses: { 200: { description: 'The computation' } }
  },
  'POST /v1/campaigns/{id}/publications': {
    operationId: 'createPublication',
    refusals: ['campaign-not-closed', 'computation-of-other-campaign', 'computation-not-done', 'concurrent-change'],
    requestExamples: {
      'application/json': {
        first: { summary: 'Publish a computation', value: { computationId: UUIDS.computation } },
        correction: {
          summary: 'Publish a correction',
          value: { computationId: UUIDS.computation, note: 'Hai phiếu của xã Hòa Bình bị nhập trùng đã được loại.' }
        }
      }
    },
    responses: {
      201: {
        description: 'The draft publication, for approval',
        examples: { draft: { summary: 'A draft', value: DRAFT_PUBLICATION } }
      }
    }
  },
  'POST /v1/campaigns/{id}/publications/{publicationId}/approval': {
    operationId: 'approvePublication',
    refusals: [
      'publication-already-approved',
      'publication-superseded',
      'decision-date-out-of-range',
      'concurrent-change'
    ],
    requestExamples: {
      'application/json': {
        decision: {
          summary: "The Provincial People's Committee's decision, with the signed copy's hash",
          value: APPROVAL_INPUT
        }
      }
    },
    responses: {
      201: {
        description: 'The publication, approved and now public',
        examples: { published: { summary: 'Approved', value: PUBLISHED_PUBLICATION } }
      }
    }
  },
  'GET /v1/campaigns/{id}/publications': {
    operationId: 'listCampaignPublications',
    description:
      "Every version of the campaign's results, corrections included: the published ones, and for its managers the drafts too.",
    responses: { 200: { description: 'The publications' } }
  },
  'GET /v1/campaigns/{id}/publications/{publicationId}/report': {
    operationId: 'getCampaignPublicationReport',
    responses: { 200: { description: 'The report, an HTML page (marked DỰ THẢO on every page for a draft)' } }
  },
  'GET /v1/public/publications': {
    operationId: 'listPublications',
    description: 'What portals list: the latest version of each published campaign, newest year first.',
    responses: { 200: { description: 'The publications' } }
  },
  'GET /v1/public/publications/{id}': {
    operationId: 'getPublication',
    responses: { 200: { description: 'The publication (JSON) or its ranking (CSV)' } }
  },
  'GET /v1/public/publications/{id}/units/{unitId}': {
    operationId: 'getPublicationUnit',
    responses: {
      200: {
        description: "The unit's published figures",
        examples: { commune: { summary: "A commune's figures", value: PUBLISHED_UNIT } }
      }
    }
  },
  'GET /v1/public/publications/{id}/report': {
    operationId: 'getPublicationReport',
    responses: { 200: { description: 'The report, an HTML page' } }
  },
  'GET /v1/public/units/{unitId}/series': {
    operationId: 'getUnitSeries',
    description:
      "The latest publication of each year that has the unit, or a unit later merged into it (`viaPredecessor`), and before those the figures imported from the province's earlier publications (`imported`, with their `source`, no SE): a portal's trend chart.",
    responses: {
      200: {
        description: 'One point per year and unit, oldest first',
        examples: {
          series: {
            summary: 'An imported year, then one of the service',
            value: [
              {
                year: 2023,
                campaignId: null,
                publicationId: null,
                unitId: UUIDS.unit,
                viaPredecessor: false,
                imported: true,
                source: 'Quyết định số 456/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Phú Thọ',
                overall: { estimate: 84.01, imported: true }
              },
              {
                year: 2026,
                campaignId: UUIDS.campaign,
                publicationId: UUIDS.publication,
                unitId: UUIDS.unit,
                viaPredecessor: false,
                imported: false,
                source: null,
                overall: { n: 1520, estimate: 87.41, se: 1.12, ci: [85.06, 89.45], ciMethod: 'logit', df: 38 }
              }
            ]
          }
        }
      }
    }
  },
  'POST /v1/history': {
    operationId: 'importHistory',
    refusals: ['history-invalid', 'history-year-published', 'history-already-imported'],
    requestExamples: {
      'application/json': {
        decision: {
          summary: "A province's published results of 2023",
          value: {
            provinceId: UUIDS.province,
            year: 2023,
            source: 'Quyết định số 456/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Phú Thọ',
            figures: [
              { unitId: UUIDS.province, index: 'overall', estimate: 84.01 },
              { unitId: UUIDS.unit, index: 'overall', estimate: 86.2 },
              { unitId: UUIDS.unit, index: 'F3', estimate: 81.5 }
            ]
          }
        }
      }
    },
    responses: {
      201: {
        description: 'What the import stored',
        examples: {
          stored: {
            summary: 'Three figures stored',
            value: { provinceId: UUIDS.province, year: 2023, imported: 3, unchanged: 0 }
          }
        }
      }
    }
  },
  'POST /v1/webhooks': {
    operationId: 'createWebhook',
    refusals: ['unprocessable'],
    requestExamples: {
      'application/json': {
        portal: {
          summary: "A province's portal",
          value: { url: 'https://congthongtin.phutho.gov.vn/hooks/sipas', provinceId: UUIDS.province }
        }
      }
    },
    responses: { 201: { description: 'The subscription and its signing secret, shown this once' } }
  },
  'GET /v1/webhooks': { operationId: 'listWebhooks', responses: { 200: { description: 'The subscriptions' } } },
  'DELETE /v1/webhooks/{id}': {
    operationId: 'deleteWebhook',
    responses: { 200: { description: 'The subscription, ended' } }
  },
  'GET /v1/webhooks/{id}/deliveries': {
    operationId: 'listWebhookDeliveries',
    responses: { 200: { description: 'Deliveries, newest first' } }
  },
  'GET /v1/audit': { operationId: 'listAuditEntries', responses: { 200: { description: 'Audit entries, a page' } } }
}
