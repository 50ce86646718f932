import type { Kysely } from 'kysely'
import type { BankDatabase, UsersTable } from '../../db/schema.js'

export type UserRow = UsersTable

export function createUserRepository (db: Kysely<BankDatabase>) {
  return {
    async findByUsername (username: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
    },
    async findById (id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async updatePasswordHash (id: string, passwordHash: string): Promise<void> {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute()
    },
    async insert (user: UserRow): Promise<void> {
      await db.insertInto('users').values(user).execute()
    }
  }
}

export type UserRepository = ReturnType<typeof createUserRepository>
