import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The customer's time zone rides in this cookie, set by the bank's settings page and read by both
 * services' pages (cookies are shared across ports on one host, and across COOKIE_DOMAIN otherwise).
 * A display preference only: nothing is decided by it, so it is neither signed nor secret.
 */
export const TIME_ZONE_COOKIE = 'nestegg_tz'
export const DEFAULT_TIME_ZONE = 'UTC'

const ZONES = new Set(Intl.supportedValuesOf('timeZone'))
ZONES.add('UTC')

export function isTimeZone (value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && ZONES.has(value)
}

/** Every zone the runtime knows, UTC first: the settings page's choices. */
export function timeZoneChoices (): string[] {
  return ['UTC', ...[...ZONES].filter((zone) => zone !== 'UTC').sort()]
}

/** The zone pages show times in: the cookie's when it names a real zone, UTC otherwise. */
export function timeZoneOf (request: FastifyRequest): string {
  const value = request.cookies?.[TIME_ZONE_COOKIE]
  return isTimeZone(value) ? value : DEFAULT_TIME_ZONE
}

export interface TimeZoneCookieOptions {
  secure: boolean
  domain?: string | undefined
}

/** Remembers the choice for a year; UTC clears it (the default needs no cookie). */
export function setTimeZoneCookie (reply: FastifyReply, timeZone: string, options: TimeZoneCookieOptions): FastifyReply {
  const attributes = { path: '/', sameSite: 'lax' as const, httpOnly: true, secure: options.secure, ...(options.domain ? { domain: options.domain } : {}) }
  if (timeZone === DEFAULT_TIME_ZONE) return reply.clearCookie(TIME_ZONE_COOKIE, attributes)
  return reply.setCookie(TIME_ZONE_COOKIE, timeZone, { ...attributes, maxAge: 365 * 24 * 3600 })
}
