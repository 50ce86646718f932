import { Type, type Static } from 'typebox'

const B64Url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+$' })

const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')])
const Transport = Type.Union(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'].map((name) => Type.Literal(name)))

/** A name the customer gives a passkey ("Work laptop"). */
export const PasskeyName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })

/** What a browser's navigator.credentials.create() answers, as JSON (WebAuthn L3 toJSON()). */
export const RegistrationCredential = Type.Object({
  id: B64Url(1400),
  rawId: B64Url(1400),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64Url(8192),
    attestationObject: B64Url(65536),
    transports: Type.Optional(Type.Array(Transport, { maxItems: 8 }))
  }),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: Type.Object({})
})

/** What navigator.credentials.get() answers, as JSON. */
export const AuthenticationCredential = Type.Object({
  id: B64Url(1400),
  rawId: B64Url(1400),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64Url(8192),
    authenticatorData: B64Url(8192),
    signature: B64Url(8192),
    userHandle: Type.Optional(B64Url(128))
  }),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: Type.Object({})
})

/** A passkey as the API shows it (never its public key or counter). */
export const PasskeyView = Type.Object({
  id: Type.String({ description: 'The credential ID, base64url' }),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The last sign-in or step-up with it; null if never' })
}, { additionalProperties: false })

/** A passkey as the domain keeps it: times in epoch milliseconds. */
export interface Passkey {
  id: string
  name: string
  createdAt: number
  lastUsedAt: number | null
}

export function passkeyJson (passkey: Passkey): Static<typeof PasskeyView> {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString()
  }
}

/** Creation or request options for the browser, as @simplewebauthn/server builds them. */
export const CeremonyOptions = Type.Object({ challenge: Type.String() }, { additionalProperties: true })
