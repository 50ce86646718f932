/**
 * Scenario 1b: the plumbing every Nestegg service runs (createFastify's request ids, access lines and
 * error handler; shared-auth's cookie parsing; the security plugin's headers and CSRF hooks), on a
 * route that asks for no token. Against scenario 2, what single sign-on itself costs.
 */
import { baseConfigProperties, createFastify, loadConfig, securityPlugin } from '@nestegg/platform'
import { AuthConfigProperties, relyingParty } from '@nestegg/shared-auth'
import { Type } from 'typebox'
import { benchServerEnv, exitOnSigterm, USER_VIEW_SCHEMA } from './process-env.js'

const { port } = benchServerEnv()
const config = loadConfig(Type.Object({ ...baseConfigProperties({ port }), ...AuthConfigProperties }))
const app = await createFastify({ logLevel: config.LOG_LEVEL, pretty: false, trustProxy: undefined })
await app.register(securityPlugin, { allowedOrigins: [config.RETIREMENT_URL, config.BANK_URL], csrfCookieName: 'bench_csrf', secureCookies: false })
// No catch-up: this scenario runs without a bank.
await app.register(relyingParty, { name: 'retirement', config, catchUp: false })
const user = { id: '00000000-0000-4000-8000-000000000000', username: 'benchuser', name: 'Bench User' }

app.get('/api/me', { schema: { response: { 200: USER_VIEW_SCHEMA } } }, async () => user)
app.get('/readyz', async () => ({ status: 'ready' }))

exitOnSigterm(() => app.close())
await app.listen({ port, host: '127.0.0.1' })
