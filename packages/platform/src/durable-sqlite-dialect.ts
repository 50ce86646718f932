import {
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver
} from 'kysely'
import type { WalSync } from './wal-sync.js'

/**
 * Kysely's SQLite dialect, with one change: whoever used the connection and committed (a
 * transaction, or a write outside one) gets the connection's answer only once that commit is on
 * disk (`WalSync`). Every write goes through it, not only the ledger's: the rule is simplest that
 * way, and a write that needs no durability (a rate-limit counter) shares the sync of the others.
 *
 * The connection is handed to the next caller before the sync, so the next transaction runs while
 * this one's commit is being synced. That needs the one-at-a-time lock here: Kysely's own lock for
 * single-connection dialects is released only after `releaseConnection` returns, that is after the
 * sync, so this dialect says it supports many connections and locks by itself.
 */
export class DurableSqliteDialect extends SqliteDialect {
  constructor (private readonly config: SqliteDialectConfig, private readonly wal: WalSync) {
    super(config)
  }

  override createDriver (): Driver {
    return new DurableSqliteDriver(new SqliteDriver(this.config), this.wal)
  }

  override createAdapter (): DialectAdapter {
    return new LockingSqliteAdapter()
  }
}

class LockingSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections (): boolean {
    return true
  }
}

class DurableSqliteDriver implements Driver {
  private busy = false
  private readonly waiting: Array<() => void> = []
  private commitsAtAcquire = 0

  constructor (private readonly inner: SqliteDriver, private readonly wal: WalSync) {}

  async init (): Promise<void> {
    await this.inner.init()
  }

  async acquireConnection (): Promise<DatabaseConnection> {
    // In the order asked; a releasing caller hands the lock straight to the next one.
    if (this.busy) await new Promise<void>((resolve) => { this.waiting.push(resolve) })
    this.busy = true
    this.commitsAtAcquire = this.wal.commits()
    return this.inner.acquireConnection()
  }

  async releaseConnection (): Promise<void> {
    const committedUpTo = this.wal.commits()
    const committed = committedUpTo > this.commitsAtAcquire
    const next = this.waiting.shift()
    if (next !== undefined) next()
    else this.busy = false
    if (committed) await this.wal.syncThrough(committedUpTo)
  }

  async beginTransaction (connection: DatabaseConnection): Promise<void> {
    await this.inner.beginTransaction(connection)
  }

  async commitTransaction (connection: DatabaseConnection): Promise<void> {
    await this.inner.commitTransaction(connection)
  }

  async rollbackTransaction (connection: DatabaseConnection): Promise<void> {
    await this.inner.rollbackTransaction(connection)
  }

  async savepoint (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint(connection, name, compile)
  }

  async rollbackToSavepoint (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint(connection, name, compile)
  }

  async releaseSavepoint (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint(connection, name, compile)
  }

  async destroy (): Promise<void> {
    await this.wal.close()
    await this.inner.destroy()
  }
}
