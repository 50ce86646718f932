import type { FastifyRequest } from 'fastify'

export type Credential =
  | { kind: 'none' }
  | { kind: 'ambiguous' }
  | { kind: 'bearer' | 'cookie', token: string }

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/

/**
 * Where the token comes from. Policy: a Bearer header or the access cookie; when both are present
 * they must carry the same token, otherwise the request is refused as ambiguous, so a request can
 * never be judged by one credential while another rides along unexamined.
 */
export function readCredential (request: FastifyRequest, cookieName: string | null): Credential {
  const header = request.headers.authorization
  let bearer: string | undefined
  if (header !== undefined) {
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
