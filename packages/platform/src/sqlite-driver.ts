import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

export interface SqliteConnection extends SqliteDatabase {
  exec: (text: string) => void
}

/**
 * Node's built-in SQLite (`node:sqlite`) in the shape Kysely's SQLite dialect drives. Built in, so
 * an install compiles no native module and needs no Node headers.
 */
export function openSqlite (path: string): SqliteConnection {
  const database = new DatabaseSync(path)
  return {
    exec: (text) => { database.exec(text) },
    prepare: (text) => new KyselyStatement(database.prepare(text)),
    close: () => { database.close() }
  }
}

class KyselyStatement implements SqliteStatement {
  readonly reader: boolean
  constructor (private readonly statement: StatementSync) {
    this.reader = statement.columns().length > 0
  }

  all (parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(...(parameters as SQLInputValue[]))
  }

  run (parameters: ReadonlyArray<unknown>): { changes: number | bigint, lastInsertRowid: number | bigint } {
    return this.statement.run(...(parameters as SQLInputValue[]))
  }

  iterate (parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.statement.iterate(...(parameters as SQLInputValue[]))
  }
}
