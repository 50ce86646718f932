import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type PasskeyService, createPasskeyService } from './passkey-service.js'
import { type RecoveryCodes, createRecoveryCodes } from './recovery-codes.js'
import type { WebAuthnSettings } from './webauthn-settings.js'

declare module 'fastify' {
  interface FastifyInstance {
    passkeys: PasskeyService
    recoveryCodes: RecoveryCodes
  }
}

export interface PasskeysPluginOptions {
  settings: WebAuthnSettings
  clock: () => number
}

export const passkeysPlugin = fp(async function passkeys (app: FastifyInstance, options: PasskeysPluginOptions) {
  app.decorate('passkeys', createPasskeyService(app.database.db, { ...options, log: app.log }))
  app.decorate('recoveryCodes', createRecoveryCodes(app.database, options.clock))
}, { name: 'bank-passkeys', dependencies: ['bank-database'] })
