import type { Generated } from 'kysely'

export interface UsersTable {
  id: string
  username: string
  name: string
  password_hash: string
  created_at: number
}

export interface BankDatabase {
  users: UsersTable
}

export type { Generated }
