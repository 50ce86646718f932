/**
 * Scenario 1, the ceiling: a bare Fastify route answering the same JSON as retirement's /api/me,
 * with a response schema as any Fastify route has, but no auth, no logging, no plugins.
 */
import Fastify from 'fastify'
import { benchServerEnv, exitOnSigterm, USER_VIEW_SCHEMA } from './process-env.js'

const { port } = benchServerEnv()
const app = Fastify({ logger: false })
const user = { id: '00000000-0000-4000-8000-000000000000', username: 'benchuser', name: 'Bench User' }

app.get('/api/me', { schema: { response: { 200: USER_VIEW_SCHEMA } } }, async () => user)
app.get('/readyz', async () => ({ status: 'ready' }))

exitOnSigterm(() => app.close())
await app.listen({ port, host: '127.0.0.1' })
