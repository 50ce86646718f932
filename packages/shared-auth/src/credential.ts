import type { FastifyRequest } from 'fastify'

export type Credential =
  | { kind: 'none' }
  | { kind: 'ambiguous' }
  | { kind: 'bearer' | 'cookie', token: string }

// RFC 9110 §11.1: the scheme is case-insensitive, and one or more spaces follow it.
const BEARER = /^Bearer +([A-Za-z0-9_.~+/=-]+)$/i

/** Node keeps the first of several Authorization headers; the raw list shows them all. */
function authorizationHeaders (request: FastifyRequest): number {
  const raw = request.raw.rawHeaders
  let count = 0
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]?.toLowerCase() === 'authorization') count++
  }
  return count
}

/**
 * Where the token comes from. Policy: a Bearer header or the access cookie; when both are present
 * they must carry the same token, and there is at most one Authorization header, otherwise the
 * request is refused as ambiguous, so a request can never be judged by one credential while
 * another rides along unexamined.
 */
export function readCredential (request: FastifyRequest, cookieName: string | null): Credential {
  const header = request.headers.authorization
  let bearer: string | undefined
  if (header !== undefined) {
    // Two Authorization headers are two credentials: as ambiguous as a header and a cookie that differ.
    if (authorizationHeaders(request) > 1) return { kind: 'ambiguous' }
    const match = BEARER.exec(header)
    // A malformed Authorization header is a failed credential, not an absent one.
    bearer = match?.[1] ?? ''
  }
  const cookie = cookieName === null ? undefined : request.cookies[cookieName]
  if (bearer === undefined && (cookie === undefined || cookie === '')) return { kind: 'none' }
  if (bearer !== undefined && cookie !== undefined && cookie !== '' && cookie !== bearer) {
    return { kind: 'ambiguous' }
  }
  if (bearer !== undefined) return { kind: 'bearer', token: bearer }
  return { kind: 'cookie', token: cookie as string }
}
