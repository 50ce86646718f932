import type { Test } from 'tap'
import type { RunningService } from './services.js'

/**
 * Every credential an e2e flow has sent or received (tokens, cookie values, passwords, CSRF tokens,
 * the JWT secret). None may ever appear in a service's log output.
 */
const sensitive = new Set<string>()

/** Shorter strings are not credentials here and would only match by accident. */
const MIN_LENGTH = 12

export function markSensitive (value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_LENGTH) return
  sensitive.add(value)
  // A JWT's signature alone is what a log must not give away either.
  const signature = value.split('.')[2]
  if (signature !== undefined && signature.length >= MIN_LENGTH) sensitive.add(signature)
}

const PASSWORD_FIELDS = ['password', 'currentPassword', 'newPassword']
const TOKEN_FIELDS = ['accessToken', 'refreshToken', 'csrfToken', 'token']

/** Marks what a request sends: the Bearer token, each cookie value, any password field. */
export function markRequest (headers: Headers, json: unknown): void {
  const authorization = headers.get('authorization')
  if (authorization !== null) markSensitive(authorization.replace(/^Bearer /, ''))
  for (const pair of (headers.get('cookie') ?? '').split(';')) markSensitive(pair.split('=').slice(1).join('='))
  markSensitive(headers.get('x-csrf-token'))
  if (json !== null && typeof json === 'object') {
    for (const field of PASSWORD_FIELDS) markSensitive((json as Record<string, unknown>)[field])
  }
}

/** Marks what a response hands out: tokens in the body and every Set-Cookie value. */
export function markResponse (body: unknown, setCookies: string[]): void {
  if (body !== null && typeof body === 'object') {
    for (const field of TOKEN_FIELDS) markSensitive((body as Record<string, unknown>)[field])
  }
  for (const line of setCookies) markSensitive(line.split(';')[0]?.split('=').slice(1).join('='))
}

export function sensitiveCount (): number {
  return sensitive.size
}

/** Fails the test for each credential found in any of the services' raw output. */
export function assertNoLeaks (t: Test, services: RunningService[]): void {
  const output = services.map((service) => service.output.join('')).join('\n')
  t.ok(output.length > 0, 'the services wrote log output')
  const leaked = [...sensitive].filter((value) => output.includes(value))
  t.same(leaked.map((value) => `${value.slice(0, 12)}… (${value.length} chars)`), [],
    `none of ${sensitive.size} credentials appears in ${output.split('\n').length} lines of log output`)
}
