// docker-compose.yml's one-shot `secret-init` service: on the first `docker compose up` it
// generates the secrets into the `secrets` volume; afterwards it keeps what is there, so tokens and
// database passwords survive restarts. `docker compose down -v` deletes them with the data.
// Runs as root to hand each file to the user that reads it: node (uid 1000) runs the services,
// postgres (uid 999) runs the database in the official image.
import { randomBytes } from 'node:crypto'
import { chmodSync, chownSync, existsSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2] ?? '/secrets'
const NODE = 1000
const POSTGRES = 999

/** Each file: who owns it, and which group may also read it. */
const secrets = [
  { name: 'jwt-secret', uid: NODE, gid: NODE, mode: 0o400 },
  { name: 'postgres-password', uid: POSTGRES, gid: POSTGRES, mode: 0o400 },
  // Read by the database's init script (owner) and by the service (group node).
  { name: 'bank-db-password', uid: POSTGRES, gid: NODE, mode: 0o440 },
  { name: 'retirement-db-password', uid: POSTGRES, gid: NODE, mode: 0o440 }
]

for (const { name, uid, gid, mode } of secrets) {
  const file = join(dir, name)
  if (existsSync(file)) {
    console.log(`secret-init: keeping ${name}`)
  } else {
    const temporary = `${file}.tmp`
    writeFileSync(temporary, randomBytes(48).toString('base64url'), { mode: 0o600 })
    renameSync(temporary, file)
    console.log(`secret-init: generated ${name}`)
  }
  chownSync(file, uid, gid)
  chmodSync(file, mode)
}
