import type { Kysely } from 'kysely'

/**
 * Passkeys (WebAuthn credentials), the challenges of ceremonies under way, and recovery codes.
 * Numbered 0010: 0009 belongs to the security-events log written beside it.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    // The credential ID, base64url (authenticators keep it under 1023 bytes).
    .addColumn('id', 'varchar(1400)', (column) => column.primaryKey())
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('name', 'varchar(64)', (column) => column.notNull())
    .addColumn('public_key', 'text', (column) => column.notNull())
    .addColumn('counter', 'bigint', (column) => column.notNull())
    .addColumn('transports', 'varchar(256)', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute()
  // One row per ceremony, deleted by the answer that uses it: single use by construction.
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'varchar(128)', (column) => column.primaryKey())
    .addColumn('purpose', 'varchar(16)', (column) => column.notNull())
    .addColumn('user_id', 'varchar(64)')
    .addColumn('session_id', 'varchar(64)')
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .execute()
  await db.schema.createIndex('webauthn_challenges_expires_at').on('webauthn_challenges').column('expires_at').execute()
  // Only hashes of the codes; a used code keeps its row (used_at) so the page can count what is left.
  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema.createIndex('recovery_codes_user_id').on('recovery_codes').column('user_id').execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.dropTable('webauthn_challenges').execute()
  await db.schema.dropTable('passkeys').execute()
}
