import Type, { type Static } from 'typebox'
import { Uuid } from './common.js'
import { CampaignYear } from './campaigns.js'

/**
 * Published figures of years before the service, brought in so that a unit's series does not start empty:
 * point figures per unit and index, with the document they were published in, no SEs.
 */
export const ImportedFigureInput = Type.Object(
  {
    unitId: Uuid,
    index: Type.String({
      pattern: '^(overall|[A-Z][A-Z0-9]*(\\.[A-Z0-9]+)*)$',
      maxLength: 32,
      description: '"overall" (the SIPAS index), or a factor or criterion code as that year\'s questionnaire named it',
      examples: ['overall', 'F3', 'F3.2']
    }),
    estimate: Type.Number({ minimum: 0, maximum: 100, description: 'Percent, as published', examples: [84.01] })
  },
  { additionalProperties: false }
)

export const HistoryImport = Type.Object(
  {
    provinceId: Uuid,
    year: CampaignYear,
    source: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '\\S',
      description: 'The document that published the figures: it is shown with every one of them',
      examples: ['Quyết định số 456/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Phú Thọ']
    }),
    figures: Type.Array(ImportedFigureInput, { minItems: 1, maxItems: 100_000 })
  },
  { additionalProperties: false }
)
export type HistoryImport = Static<typeof HistoryImport>

export const HistoryReport = Type.Object(
  {
    provinceId: Uuid,
    year: CampaignYear,
    imported: Type.Integer({ minimum: 0, description: 'Figures stored by this request' }),
    unchanged: Type.Integer({
      minimum: 0,
      description: 'Figures already imported with the same value and document (a repeated import changes nothing)'
    })
  },
  { description: 'What an import of earlier years stored' }
)
export type HistoryReport = Static<typeof HistoryReport>
