import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { isTimeZone, setTimeZoneCookie, timeZoneChoices } from '@nestegg/web-kit'
import { Type } from 'typebox'
import type { Config } from '../../config.js'

/**
 * The customer's settings: the time zone both services show times in. It is kept in the web kit's
 * time-zone cookie, which retirement reads too, so no page needs a script to show local times.
 */
export const settingsPage: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const zones = timeZoneChoices()
  const cookie = { secure: config.BANK_URL.startsWith('https:'), domain: config.COOKIE_DOMAIN }

  app.get('/settings', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 8 })) }) }
  }, async (request, reply) => reply.page('settings', { title: 'Settings', zones, saved: request.query.saved !== undefined }))

  app.post('/settings', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({ timeZone: Type.String({ maxLength: 64 }), _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    if (!isTimeZone(request.body.timeZone)) {
      reply.code(400)
      return reply.page('settings', { title: 'Settings', zones, saved: false, error: 'Choose a time zone from the list.' })
    }
    setTimeZoneCookie(reply, request.body.timeZone, cookie)
    return reply.redirect('/settings?saved=1', 303)
  })
}
