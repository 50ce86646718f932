import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'
import { describeUserAgent } from '../sessions/user-agent.js'

/** What the customer's security activity page lists (docs/security.md, "Security activity"). */
export const SECURITY_EVENT_TYPES = [
  'signin',
  'signin.failed',
  'step_up',
  'step_up.failed',
  'password.changed',
  'session.ended',
  'sessions.ended_all',
  'passkey.added',
  'passkey.removed',
  'recovery_code.used'
] as const
export type SecurityEventType = typeof SECURITY_EVENT_TYPES[number]

export interface SecurityEventInput {
  userId: string
  type: SecurityEventType
  /** How: `password`, `passkey`, `recovery_code`… */
  method?: string
  /** "Firefox on Linux": a summary, never the raw User-Agent (see deviceOf). */
  device?: string
  detail?: string
  /** ms since the epoch; now by default. */
  at?: number
}

export interface SecurityEvent {
  id: string
  type: SecurityEventType
  method: string | null
  device: string | null
  detail: string | null
  occurredAt: number
}

/** The device a request came from, as the activity page shows it. */
export function deviceOf (userAgent: string | undefined): string {
  return describeUserAgent(userAgent ?? '')
}

/**
 * Appends one event. The table is append-only (its triggers refuse UPDATE, and DELETE of anything
 * younger than the retention floor), so this is the only write besides the retention purge.
 */
export async function recordSecurityEvent (db: Kysely<BankDatabase>, event: SecurityEventInput): Promise<void> {
  await db.insertInto('security_events').values({
    id: randomUUID(),
    user_id: event.userId,
    type: event.type,
    method: event.method?.slice(0, 32) ?? null,
    device: event.device?.slice(0, 64) ?? null,
    detail: event.detail?.slice(0, 256) ?? null,
    occurred_at: event.at ?? Date.now()
  }).execute()
}

/**
 * Appends the event unless one of the same type and method was recorded for the customer within
 * `withinMs` before `event.at`: for events anyone can cause for someone else (a refused passkey
 * needs only its credential ID), so they cannot push the customer's real activity off the page.
 */
export async function recordSecurityEventOncePer (db: Kysely<BankDatabase>, event: SecurityEventInput & { at: number }, withinMs: number): Promise<boolean> {
  const recent = await db.selectFrom('security_events').select('id')
    .where('user_id', '=', event.userId).where('type', '=', event.type).where('method', event.method === undefined ? 'is' : '=', event.method ?? null)
    .where('occurred_at', '>', event.at - withinMs)
    .limit(1).executeTakeFirst()
  if (recent !== undefined) return false
  await recordSecurityEvent(db, event)
  return true
}

/** The customer's own events, newest first. */
export async function listSecurityEvents (db: Kysely<BankDatabase>, userId: string, limit = 200): Promise<SecurityEvent[]> {
  const rows = await db.selectFrom('security_events').selectAll()
    .where('user_id', '=', userId).orderBy('occurred_at', 'desc').orderBy('id').limit(limit).execute()
  return rows.map((row) => ({
    id: row.id,
    type: row.type as SecurityEventType,
    method: row.method,
    device: row.device,
    detail: row.detail,
    occurredAt: row.occurred_at
  }))
}

/** The retention purge: deletes events older than `before` (ms); answers how many. */
export async function purgeSecurityEvents (db: Kysely<BankDatabase>, before: number): Promise<number> {
  const result = await db.deleteFrom('security_events').where('occurred_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
