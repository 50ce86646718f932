import { type Kysely, SqliteAdapter, sql } from 'kysely'

/**
 * Issue 18. Each session keeps how and when its customer last signed in (copied into every token,
 * raised only by a step-up); `security_events` is the customer's append-only security activity.
 */

/** Rows younger than this can never be deleted: the floor under SECURITY_EVENTS_RETENTION_DAYS. */
export const SECURITY_EVENTS_MIN_RETENTION_DAYS = 90
const FLOOR_MS = SECURITY_EVENTS_MIN_RETENTION_DAYS * 86_400_000

export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('amr', 'varchar(64)', (column) => column.notNull().defaultTo('pwd')).execute()
  await db.schema.alterTable('sessions').addColumn('acr', 'varchar(32)', (column) => column.notNull().defaultTo('nestegg:pwd')).execute()
  await db.schema.alterTable('sessions').addColumn('auth_time', 'bigint', (column) => column.notNull().defaultTo(0)).execute()
  // A session from before this migration was signed in with a password when it started.
  await sql`update sessions set auth_time = created_at`.execute(db)

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('type', 'varchar(32)', (column) => column.notNull())
    .addColumn('method', 'varchar(32)')
    .addColumn('device', 'varchar(64)')
    .addColumn('detail', 'varchar(256)')
    .addColumn('occurred_at', 'bigint', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('security_events_user').on('security_events').columns(['user_id', 'occurred_at']).execute()
  await db.schema.createIndex('security_events_occurred_at').on('security_events').column('occurred_at').execute()

  // Append-only in the database itself: no UPDATE ever, and a DELETE only of rows past the floor
  // (the retention purge). A bug or a stray query cannot rewrite a customer's history.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create trigger security_events_no_update before update on security_events
      begin select raise(abort, 'security_events is append-only'); end`.execute(db)
    await sql.raw(`create trigger security_events_no_early_delete before delete on security_events
      when old.occurred_at > cast(strftime('%s', 'now') as integer) * 1000 - ${FLOOR_MS}
      begin select raise(abort, 'security_events: only the retention purge deletes, and only old rows'); end`).execute(db)
  } else {
    await sql.raw(`create function security_events_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then raise exception 'security_events is append-only'; end if;
        if old.occurred_at > (extract(epoch from now()) * 1000)::bigint - ${FLOOR_MS} then
          raise exception 'security_events: only the retention purge deletes, and only old rows';
        end if;
        return old;
      end $$`).execute(db)
    await sql`create trigger security_events_append_only before update or delete on security_events
      for each row execute function security_events_append_only()`.execute(db)
  }
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_events').execute()
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`drop function if exists security_events_append_only()`.execute(db)
  await db.schema.alterTable('sessions').dropColumn('auth_time').execute()
  await db.schema.alterTable('sessions').dropColumn('acr').execute()
  await db.schema.alterTable('sessions').dropColumn('amr').execute()
}
