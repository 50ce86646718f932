// One-shot process: adds the demo users (alice, bob) to the configured database and exits.
// docker-compose.yml runs it as its `seed-demo` service; the server itself never seeds with
// NODE_ENV=production, so a demo has to ask for its users explicitly, here.
import { buildApp } from './app.js'
import { loadBankConfig } from './config.js'
import { seedDemoUsers } from './domain/users/demo-users.js'

let config
try {
  config = loadBankConfig()
} catch (error) {
  process.stderr.write(`seed-demo-users: ${(error as Error).message}\n`)
  process.exit(1)
}
const app = await buildApp({ ...config, SEED_DEMO_USERS: false })
try {
  await app.ready()
  await seedDemoUsers(app)
} finally {
  await app.close()
}
