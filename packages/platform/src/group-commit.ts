import { CompiledQuery, type Kysely } from 'kysely'
import { type DatabaseHandle, writeTransaction } from './database.js'

export interface GroupCommitOptions {
  /** Most units of work sharing one commit. */
  maxBatch?: number
  /**
   * How long the first unit of a batch waits for others, in ms. 0 (the default) waits one turn of
   * the event loop: what arrived while the previous commit was syncing joins the next one.
   */
  maxWaitMs?: number
}

export interface GroupCommit<DB> {
  /**
   * Runs `work` in a write transaction and resolves only after that transaction's commit is on
   * disk (unless SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY lowered it). `work` may run more
   * than once (PostgreSQL retries) and must have no side effects outside the transaction.
   */
  run: <T>(work: (trx: Kysely<DB>) => Promise<T>) => Promise<T>
  /** Commits so far and the units of work they carried, for tests and the bench. */
  stats: () => { commits: number, units: number, largestBatch: number }
}

interface Unit<DB> {
  work: (trx: Kysely<DB>) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

type Outcome = { ok: true, value: unknown } | { ok: false, error: unknown }

const raw = (text: string) => CompiledQuery.raw(text, [])
const BEGIN = raw('begin immediate')
const COMMIT = raw('commit')
const ROLLBACK = raw('rollback')
const SAVEPOINT = raw('savepoint unit')
const RELEASE = raw('release unit')
const ROLLBACK_TO = raw('rollback to unit')

/**
 * Group commit. On SQLite there is one writer and a commit's sync is most of a small transaction's
 * cost, so units of work that arrive together share one transaction and one sync: each runs inside
 * its own savepoint, so a unit that throws (insufficient funds, a reused key) rolls back only
 * itself, and every unit is answered after the shared commit returns. If the commit itself fails,
 * every unit of the batch fails with it and nothing of it is booked.
 *
 * The flush runs on the next turn of the loop and takes what is queued, up to `maxBatch`. The
 * commit's sync runs off the event loop (durable-sqlite-dialect.ts): once a batch's COMMIT returned,
 * the next batch may commit while this one is synced, and the batches that committed during one sync
 * share the next (a sync covers only commits made before it started).
 *
 * On PostgreSQL each unit is its own transaction (writeTransaction, with its retries): the server
 * already flushes concurrent commits together.
 */
export function createGroupCommit<DB> (database: DatabaseHandle<DB>, options: GroupCommitOptions = {}): GroupCommit<DB> {
  const maxBatch = options.maxBatch ?? 64
  const maxWaitMs = options.maxWaitMs ?? 0
  const counts = { commits: 0, units: 0, largestBatch: 0 }
  const stats = () => ({ ...counts })
  if (database.engine !== 'sqlite') {
    return {
      run: async (work) => {
        const value = await writeTransaction(database, work)
        counts.commits++
        counts.units++
        counts.largestBatch = 1
        return value
      },
      stats
    }
  }

  const queue: Array<Unit<DB>> = []
  let scheduled = false
  let timer: NodeJS.Timeout | undefined
  let flushing = false

  function schedule (): void {
    if (flushing) return // the running flush takes what is queued when its commit returns
    if (timer !== undefined && queue.length >= maxBatch) {
      clearTimeout(timer)
      timer = undefined
      scheduled = false
    }
    if (scheduled) return
    scheduled = true
    // After the wait, one more turn: requests that arrived during it are read before the flush.
    if (maxWaitMs > 0 && queue.length < maxBatch) timer = setTimeout(() => setImmediate(flush), maxWaitMs)
    else setImmediate(flush)
  }

  async function flush (): Promise<void> {
    scheduled = false
    timer = undefined
    flushing = true
    let committed = false
    // Once this batch's COMMIT returned, the next batch may run while this one is synced.
    const next = () => {
      if (committed) return
      committed = true
      flushing = false
      if (queue.length > 0) schedule()
    }
    try {
      await commitBatch(queue.splice(0, maxBatch), next)
    } finally {
      next()
    }
  }

  async function commitBatch (batch: Array<Unit<DB>>, committed: () => void): Promise<void> {
    let outcomes: Outcome[]
    try {
      // Resolves once the commit is on disk: the driver waits for the sync of the write-ahead log.
      outcomes = await database.db.connection().execute(async (connection) => {
        await connection.executeQuery(BEGIN)
        try {
          const done: Outcome[] = []
          for (const unit of batch) done.push(await runInSavepoint(connection, unit))
          await connection.executeQuery(COMMIT)
          committed()
          return done
        } catch (error) {
          await connection.executeQuery(ROLLBACK).catch(() => {})
          throw error
        }
      })
    } catch (error) {
      for (const unit of batch) unit.reject(error)
      return
    }
    counts.commits++
    counts.units += batch.length
    counts.largestBatch = Math.max(counts.largestBatch, batch.length)
    batch.forEach((unit, i) => {
      const outcome = outcomes[i] as Outcome
      if (outcome.ok) unit.resolve(outcome.value)
      else unit.reject(outcome.error)
    })
  }

  /** A unit's failure rolls back its savepoint; a failure to do that fails the whole batch. */
  async function runInSavepoint (connection: Kysely<DB>, unit: Unit<DB>): Promise<Outcome> {
    await connection.executeQuery(SAVEPOINT)
    let outcome: Outcome
    try {
      outcome = { ok: true, value: await unit.work(connection) }
    } catch (error) {
      await connection.executeQuery(ROLLBACK_TO)
      outcome = { ok: false, error }
    }
    await connection.executeQuery(RELEASE)
    return outcome
  }

  return {
    run: <T>(work: (trx: Kysely<DB>) => Promise<T>) => new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      schedule()
    }),
    stats
  }
}
