import type { Kysely } from 'kysely'

/** Failed logins per submitted username (existing or not), shared by every copy of the bank. */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('failures', 'integer', (column) => column.notNull())
    .addColumn('blocked_until', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('login_throttle_updated_at').on('login_throttle').column('updated_at').execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute()
}
