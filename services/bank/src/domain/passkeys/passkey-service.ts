import {
  type AuthenticationResponseJSON, type RegistrationResponseJSON,
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse
} from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { BankDatabase, CeremonyPurpose } from '../../db/schema.js'
import { PasskeyNotFoundError, PasskeyRegistrationError, PasskeyRejectedError } from '../../errors.js'
import type { Passkey } from './passkey-schemas.js'
import { type PasskeyRow, passkeyStore, transportsOf } from './passkey-store.js'
import type { WebAuthnSettings } from './webauthn-settings.js'
import { recordSecurityEventOncePer } from '../security/security-events.js'

/** How often a refused passkey sign-in is written into its owner's activity, at most. */
const REFUSED_SIGN_IN_RECORDED_ONCE_PER_MS = 60_000

/** A ceremony's challenge lives this long: long enough to touch a key, short enough to be useless later. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000

/** The customer and session a registration or step-up ceremony belongs to. */
export interface Caller {
  userId: string
  username: string
  name: string
  sessionId: string | undefined
}

export interface PasskeyServiceOptions {
  settings: WebAuthnSettings
  clock: () => number
  log: FastifyBaseLogger
}

function view (row: PasskeyRow): Passkey {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }
}

/** The challenge a response was made for, read from its client data (checked again by the verifier). */
function challengeOf (clientDataJSON: string): string {
  try {
    const challenge = (JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)) as { challenge?: unknown }).challenge
    return typeof challenge === 'string' ? challenge : ''
  } catch {
    return ''
  }
}

/**
 * The WebAuthn ceremonies. Every options call stores its challenge with its purpose (and, but for
 * sign-in, the customer and session); every answer takes that row out before anything else, so a
 * challenge serves one answer, for its own purpose and caller, within CHALLENGE_TTL_MS.
 */
export function createPasskeyService (db: Kysely<BankDatabase>, options: PasskeyServiceOptions) {
  const { settings, clock, log } = options
  const store = passkeyStore(db)
  const userVerification = 'required' as const

  async function save (challenge: string, purpose: CeremonyPurpose, caller?: Caller): Promise<void> {
    const now = clock()
    await store.saveChallenge({
      challenge,
      purpose,
      user_id: caller?.userId ?? null,
      session_id: caller?.sessionId ?? null,
      expires_at: now + CHALLENGE_TTL_MS
    }, now)
  }

  /** The stored challenge this response answers, if it is unused, unexpired and the caller's own. */
  async function take (clientDataJSON: string, purpose: CeremonyPurpose, caller?: Caller): Promise<string | undefined> {
    const row = await store.takeChallenge(challengeOf(clientDataJSON), purpose)
    if (row === undefined || row.expires_at < clock()) return undefined
    if (caller !== undefined && (row.user_id !== caller.userId || row.session_id !== (caller.sessionId ?? null))) return undefined
    return row.challenge
  }

  return {
    async list (userId: string): Promise<Passkey[]> {
      return (await store.listForUser(userId)).map(view)
    },

    async registrationOptions (caller: Caller) {
      const existing = await store.listForUser(caller.userId)
      const creation = await generateRegistrationOptions({
        rpName: settings.rpName,
        rpID: settings.rpId,
        userName: caller.username,
        userDisplayName: caller.name,
        userID: new TextEncoder().encode(caller.userId),
        attestationType: 'none',
        // A discoverable credential is what lets the login page ask for no username.
        authenticatorSelection: { residentKey: 'required', userVerification },
        excludeCredentials: existing.map((row) => ({ id: row.id, transports: transportsOf(row) }))
      })
      await save(creation.challenge, 'register', caller)
      return creation
    },

    async register (caller: Caller, name: string, response: RegistrationResponseJSON): Promise<Passkey> {
      const challenge = await take(response.response.clientDataJSON, 'register', caller)
      if (challenge === undefined) throw new PasskeyRegistrationError('the challenge is unknown, used, expired or not yours')
      const result = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: settings.origin,
        expectedRPID: settings.rpId,
        requireUserVerification: true
      }).catch((error: Error) => { throw new PasskeyRegistrationError(error.message) })
      if (!result.verified) throw new PasskeyRegistrationError('the attestation did not verify')
      const { credential } = result.registrationInfo
      if (await store.find(credential.id) !== undefined) throw new PasskeyRegistrationError('this passkey is already registered')
      const row: PasskeyRow = {
        id: credential.id,
        user_id: caller.userId,
        name,
        public_key: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: (credential.transports ?? []).join(','),
        created_at: clock(),
        last_used_at: null
      }
      await store.insert(row)
      return view(row)
    },

    /** Sign-in asks for any discoverable credential; a step-up only for the caller's own passkeys. */
    async authenticationOptions (purpose: 'signin' | 'step-up', caller?: Caller) {
      const allow = caller === undefined ? undefined : (await store.listForUser(caller.userId)).map((row) => ({ id: row.id }))
      const request = await generateAuthenticationOptions({ rpID: settings.rpId, userVerification, allowCredentials: allow })
      await save(request.challenge, purpose, caller)
      return request
    },

    /**
     * Checks an assertion: its challenge (taken, so never twice), origin, RP ID, user verification,
     * signature and counter. Resolves the passkey's owner; a step-up must be the caller's own passkey.
     */
    async authenticate (purpose: 'signin' | 'step-up', response: AuthenticationResponseJSON, caller?: Caller): Promise<{ userId: string, passkey: Passkey }> {
      const challenge = await take(response.response.clientDataJSON, purpose, caller)
      const row = await store.find(response.id)
      const refuse = (why: string) => {
        log.info({ purpose, why }, 'passkey assertion refused')
        return new PasskeyRejectedError()
      }
      if (challenge === undefined) throw refuse('challenge unknown, used, expired or not the caller\'s')
      if (row === undefined) throw refuse('unknown credential')
      if (caller !== undefined && row.user_id !== caller.userId) throw refuse('another customer\'s passkey')
      const handle = response.response.userHandle
      if (handle !== undefined && isoBase64URL.toUTF8String(handle) !== row.user_id) throw refuse('user handle does not match')
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: settings.origin,
        expectedRPID: settings.rpId,
        requireUserVerification: true,
        credential: {
          id: row.id,
          publicKey: isoBase64URL.toBuffer(row.public_key),
          counter: row.counter,
          transports: transportsOf(row)
        }
      }).catch((error: Error) => { throw refuse(error.message) })
      if (!result.verified) throw refuse('signature')
      const now = clock()
      if (!(await store.recordUse(row.id, row.counter, result.authenticationInfo.newCounter, now))) throw refuse('counter moved meanwhile')
      return { userId: row.user_id, passkey: view({ ...row, counter: result.authenticationInfo.newCounter, last_used_at: now }) }
    },

    /**
     * A refused sign-in with credential `id`: a `signin.failed` for the passkey's owner, at most one
     * a minute (the credential ID is all it takes). An unknown credential names no customer: its
     * user handle is only the caller's word (docs/security.md).
     */
    async recordRefusedSignIn (id: string, device: string): Promise<void> {
      const owner = (await store.find(id))?.user_id
      if (owner === undefined) return
      await recordSecurityEventOncePer(db, { userId: owner, type: 'signin.failed', method: 'passkey', device, at: clock() }, REFUSED_SIGN_IN_RECORDED_ONCE_PER_MS)
    },

    async remove (userId: string, id: string): Promise<Passkey> {
      const row = await store.find(id)
      if (row === undefined || row.user_id !== userId || !(await store.remove(userId, id))) throw new PasskeyNotFoundError()
      return view(row)
    }
  }
}

export type PasskeyService = ReturnType<typeof createPasskeyService>
