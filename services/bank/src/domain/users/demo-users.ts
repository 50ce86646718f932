import type { FastifyInstance } from 'fastify'

/** Development only: the README gives this password. Never seeded with NODE_ENV=production. */
export const DEMO_PASSWORD = 'nestegg-demo-password'
export const DEMO_USERS = [
  { username: 'alice', name: 'Alice Example' },
  { username: 'bob', name: 'Bob Example' }
]

export async function seedDemoUsers (app: FastifyInstance): Promise<void> {
  for (const demo of DEMO_USERS) {
    if (await app.users.findByUsername(demo.username)) continue
    await app.users.signup({ ...demo, password: DEMO_PASSWORD })
    app.log.info({ username: demo.username }, 'seeded demo user')
  }
}
