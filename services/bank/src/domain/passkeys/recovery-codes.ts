import { createHash, randomInt } from 'node:crypto'
import { writeTransaction, type DatabaseHandle } from '@nestegg/platform'
import type { BankDatabase } from '../../db/schema.js'

export const RECOVERY_CODE_COUNT = 10
// Crockford's base32 without I, L, O, U: nothing to misread when typed from paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const GROUPS = 3
const GROUP_LENGTH = 4

/** Upper case, no spaces or dashes, the look-alikes folded: what a customer types may differ in form. */
export function normaliseRecoveryCode (code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
}

/**
 * A plain SHA-256 is enough here, unlike for passwords: each code carries 60 random bits, so a
 * leaked hash cannot be reversed by guessing.
 */
function hashCode (code: string): string {
  return createHash('sha256').update(`nestegg-recovery:${normaliseRecoveryCode(code)}`).digest('hex')
}

function newCode (): string {
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    let group = ''
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)]
    groups.push(group)
  }
  return groups.join('-')
}

/** Recovery codes: shown once, stored hashed, each good for one sign-in. */
export function createRecoveryCodes (database: DatabaseHandle<BankDatabase>, clock: () => number) {
  const { db } = database
  return {
    /** A fresh set replaces every earlier code; the plain codes exist only in this return value. */
    async generate (userId: string): Promise<string[]> {
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode)
      const now = clock()
      await writeTransaction(database, async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
        await trx.insertInto('recovery_codes')
          .values(codes.map((code) => ({ code_hash: hashCode(code), user_id: userId, created_at: now, used_at: null })))
          .execute()
      })
      return codes
    },

    /** How many unused codes the customer has left. */
    async remaining (userId: string): Promise<number> {
      const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('count'))
        .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst()
      return Number(row?.count ?? 0)
    },

    /** Whether this is an unused code of this user, spending nothing (the backoff may yet refuse it). */
    async isUnused (userId: string, code: string): Promise<boolean> {
      const row = await db.selectFrom('recovery_codes').select('user_id')
        .where('code_hash', '=', hashCode(code)).where('user_id', '=', userId).where('used_at', 'is', null)
        .executeTakeFirst()
      return row !== undefined
    },

    /** Spends a code of this user: true once per code, false for a wrong, used or another user's code. */
    async use (userId: string, code: string): Promise<boolean> {
      const result = await db.updateTable('recovery_codes').set({ used_at: clock() })
        .where('code_hash', '=', hashCode(code)).where('user_id', '=', userId).where('used_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    }
  }
}

export type RecoveryCodes = ReturnType<typeof createRecoveryCodes>
