import type { Db } from './client.js'

/**
 * Runs `work` in one transaction: everything it writes commits together or not at all. `work` must use the
 * `tx` it is given (on PGlite, a query outside the transaction would wait for it forever).
 */
export const withTransaction = <T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> =>
  db.transaction((tx) => work(tx as unknown as Db))
