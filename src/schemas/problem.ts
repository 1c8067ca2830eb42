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
    title: Type.String({ examples: ['The request is not valid'] }),
    status: Type.Integer({ examples: [400] }),
    detail: Type.String({ examples: ['The body is not valid.'] }),
    instance: Type.String({ examples: ['/v1/responses'] }),
    requestId: Type.String({ description: 'The request id, as in the X-Request-Id header and the logs' }),
    errors: Type.Optional(Type.Array(FieldErrorSchema))
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' }
)
export type ProblemBody = Static<typeof ProblemSchema>
