import { extname, join } from 'node:path'
import { Eta } from 'eta'

/** Templates name the kit's own views as "kit:layout", "kit:alert"; every other name is the service's. */
export const KIT_PREFIX = 'kit:'

/**
 * Eta with two view folders: the service's (the root @fastify/view is given) and the kit's. Eta
 * escapes every <%= %>; templates never build HTML from strings.
 */
export function createKitEta (kitViewsDir: string): Eta {
  const eta = new Eta()
  const resolveInViews = eta.resolvePath
  if (resolveInViews === null) throw new Error('Eta without a file resolver')
  eta.resolvePath = function resolvePath (template, options) {
    if (template.startsWith(KIT_PREFIX)) {
      const name = template.slice(KIT_PREFIX.length)
      return join(kitViewsDir, extname(name) === '' ? `${name}.eta` : name)
    }
    return resolveInViews.call(this, template, options)
  }
  return eta
}
