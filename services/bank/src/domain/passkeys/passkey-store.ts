import type { AuthenticatorTransport } from '@simplewebauthn/server'
import type { Kysely } from 'kysely'
import type { BankDatabase, CeremonyPurpose, PasskeysTable, WebauthnChallengesTable } from '../../db/schema.js'

export type PasskeyRow = PasskeysTable
export type ChallengeRow = WebauthnChallengesTable

/** The transports a row keeps comma-separated ("internal,hybrid"), as WebAuthn lists them. */
export function transportsOf (row: Pick<PasskeyRow, 'transports'>): AuthenticatorTransport[] {
  return row.transports === '' ? [] : row.transports.split(',') as AuthenticatorTransport[]
}

/** The queries behind passkeys and their ceremonies; the service decides what they mean. */
export function passkeyStore (db: Kysely<BankDatabase>) {
  return {
    async listForUser (userId: string): Promise<PasskeyRow[]> {
      return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()
    },
    async find (id: string): Promise<PasskeyRow | undefined> {
      return db.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async insert (row: PasskeyRow): Promise<void> {
      await db.insertInto('passkeys').values(row).execute()
    },
    /**
     * Records a use, only if the stored counter is still the one the assertion was checked against:
     * two racing copies of one assertion cannot both move it.
     */
    async recordUse (id: string, expectedCounter: number, counter: number, now: number): Promise<boolean> {
      const result = await db.updateTable('passkeys').set({ counter, last_used_at: now })
        .where('id', '=', id).where('counter', '=', expectedCounter).executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },
    async remove (userId: string, id: string): Promise<boolean> {
      const result = await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    },
    async saveChallenge (row: ChallengeRow, now: number): Promise<void> {
      // Expired challenges go as new ones come: the table holds only ceremonies under way.
      await db.deleteFrom('webauthn_challenges').where('expires_at', '<', now).execute()
      await db.insertInto('webauthn_challenges').values(row).execute()
    },
    /** Takes a challenge out: whoever deletes the row owns the ceremony, a second caller gets nothing. */
    async takeChallenge (challenge: string, purpose: CeremonyPurpose): Promise<ChallengeRow | undefined> {
      const row = await db.selectFrom('webauthn_challenges').selectAll()
        .where('challenge', '=', challenge).where('purpose', '=', purpose).executeTakeFirst()
      if (row === undefined) return undefined
      const result = await db.deleteFrom('webauthn_challenges').where('challenge', '=', challenge).executeTakeFirst()
      return Number(result.numDeletedRows) === 1 ? row : undefined
    }
  }
}

export type PasskeyStore = ReturnType<typeof passkeyStore>
