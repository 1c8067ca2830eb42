import Type, { type Static } from 'typebox'

export const FieldErrorSchema = Type.Object(
  {
    in: Type.Union([
      Type.Literal('body'),
      Type.Literal('querystring'),
      Type.Literal('params'),
      Type.Literal('headers'),
      Type.Literal('file')
    ]),
    pointer: Type.String({ description: 'JSON pointer (RFC 6901) into the request part', examples: ['/answers/F1.1'] }),
    detail: Type.String({ examples: ['must be <= 5'] })
  },
  { $id: 'FieldError' }
)

export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'Stable identifier of the problem; documented at that path',
      examples: ['/problems/invalid-request']
    }),
    title: Type.String({
      description: 'In Vietnamese when Accept-Language prefers vi (Content-Language says which); never branch on it',
      examples: ['The request is not valid']
    }),
    status: Type.Integer({ examples: [400] }),
    detail: Type.String({
      description: 'For a person: in Vietnamese where a translation exists, else in English',
      examples: ['The body is not valid.']
    }),
    instance: Type.String({ examples: ['/v1/responses'] }),
    requestId: Type.String({ description: 'The request id, as in the X-Request-Id header and the logs' }),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    // Extension members (RFC 9457 §3.2): each problem type documents those it carries.
    existingId: Type.Optional(
      Type.String({ description: '`external-id-reused`: the response stored under the external id' })
    ),
    reason: Type.Optional(
      Type.String({
        description:
          '`transition-refused`: why, as a code (not-a-transition, not-sampled, sampled, no-units-in-scope, sample-not-drawn, sample-drawn)',
        examples: ['sample-not-drawn']
      })
    ),
    campaignStatus: Type.Optional(
      Type.String({ description: "Refusals that depend on the campaign's status: its status now", examples: ['draft'] })
    ),
    stratum: Type.Optional(
      Type.String({ description: '`lonely-psu`: the stratum with a single primary sampling unit' })
    ),
    figure: Type.Optional(
      Type.Enum(['official', 'after-service'], {
        description: 'calibration problems: the figure whose weights could not be calibrated'
      })
    ),
    margin: Type.Optional(
      Type.String({ description: 'calibration problems: the margin at fault', examples: ['unit × channel'] })
    ),
    cell: Type.Optional(
      Type.String({
        description: 'calibration problems: the cell at fault, as variable=value pairs',
        examples: ['unit=5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11, channel=post']
      })
    ),
    variable: Type.Optional(
      Type.String({ description: '`calibration-variable-missing`: the variable', examples: ['subjectType'] })
    )
  },
  {
    $id: 'Problem',
    description: 'RFC 9457 problem details',
    // A client must ignore extension members it does not know (RFC 9457 §3.2): new ones may come.
    additionalProperties: true
  }
)
export type ProblemBody = Static<typeof ProblemSchema>
