import type { Kysely } from 'kysely'

/**
 * The successor of a spent refresh token, sealed with a key only that token yields: a replay within
 * the grace window gets the same successor back instead of starting a second chain.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refresh_tokens').addColumn('successor_sealed', 'varchar(128)').execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refresh_tokens').dropColumn('successor_sealed').execute()
}
