import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * A rotated refresh token's successor, kept so that the same successor can be handed out again
 * within the grace window (OAuth 2.0 Security BCP, RFC 9700 §4.14.2), without storing a usable token:
 * it is sealed (AES-256-GCM) under a key derived from the spent token, which the bank never stores
 * (only its SHA-256). Only someone presenting the spent token can open it; a copy of the database
 * cannot.
 */
const keyFrom = (spentToken: string): Buffer => createHmac('sha256', spentToken).update('nestegg refresh successor').digest()

export function sealSuccessor (spentToken: string, successor: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFrom(spentToken), iv)
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()])
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url')
}

/** The successor, or undefined when `sealed` was not made with this token. */
export function openSuccessor (spentToken: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length < 12 + 16 + 1) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(spentToken), bytes.subarray(0, 12))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
