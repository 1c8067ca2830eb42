import type { Db } from '../client.js'
import { responseKey, storeResponses, type NewResponse, type StoreOutcome } from './responses.js'

type Cause = { code?: unknown; severity?: unknown; cause?: unknown }
/**
 * An error the server raised while running the statement (it has a severity and a SQLSTATE), other than
 * the connection and resource classes (08, 53, 57): drizzle puts the driver's error in `cause`.
 */
function refusedByServer(error: unknown): boolean {
  for (let e = error as Cause | undefined; e; e = e.cause as Cause | undefined) {
    if (typeof e.severity === 'string' && typeof e.code === 'string') return !/^(08|53|57)/.test(e.code)
  }
  return false
}

/** Responses per statement at most: a statement's size stays that of a small batch. */
const MAX_GROUP = 1000

interface Waiting {
  clientId: string
  response: NewResponse
  key: string
  resolve: (outcome: StoreOutcome) => void
  reject: (error: unknown) => void
}

export interface ResponseQueue {
  /** Stores one response; resolves once the commit that holds it is done. */
  store: (clientId: string, response: NewResponse) => Promise<StoreOutcome>
}

/**
 * Group commit of single responses: responses posted while a group is being written go together in the next
 * statement, so that PostgreSQL parses, plans and commits once for many (a commit waits for the disk). Each
 * caller still gets its own outcome. A response whose external id is already in the group waits for the
 * next one, so that it is told a replay or a conflict exactly as if it came after. If the database refuses a
 * group's statement, its responses are stored one by one, so that a row's own problem fails only its own
 * caller; if the database cannot be reached, that is every caller's answer. `collecting`: the statuses in
 * which a campaign takes responses.
 */
export function responseQueue(db: Db, collecting: readonly string[]): ResponseQueue {
  let queue: Waiting[] = []
  /** A group is being written, or a write is scheduled. */
  let busy = false

  const write = async (group: Waiting[]): Promise<StoreOutcome[]> => {
    const clientIds = group.map((w) => w.clientId)
    const responses = group.map((w) => w.response)
    return responses.some((r) => r.slotId !== null)
      ? await db.transaction((tx) => storeResponses(tx as never, collecting, clientIds, responses))
      : await storeResponses(db, collecting, clientIds, responses)
  }

  const settle = async (group: Waiting[]) => {
    try {
      const outcomes = await write(group)
      group.forEach((w, i) => w.resolve(outcomes[i]))
    } catch (error) {
      if (group.length === 1 || !refusedByServer(error)) {
        for (const w of group) w.reject(error)
        return
      }
      await Promise.all(group.map((w) => write([w]).then(([outcome]) => w.resolve(outcome), w.reject)))
    }
  }

  /** The oldest waiting responses with distinct keys, up to MAX_GROUP; the others keep their place. */
  const take = (): Waiting[] => {
    const group: Waiting[] = []
    const keys = new Set<string>()
    const rest: Waiting[] = []
    for (const w of queue) {
      if (group.length < MAX_GROUP && !keys.has(w.key)) {
        group.push(w)
        keys.add(w.key)
      } else rest.push(w)
    }
    queue = rest
    return group
  }

  const flush = () => {
    if (queue.length === 0) {
      busy = false
      return
    }
    void settle(take()).finally(flush)
  }

  return {
    store: (clientId, response) =>
      new Promise((resolve, reject) => {
        queue.push({
          clientId,
          response,
          key: responseKey(response.campaignId, clientId, response.externalId),
          resolve,
          reject
        })
        // Requests read in the same turn of the event loop reach this point before setImmediate runs: they
        // go together even when nothing is being written.
        if (!busy) {
          busy = true
          setImmediate(flush)
        }
      })
  }
}
