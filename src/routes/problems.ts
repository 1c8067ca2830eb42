import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PROBLEMS, Problem, problemTypeUri, type ProblemSlug } from '../problems.js'

const ProblemType = Type.Object(
  {
    type: Type.String({ examples: ['/problems/not-found'] }),
    status: Type.Integer({ examples: [404] }),
    title: Type.String({ examples: ['Not found'] }),
    titleVi: Type.String({ description: 'The title in Vietnamese', examples: ['Không tìm thấy'] }),
    description: Type.String()
  },
  { $id: 'ProblemType' }
)

const describe = (slug: ProblemSlug) => ({ type: problemTypeUri(slug), ...PROBLEMS[slug] })

/** The catalogue of problem types, so that every `type` URI in an error resolves to its documentation. */
const problems: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/problems',
    {
      schema: {
        tags: ['problems'],
        summary: 'Every problem type the API can answer',
        response: { 200: Type.Array(ProblemType) }
      }
    },
    async () => (Object.keys(PROBLEMS) as ProblemSlug[]).map(describe)
  )

  app.get(
    '/problems/:slug',
    {
      schema: {
        tags: ['problems'],
        summary: 'One problem type',
        params: Type.Object({ slug: Type.String({ examples: ['invalid-request'] }) }),
        response: { 200: ProblemType }
      }
    },
    async (request) => {
      const slug = request.params.slug
      if (!Object.hasOwn(PROBLEMS, slug)) throw new Problem('not-found', `No problem type "${slug}".`)
      return describe(slug as ProblemSlug)
    }
  )
}
export default problems
