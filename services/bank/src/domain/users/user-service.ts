import { randomUUID } from 'node:crypto'
import { type DatabaseHandle, isUniqueViolation, writeTransaction } from '@nestegg/platform'
import type { UserView } from '@nestegg/shared-auth'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'
import { BIDI_CONTROL, CONTROL_CHARACTER } from '../text.js'
import { BidiControlError, InvalidCredentialsError, InvalidNameError, UsernameTakenError, WeakPasswordError, WrongPasswordError, loginThrottled } from '../../errors.js'
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js'
import { createPasswordHasher, type PasswordHasher } from './password-hasher.js'
import { passwordProblem } from './password-policy.js'
import { createUserRepository, type UserRepository, type UserRow } from './user-repository.js'
import { recordSecurityEvent } from '../security/security-events.js'

export interface SignupInput {
  username: string
  password: string
  name: string
}

/** How a failed sign-in is shown in the security activity. */
export interface FailedSignIn {
  method: string
  device?: string | undefined
}

/** Runs inside the signup transaction, so a user never exists without their accounts. */
export type OnSignup = (trx: Kysely<BankDatabase>, user: UserView) => Promise<void>

export function createUserService (
  database: DatabaseHandle<BankDatabase>,
  hasher: PasswordHasher,
  throttle: LoginThrottle,
  onSignup: OnSignup = async () => {}
) {
  const users: UserRepository = createUserRepository(database.db)

  /**
   * One guess at a secret of the user `key` names, under the per-username backoff: refused before
   * judging while the username waits; judged; the wait checked again, so that a burst of parallel
   * guesses is cut off as soon as its first failures are counted, and a guess that lands in the
   * wait is refused whether it was right or wrong. A failure counts against the username (known or
   * not, so the answer never tells them apart) and, for a known user, goes to the security activity.
   */
  async function signInWith (key: string, isRight: (user: UserRow | undefined) => Promise<boolean>, failure: FailedSignIn, wrong: () => Error): Promise<UserView> {
    const before = await throttle.state(key)
    if (before.waitMs > 0) throw loginThrottled(before.waitMs)
    const user = await users.findByUsername(key)
    const ok = await isRight(user)
    const after = await throttle.state(key)
    if (after.waitMs > 0 || !ok || user === undefined) {
      await throttle.recordFailure(key)
      if (user !== undefined) {
        await recordSecurityEvent(database.db, { userId: user.id, type: 'signin.failed', method: failure.method, ...(failure.device ? { device: failure.device } : {}) })
      }
      if (after.waitMs > 0) throw loginThrottled(after.waitMs)
      throw wrong()
    }
    if (after.failures > 0) await throttle.reset(key)
    return { id: user.id, username: user.username, name: user.name }
  }

  return {
    async signup (input: SignupInput): Promise<UserView> {
      const problem = passwordProblem(input.password)
      if (problem !== null) throw new WeakPasswordError(problem)
      const name = input.name.trim()
      if (name === '') throw new InvalidNameError()
      if (BIDI_CONTROL.test(name)) throw new BidiControlError('A name')
      if (await users.findByUsername(input.username)) throw new UsernameTakenError()
      const user = {
        id: randomUUID(),
        username: input.username,
        name,
        password_hash: await hasher.hash(input.password),
        created_at: Date.now()
      }
      const view = { id: user.id, username: user.username, name: user.name }
      try {
        await writeTransaction(database, async (trx) => {
          await createUserRepository(trx).insert(user)
          await onSignup(trx, view)
        })
      } catch (error) {
        if (isUniqueViolation(error)) throw new UsernameTakenError()
        throw error
      }
      return view
    },

    /**
     * Same answer and the same work whether the user is unknown or the password wrong, under the
     * per-username backoff (see `signInWith`). `device` names the browser in the customer's
     * security activity when the password is wrong.
     */
    async authenticate (username: string, password: string, device?: string): Promise<UserView> {
      if (CONTROL_CHARACTER.test(username)) {
        // No user has such a name (signup refuses it), and PostgreSQL cannot hold a NUL in a query:
        // an unknown user, answered after the same work, with no backoff row for a name nobody has.
        await hasher.verify(undefined, password)
        throw new InvalidCredentialsError()
      }
      return signInWith(username.toLowerCase(), async (user) => hasher.verify(user?.password_hash, password),
        { method: 'password', device }, () => new InvalidCredentialsError())
    },

    /**
     * A sign-in with another secret that stands for the password (a recovery code): `isRight`
     * judges it for the user the username names (undefined when none does), under the same backoff
     * and with the same record of failures as the password. A username with control characters is
     * nobody's: refused at once, with no backoff row.
     */
    async authenticateWith (username: string, isRight: (userId: string | undefined) => Promise<boolean>, failure: FailedSignIn, wrong: () => Error): Promise<UserView> {
      if (CONTROL_CHARACTER.test(username)) throw wrong()
      return signInWith(username.toLowerCase(), async (user) => isRight(user?.id), failure, wrong)
    },

    /** Checks the current password, then stores the new one; the caller ends the user's sessions. */
    async changePassword (userId: string, currentPassword: string, newPassword: string): Promise<void> {
      const user = await users.findById(userId)
      if (user === undefined) throw new WrongPasswordError()
      // Guessing the current password is guessing a login: the same backoff applies.
      const { waitMs } = await throttle.state(user.username)
      if (waitMs > 0) throw loginThrottled(waitMs)
      if (!(await hasher.verify(user.password_hash, currentPassword))) {
        await throttle.recordFailure(user.username)
        throw new WrongPasswordError()
      }
      const problem = passwordProblem(newPassword)
      if (problem !== null) throw new WeakPasswordError(problem)
      await users.updatePasswordHash(userId, await hasher.hash(newPassword))
    },

    /**
     * A step-up: the signed-in customer re-enters the password. Throttled as a login is (guessing it
     * is guessing a login); true when right.
     */
    async verifyPassword (userId: string, password: string): Promise<boolean> {
      const user = await users.findById(userId)
      if (user === undefined) return false
      const { waitMs } = await throttle.state(user.username)
      if (waitMs > 0) throw loginThrottled(waitMs)
      if (await hasher.verify(user.password_hash, password)) return true
      await throttle.recordFailure(user.username)
      return false
    },

    async findByUsername (username: string): Promise<UserView | undefined> {
      const user = await users.findByUsername(username)
      return user && { id: user.id, username: user.username, name: user.name }
    },

    async findById (id: string): Promise<UserView | undefined> {
      const user = await users.findById(id)
      return user && { id: user.id, username: user.username, name: user.name }
    }
  }
}

export type UserService = ReturnType<typeof createUserService>

declare module 'fastify' {
  interface FastifyInstance {
    users: UserService
  }
}

export interface UserServiceOptions {
  hashConcurrency?: number
  /** Epoch milliseconds (the app's clock); tests move it for the login backoff. */
  now?: () => number
}

export const userServicePlugin = fp(async function userService (app: FastifyInstance, options: UserServiceOptions) {
  const hasher = createPasswordHasher(options.hashConcurrency)
  app.addHook('onClose', () => hasher.close())
  const throttle = createLoginThrottle(app.database, options.now ?? Date.now)
  app.decorate('users', createUserService(app.database, hasher, throttle,
    (trx, user) => app.accounts.openCustomerAccounts(trx, user.id)))
}, { name: 'bank-users', dependencies: ['bank-database', 'bank-accounts'] })
