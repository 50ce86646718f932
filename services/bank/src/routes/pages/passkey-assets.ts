import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'

// src/ and dist/ both sit two levels below the package root, beside public/.
const PASSKEYS_SCRIPT = fileURLToPath(new URL('../../../public/passkeys.js', import.meta.url))
// The browser half of SimpleWebAuthn, its one-file build (it defines window.SimpleWebAuthnBrowser).
const BROWSER_BUNDLE = join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js')

/** The page scripts of the passkey ceremonies, served from the bank's own origin (CSP script-src 'self'). */
export const PASSKEY_SCRIPTS = ['/assets/simplewebauthn-browser.js', '/assets/passkeys.js']

export async function passkeyAssets (app: FastifyInstance, options: { production: boolean }): Promise<void> {
  const files = { '/assets/simplewebauthn-browser.js': BROWSER_BUNDLE, '/assets/passkeys.js': PASSKEYS_SCRIPT }
  for (const [url, file] of Object.entries(files)) {
    // Read once in production; on every request in development so that an edit shows on reload.
    const cached = options.production ? readFileSync(file) : null
    app.get(url, { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8')
        .header('cache-control', options.production ? 'public, max-age=300' : 'no-cache')
        .send(cached ?? readFileSync(file)))
  }
}
