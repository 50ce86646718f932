// Per-service secrets (docker/secret-init.sh): each service mounts only its own secrets volume, so
// the bank cannot read retirement's database password and retirement cannot read the bank's,
// though both run as the same uid.
import type { Test } from 'tap'
import type { ComposeProject } from '../support/compose-project.js'

const SECRETS = '/run/nestegg-secrets'
// Everywhere a process in the container could find a file: the whole file system but the kernel's.
const SEARCH = ['grep', '-rlF', '--no-messages', '--exclude-dir=proc', '--exclude-dir=sys', '--exclude-dir=dev', '-e']

export async function secretChecks (t: Test, project: ComposeProject): Promise<void> {
  await t.test('each service reads its own secrets and no other service\'s', async (t) => {
    // As root in postgres, the one container that holds all three database passwords.
    const postgresSecret = async (name: string) => (await project.exec('postgres', ['cat', `${SECRETS}/${name}`], { user: '0' })).stdout
    const passwords = {
      bank: await postgresSecret('bank-db-password'),
      retirement: await postgresSecret('retirement-db-password'),
      postgres: await postgresSecret('postgres-password')
    }
    t.ok(Object.values(passwords).every((password) => password.length >= 32), 'secret-init generated the three database passwords')

    const pairs = [['bank', 'retirement'], ['retirement', 'bank']] as const
    for (const [service, other] of pairs) {
      const own = await project.exec(service, ['cat', `${SECRETS}/db-password`])
      t.equal(own.stdout, passwords[service], `${service} reads its own database password`)
      const jwt = await project.exec(service, ['cat', `${SECRETS}/jwt-secret`])
      t.ok(jwt.stdout.length >= 32, `${service} reads the JWT secret (hs256: the bank signs, retirement verifies)`)
      const listing = await project.exec(service, ['ls', '-A', SECRETS])
      t.same(listing.stdout.trim().split('\n').sort(), ['db-password', 'jwt-secret'], `${service}'s secrets volume holds its two files and nothing else`)

      // Searched as the service's user, then as root: the password is in no file of the container.
      // One search as root, which reads every file (so it covers what the user node can read):
      // the files holding any of the three passwords must be exactly the service's own one.
      const found = await project.exec(service, [...SEARCH, passwords[service], '-e', passwords[other], '-e', passwords.postgres, '/'], { user: '0', allowFailure: true })
      t.same(found.stdout.trim().split('\n'), [`${SECRETS}/db-password`],
        `inside ${service}, the only file holding a database password is its own: ${other}'s and the superuser's are in none`)
      const environment = await project.exec(service, ['cat', '/proc/1/environ'])
      t.notOk(Object.values(passwords).some((password) => environment.stdout.includes(password)), `no database password in ${service}'s environment`)
    }
  })
}
