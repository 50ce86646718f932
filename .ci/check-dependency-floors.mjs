// Fails when the lockfile resolves a security-relevant dependency below the version with known fixes.
import { readFileSync } from 'node:fs'

const FLOORS = { 'fast-jwt': '6.3.6', '@fastify/jwt': '10.2.8', fastify: '5.8.5' }
// Each must be in the lockfile: shared-auth signs and verifies through @fastify/jwt over fast-jwt.
const REQUIRED = Object.keys(FLOORS)
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'))

const parse = (version) => version.split(/[.-]/).slice(0, 3).map(Number)
const below = (version, floor) => {
  const [a, b] = [parse(version), parse(floor)]
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i]
  return false
}

let bad = 0
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const name = path.split('node_modules/').at(-1)
  const floor = FLOORS[name]
  if (floor && entry.version && below(entry.version, floor)) {
    console.error(`${path} resolves to ${entry.version}, below the floor ${floor}`)
    bad++
  }
}
for (const name of REQUIRED) {
  if (!Object.keys(lock.packages ?? {}).some((path) => path.endsWith(`node_modules/${name}`))) {
    console.error(`${name} is not in the lockfile`)
    bad++
  }
}
if (bad === 0) console.log(`dependency floors hold: ${Object.entries(FLOORS).map(([n, v]) => `${n}>=${v}`).join(', ')}`)
process.exit(bad === 0 ? 0 : 1)
