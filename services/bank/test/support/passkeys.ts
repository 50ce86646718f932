import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { LoggedIn } from '../helper.js'
import { SoftAuthenticator, type CeremonyTweaks } from './soft-authenticator.js'

/** The test bank's defaults: BANK_URL http://localhost:3000. */
export const RP = { rpId: 'localhost', origin: 'http://localhost:3000' }

export async function registrationOptions (app: FastifyInstance, user: LoggedIn) {
  const response = await app.inject({ method: 'POST', url: '/api/passkeys/registration-options', headers: user.bearer })
  if (response.statusCode !== 200) throw new Error(`registration options: ${response.statusCode} ${response.body}`)
  return response.json() as { challenge: string, user: { id: string }, rp: { id: string }, authenticatorSelection: Record<string, unknown> }
}

export async function finishRegistration (app: FastifyInstance, user: LoggedIn, credential: unknown, name = 'Test key'): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/passkeys', headers: user.bearer, payload: { name, credential } })
}

/** A new software passkey registered for the user, through both steps of the API. */
export async function registerPasskey (app: FastifyInstance, user: LoggedIn, name = 'Test key', options: { counter?: boolean } = {}): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator(RP, options)
  const response = await finishRegistration(app, user, authenticator.create(await registrationOptions(app, user)), name)
  if (response.statusCode !== 201) throw new Error(`registration: ${response.statusCode} ${response.body}`)
  return authenticator
}

export async function signInOptions (app: FastifyInstance): Promise<{ challenge: string, userVerification: string, allowCredentials?: unknown[] }> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/passkey/options', payload: {} })
  if (response.statusCode !== 200) throw new Error(`sign-in options: ${response.statusCode} ${response.body}`)
  return response.json()
}

export async function passkeyLogin (app: FastifyInstance, credential: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/auth/passkey/login', payload: { credential } })
}

/** A whole passkey sign-in: options, the authenticator's answer, the login. */
export async function signInWith (app: FastifyInstance, authenticator: SoftAuthenticator, tweaks: CeremonyTweaks = {}): Promise<LightMyRequestResponse> {
  return passkeyLogin(app, authenticator.get(await signInOptions(app), tweaks))
}
