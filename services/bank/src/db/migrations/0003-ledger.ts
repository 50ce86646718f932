import { type Kysely, sql } from 'kysely'

/**
 * The bank's own accounts as this migration creates them: a migration is history and never follows
 * live code. domain/ledger/bank-accounts.ts names the same ids for the code that uses them
 * (test/db/migrations.test.ts checks that the two agree).
 */
const BANK_OWNED_ACCOUNTS = [
  { id: 'bank-funding', number: '9000000019', type: 'funding', name: 'Nestegg Bank funding' },
  { id: 'bank-retirement-clearing', number: '9000000027', type: 'clearing', name: 'Nestegg Retirement clearing' }
]

/**
 * Accounts, transfers and their entries (double entry). Balances live on the accounts and change only
 * in the transaction that writes the entries; the CHECKs are the last line of defence.
 * Portable DDL: the same statements run on SQLite and PostgreSQL.
 */
export async function up (db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(64)', (column) => column.primaryKey())
    .addColumn('number', 'varchar(16)', (column) => column.notNull().unique())
    // Null for the bank's own accounts.
    .addColumn('user_id', 'varchar(64)', (column) => column.references('users.id'))
    .addColumn('type', 'varchar(16)', (column) => column.notNull())
    .addColumn('name', 'varchar(64)', (column) => column.notNull())
    .addColumn('currency', 'varchar(3)', (column) => column.notNull())
    .addColumn('balance_cents', 'bigint', (column) => column.notNull())
    .addColumn('opening_balance_cents', 'bigint', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addCheckConstraint('accounts_type_known', sql`type in ('checking', 'savings', 'funding', 'clearing')`)
    .addCheckConstraint('accounts_owner_matches_type', sql`(user_id is null) = (type in ('funding', 'clearing'))`)
    // Only the funding account goes below zero: its balance is minus what the bank has issued.
    .addCheckConstraint('accounts_balance_not_negative', sql`balance_cents >= 0 or type = 'funding'`)
    .execute()
  await db.schema.createIndex('accounts_user_id').on('accounts').column('user_id').execute()

  await db.schema
    .createTable('transfers')
    // Time-ordered ids (ledger-ids.ts): ordering by id is ordering by booking time.
    .addColumn('id', 'varchar(32)', (column) => column.primaryKey())
    .addColumn('kind', 'varchar(16)', (column) => column.notNull())
    // The user on whose behalf the transfer was booked; idempotency keys are scoped to them.
    .addColumn('user_id', 'varchar(64)', (column) => column.notNull().references('users.id'))
    .addColumn('idempotency_key', 'varchar(128)')
    .addColumn('request_hash', 'varchar(64)')
    .addColumn('from_account_id', 'varchar(64)', (column) => column.notNull().references('accounts.id'))
    .addColumn('to_account_id', 'varchar(64)', (column) => column.notNull().references('accounts.id'))
    .addColumn('amount_cents', 'bigint', (column) => column.notNull())
    .addColumn('memo', 'varchar(140)')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addCheckConstraint('transfers_kind_known', sql`kind in ('welcome', 'transfer', 'contribution')`)
    .addCheckConstraint('transfers_amount_positive', sql`amount_cents > 0`)
    .addCheckConstraint('transfers_distinct_accounts', sql`from_account_id <> to_account_id`)
    .addUniqueConstraint('transfers_user_idempotency_key', ['user_id', 'idempotency_key'])
    .execute()

  await db.schema
    .createTable('entries')
    .addColumn('transfer_id', 'varchar(32)', (column) => column.notNull().references('transfers.id'))
    .addColumn('account_id', 'varchar(64)', (column) => column.notNull().references('accounts.id'))
    // Negative for the debit, positive for the credit; the two entries of a transfer sum to zero.
    .addColumn('amount_cents', 'bigint', (column) => column.notNull())
    .addColumn('balance_after_cents', 'bigint', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('entries_pk', ['transfer_id', 'account_id'])
    .addCheckConstraint('entries_amount_not_zero', sql`amount_cents <> 0`)
    .execute()
  await db.schema.createIndex('entries_account_transfer').on('entries').columns(['account_id', 'transfer_id']).execute()

  const now = Date.now()
  await (db as Kysely<any>).insertInto('accounts').values(BANK_OWNED_ACCOUNTS.map((account) => ({
    ...account,
    user_id: null,
    currency: 'USD',
    balance_cents: 0,
    opening_balance_cents: 0,
    created_at: now
  }))).execute()
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('entries').execute()
  await db.schema.dropTable('transfers').execute()
  await db.schema.dropTable('accounts').execute()
}
