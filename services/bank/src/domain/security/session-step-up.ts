import type { Authentication } from '@nestegg/shared-auth'
import type { FastifyInstance } from 'fastify'
import { SessionNotFoundError, StepUpFailedError } from '../../errors.js'
import { PASSWORD_SIGN_IN, type SignInMethod } from '../sessions/session-service.js'
import { deviceOf, recordSecurityEvent } from './security-events.js'

/** The signed-in customer asking for a step-up, and the session their token names. */
export interface StepUpCaller {
  userId: string
  sessionId: string | undefined
  userAgent: string | undefined
}

/** A session's raised sign-in: what its next access token carries. */
export interface RaisedSignIn {
  sessionId: string
  sessionSecondsLeft: number
  authentication: Authentication
}

/**
 * A step-up that succeeded: the SAME session's sign-in becomes this one, now, recorded in the security
 * activity under `eventMethod`. The refresh token and the session's other tokens are untouched.
 */
export async function raiseSessionSignIn (app: FastifyInstance, caller: StepUpCaller, method: SignInMethod, eventMethod: string): Promise<RaisedSignIn> {
  const { sessionId } = caller
  if (sessionId === undefined) throw new SessionNotFoundError()
  const raised = await app.sessions.recordAuthentication(sessionId, method)
  // The token named this session; a session of someone else can never be raised through it.
  if (raised.userId !== caller.userId) throw new SessionNotFoundError()
  await recordSecurityEvent(app.database.db, { userId: caller.userId, type: 'step_up', method: eventMethod, device: deviceOf(caller.userAgent) })
  return { sessionId, sessionSecondsLeft: raised.sessionSecondsLeft, authentication: raised.authentication }
}

/** A failed step-up attempt, for the security activity. */
export async function recordFailedStepUp (app: FastifyInstance, caller: StepUpCaller, eventMethod: string): Promise<void> {
  await recordSecurityEvent(app.database.db, { userId: caller.userId, type: 'step_up.failed', method: eventMethod, device: deviceOf(caller.userAgent) })
}

/**
 * The password re-entered for a step-up, for the API and the page alike: a wrong one is recorded and
 * refused (StepUpFailedError, 403); a right one raises the session to nestegg:pwd, now.
 */
export async function passwordStepUp (app: FastifyInstance, caller: StepUpCaller, password: string): Promise<RaisedSignIn> {
  if (!(await app.users.verifyPassword(caller.userId, password))) {
    await recordFailedStepUp(app, caller, 'password')
    throw new StepUpFailedError()
  }
  return raiseSessionSignIn(app, caller, PASSWORD_SIGN_IN, 'password')
}
