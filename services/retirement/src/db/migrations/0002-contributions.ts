import { type Kysely, sql } from 'kysely'

/**
 * A contribution is written as `pending` before the bank is called, so a crash at any later point
 * leaves a row the worker can finish. The bank is called with the contribution id as its
 * idempotency key; (user_id, idempotency_key) makes a resubmitted form one contribution.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contributions')
    .addColumn('id', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('plan_id', 'varchar(64)', (column) => column.notNull().references('plans.id'))
    .addColumn('from_account_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('amount_cents', 'bigint', (column) => column.notNull().check(sql`amount_cents > 0`))
    .addColumn('idempotency_key', 'varchar(128)', (column) => column.notNull())
    .addColumn('status', 'varchar(16)', (column) =>
      column.notNull().check(sql`status in ('pending', 'completed', 'failed')`))
    .addColumn('tax_year', 'integer', (column) => column.notNull())
    .addColumn('failure_code', 'varchar(64)')
    .addColumn('failure_reason', 'varchar(500)')
    .addColumn('bank_transfer_id', 'varchar(64)')
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (column) => column.notNull())
    .addColumn('last_error', 'varchar(500)')
    .addColumn('request_id', 'varchar(128)')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addColumn('completed_at', 'bigint')
    .execute()
  await db.schema.createIndex('contributions_user_key').unique()
    .on('contributions').columns(['user_id', 'idempotency_key']).execute()
  await db.schema.createIndex('contributions_plan').on('contributions').columns(['plan_id', 'created_at']).execute()
  await db.schema.createIndex('contributions_due').on('contributions').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('contributions_user_year').on('contributions').columns(['user_id', 'tax_year']).execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('contributions').execute()
}
