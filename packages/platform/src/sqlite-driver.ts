import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

export interface SqliteConnection extends SqliteDatabase {
  exec: (text: string) => void
}

/**
 * Node's built-in SQLite (`node:sqlite`) in the shape Kysely's SQLite dialect drives. Built in, so
 * an install compiles no native module and needs no Node headers.
 */
export function openSqlite (path: string, onCommit?: () => void): SqliteConnection {
  const database = new DatabaseSync(path)
  // A statement that may write and leaves no transaction open has committed (an autocommit write,
  // COMMIT, or a ROLLBACK, which a sync does no harm to); a pure SELECT never commits.
  const committed = onCommit === undefined
    ? undefined
    : () => { if (!database.isTransaction) onCommit() }
  return {
    exec: (text) => { database.exec(text) },
    prepare: (text) => new KyselyStatement(database.prepare(text), /^\s*select\b/i.test(text) ? undefined : committed),
    close: () => { database.close() }
  }
}

class KyselyStatement implements SqliteStatement {
  readonly reader: boolean
  constructor (private readonly statement: StatementSync, private readonly committed?: () => void) {
    this.reader = statement.columns().length > 0
  }

  all (parameters: ReadonlyArray<unknown>): unknown[] {
    // An INSERT … RETURNING is a reader too.
    const rows = this.statement.all(...(parameters as SQLInputValue[]))
    this.committed?.()
    return rows
  }

  run (parameters: ReadonlyArray<unknown>): { changes: number | bigint, lastInsertRowid: number | bigint } {
    const result = this.statement.run(...(parameters as SQLInputValue[]))
    this.committed?.()
    return result
  }

  iterate (parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.statement.iterate(...(parameters as SQLInputValue[]))
  }
}
