import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { CONTROL_CHARACTER } from '../../domain/text.js'
import { formatMoney } from '@nestegg/web-kit'
import { safeReturnTo } from '../../pages/return-to.js'
import { deviceOf } from '../../domain/security/security-events.js'
import { endSession, issueSessionTokens, sessionToEnd, startSession } from '../api/session-tokens.js'
import { PASSKEY_SCRIPTS } from './passkey-assets.js'

const FormText = (maxLength: number) => Type.String({ maxLength })
const ReturnTo = Type.Optional(FormText(2048))

/**
 * Log in, sign up, log out as HTML forms. Thin on purpose: each calls the same domain functions as
 * the JSON API (users.authenticate / users.signup, sessions.start and issueSessionTokens, sessions.revoke).
 */
export const authPages: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const returnTo = (value: unknown) => safeReturnTo(value, config.BANK_URL, [config.RETIREMENT_URL])
  const retirementOrigin = new URL(config.RETIREMENT_URL).origin
  /** "Log in to continue to Nestegg Retirement" when retirement sent the browser here. */
  const continueTo = (target: string) => /^https?:/.test(target) && new URL(target).origin === retirementOrigin ? 'Nestegg Retirement' : null
  const loggedOut = { kind: 'info', id: 'logged-out', text: 'You have been logged out of Nestegg, at the bank and at retirement.' }
  const welcomeDeposit = config.WELCOME_DEPOSIT_CENTS > 0 ? formatMoney(config.WELCOME_DEPOSIT_CENTS) : null

  app.get('/login', {
    config: { page: true },
    schema: { hide: true, querystring: Type.Object({ return_to: ReturnTo, logged_out: Type.Optional(FormText(8)) }) }
  }, async (request, reply) => {
    const target = returnTo(request.query.return_to)
    // Already logged in (for example, sent here by the retirement service): go straight back.
    const user = await app.verifyUserRequest(request).catch(() => undefined)
    if (user !== undefined) return reply.redirect(target, 303)
    return reply.page('login', {
      title: 'Log in',
      scripts: PASSKEY_SCRIPTS,
      returnTo: target,
      continueTo: continueTo(target),
      notice: request.query.logged_out === undefined ? null : loggedOut,
      username: '',
      error: null
    })
  })

  app.post('/login', {
    config: { page: true },
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({ username: FormText(64), password: FormText(1024), return_to: ReturnTo, _csrf: FormText(256) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const target = returnTo(request.body.return_to)
    try {
      const user = await app.users.authenticate(request.body.username.trim(), request.body.password, deviceOf(request.headers['user-agent']))
      await issueSessionTokens(app, reply, user, await startSession(app, request, user))
      return reply.redirect(target, 303)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code !== 'BANK_INVALID_CREDENTIALS') throw error
      reply.code(401)
      return reply.page('login', { title: 'Log in', scripts: PASSKEY_SCRIPTS, returnTo: target, continueTo: continueTo(target), username: request.body.username, error: 'Invalid username or password.' })
    }
  })

  app.get('/signup', { config: { page: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.page('signup', { title: 'Open an account', welcomeDeposit, values: { name: '', username: '' }, error: null }))

  app.post('/signup', {
    config: { page: true },
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({ name: FormText(200), username: FormText(64), password: FormText(1024), _csrf: FormText(256) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const values = { name: request.body.name.trim(), username: request.body.username.trim().toLowerCase() }
    const problem = !/^[a-z0-9_]{3,32}$/.test(values.username)
      ? 'Choose a username of 3 to 32 lower-case letters, digits or underscores.'
      : values.name === '' || values.name.length > 100 || CONTROL_CHARACTER.test(values.name)
        ? 'Enter your name (up to 100 characters).'
        : null
    try {
      if (problem !== null) throw Object.assign(new Error(problem), { statusCode: 400 })
      const user = await app.users.signup({ ...values, password: request.body.password })
      await issueSessionTokens(app, reply, user, await startSession(app, request, user))
      return reply.redirect('/?welcome=1', 303)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500) throw error
      reply.code(status)
      return reply.page('signup', { title: 'Open an account', welcomeDeposit, values, error: (error as Error).message })
    }
  })

  // The retirement service's "Log out" links here: it cannot post the bank's CSRF token, and a GET
  // must not end a session, so this page asks once and posts the bank's own form.
  app.get('/logout', { config: { page: true }, schema: { hide: true } }, async (request, reply) => {
    const caller = await sessionToEnd(app, request)
    if (caller === undefined) return reply.redirect('/login', 303)
    request.user = caller.user
    return reply.page('logout', { title: 'Log out' })
  })

  app.post('/logout', {
    config: { page: true },
    preHandler: [app.csrfGuard],
    schema: { hide: true, body: Type.Object({ _csrf: FormText(256) }, { additionalProperties: false }) }
  }, async (request, reply) => {
    await endSession(app, reply, await sessionToEnd(app, request))
    return reply.redirect('/login?logged_out=1', 303)
  })
}
