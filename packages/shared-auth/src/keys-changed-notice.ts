import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'

/**
 * The issuer's notice that it withdrew signing keys (an emergency after a key compromise): signed
 * like a logout token, posted to every party's KEYS_CHANGED_PATH through the logout sender. The
 * party then refetches the bank's keys at once and forgets the tokens it accepted under them.
 */
export const KEYS_CHANGED_TOKEN_TYP = 'nestegg-keys+jwt'
export const KEYS_CHANGED_EVENT = 'https://nestegg.invalid/event/keys-changed'
export const KEYS_CHANGED_PATH = '/internal/keys-changed'
export const KEYS_CHANGED_TOKEN_TTL_SECONDS = 120

const Kid = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })

/** The request body (form-encoded, as the logout notice's). */
export const KeysChangedBody = Type.Object({ notice_token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false })

export const KeysChangedClaimsSchema = Type.Object({
  sub: Type.String(),
  iss: Type.String(),
  aud: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]),
  iat: Type.Integer({ minimum: 0 }),
  exp: Type.Integer({ minimum: 0 }),
  jti: Type.String({ minLength: 1, maxLength: 64 }),
  events: Type.Object({ [KEYS_CHANGED_EVENT]: Type.Object({ withdrawn: Type.Array(Kid, { minItems: 1, maxItems: 64 }) }) })
})
export type KeysChangedClaims = Static<typeof KeysChangedClaimsSchema>
export const checkKeysChangedClaims = Compile(KeysChangedClaimsSchema)
