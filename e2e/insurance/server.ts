// A third service that trusts the bank's login: exactly the lines of docs/architecture.md's
// "add a service in five steps", and nothing else. The e2e suite runs it beside the bank and retirement.
import Fastify from 'fastify'
import { relyingParty, requireStepUp } from '@nestegg/shared-auth'
const app = Fastify()
await app.register(relyingParty, { name: 'insurance' })   // its audience: nestegg-insurance
app.get('/api/me', { onRequest: app.authenticate }, async (request) => request.user)
// A route that wants a sign-in at most 5 minutes old: a stale one gets the RFC 9470 challenge.
app.post('/api/claims', { onRequest: [app.authenticate, requireStepUp({ acr: 'nestegg:pwd', maxAgeSeconds: 300 })] }, async () => ({ filed: true }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
