import type { Kysely } from 'kysely'

/**
 * Every relying party gets its own notice of each logout: a delivery row names its party. Rows
 * written before there were several parties were all for retirement.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('logout_deliveries')
    .addColumn('party', 'varchar(32)', (column) => column.notNull().defaultTo('retirement'))
    .execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('logout_deliveries').dropColumn('party').execute()
}
