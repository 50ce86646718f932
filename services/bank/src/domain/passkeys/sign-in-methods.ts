import { ACR_PASSKEY, ACR_PASSWORD } from '@nestegg/shared-auth'
import type { SignInMethod } from '../sessions/session-service.js'

/** A passkey with user verification: RFC 8176 `hwk` (a hardware-bound key) and `user` (verified). */
export const PASSKEY_SIGN_IN: SignInMethod = Object.freeze({ amr: ['hwk', 'user'], acr: ACR_PASSKEY })

/**
 * A recovery code is a one-time password (RFC 8176 `otp`). It proves no more than a password, so it
 * meets the password level and never the passkey level.
 */
export const RECOVERY_CODE_SIGN_IN: SignInMethod = Object.freeze({ amr: ['otp'], acr: ACR_PASSWORD })
