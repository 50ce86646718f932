import { type Kysely, sql } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('type', 'varchar(32)', (column) => column.notNull())
    .addColumn('balance_cents', 'bigint', (column) => column.notNull().defaultTo(0).check(sql`balance_cents >= 0`))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('plans_user_id').on('plans').column('user_id').execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plans').execute()
}
