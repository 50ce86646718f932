import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest()
const b64 = (data: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(data))

export interface CeremonyTweaks {
  /** The origin the client data names (a phishing site's, say). */
  origin?: string
  /** The RP ID whose hash the authenticator data carries. */
  rpId?: string
  /** The challenge to sign instead of the one in the options. */
  challenge?: string
  /** Leave the user-verified flag off. */
  noUserVerification?: boolean
}

/**
 * A software passkey authenticator for API tests: one ES256 credential, discoverable, "none"
 * attestation, with a signature counter that grows (or stays 0, like many platform authenticators).
 * It builds the exact bytes a browser and authenticator would, with node:crypto and the CBOR encoder
 * of @simplewebauthn/server.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16)
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  private userHandle: string | undefined
  counter: number

  constructor (readonly defaults: { rpId: string, origin: string }, options: { counter?: boolean } = {}) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }))
    this.counter = options.counter === false ? -1 : 0
  }

  get id (): string {
    return b64(this.credentialId)
  }

  private nextCounter (): number {
    if (this.counter < 0) return 0
    this.counter += 1
    return this.counter
  }

  private authData (rpId: string, flags: number, counter: number, attested?: Uint8Array): Buffer {
    const head = Buffer.alloc(37)
    sha256(rpId).copy(head, 0)
    head[32] = flags
    head.writeUInt32BE(counter, 33)
    return attested === undefined ? head : Buffer.concat([head, attested])
  }

  private coseKey (): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' })
    return isoCBOR.encode(new Map<number, number | Uint8Array>([
      [1, 2], [3, -7], [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))]
    ]))
  }

  private clientData (type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  }

  /** navigator.credentials.create(): answers creation options as a browser would. */
  create (options: { challenge: string, user: { id: string } }, tweaks: CeremonyTweaks = {}): RegistrationResponseJSON {
    this.userHandle = options.user.id
    const clientDataJSON = this.clientData('webauthn.create', tweaks.challenge ?? options.challenge, tweaks.origin ?? this.defaults.origin)
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(this.credentialId.length)
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()])
    const flags = 0x01 | (tweaks.noUserVerification === true ? 0 : 0x04) | 0x40
    const authData = this.authData(tweaks.rpId ?? this.defaults.rpId, flags, this.nextCounter(), attested)
    const attestation = new Map<string, Parameters<typeof isoCBOR.encode>[0]>()
    attestation.set('fmt', 'none').set('attStmt', new Map()).set('authData', new Uint8Array(authData))
    const attestationObject = isoCBOR.encode(attestation)
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ['internal'] },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {}
    }
  }

  /** navigator.credentials.get(): signs the request options' challenge. */
  get (options: { challenge: string }, tweaks: CeremonyTweaks & { counter?: number } = {}): AuthenticationResponseJSON {
    const clientDataJSON = this.clientData('webauthn.get', tweaks.challenge ?? options.challenge, tweaks.origin ?? this.defaults.origin)
    const flags = 0x01 | (tweaks.noUserVerification === true ? 0 : 0x04)
    const authData = this.authData(tweaks.rpId ?? this.defaults.rpId, flags, tweaks.counter ?? this.nextCounter())
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey)
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        ...(this.userHandle === undefined ? {} : { userHandle: this.userHandle })
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {}
    }
  }
}
