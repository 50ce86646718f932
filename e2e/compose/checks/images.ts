// The images: each built by one compose service, and slim (compiled JavaScript and the service's
// production dependencies over the Node.js base, nothing from e2e, bench or the compiler).
import { join } from 'node:path'
import type { Test } from 'tap'
import { parse } from 'yaml'
import { ROOT } from '../../test/support/services.js'
import { run } from '../support/command.js'

/** The app layer's budget over the Node.js base image, in MB (10^6 bytes, as docker reports). */
export const APP_LAYER_BUDGET_MB = 40

interface ComposeService { image?: string, build?: unknown, depends_on?: Record<string, unknown> }

/** Services that build an image, and the others naming it, which must depend on the builder (directly or not). */
export async function builderChecks (t: Test): Promise<void> {
  for (const file of ['docker-compose.yml', 'docker-compose.scale.yml']) {
    await t.test(`${file}: each image is built by exactly one service`, async (t) => {
      const { stdout } = await run('docker-compose', ['-f', join(ROOT, file), 'config'])
      const services = (parse(stdout) as { services: Record<string, ComposeService> }).services
      const builders = new Map<string, string[]>()
      for (const [name, service] of Object.entries(services)) {
        if (service.build !== undefined && service.image) builders.set(service.image, [...(builders.get(service.image) ?? []), name])
      }
      t.same([...builders.keys()].sort(), ['nestegg-bank', 'nestegg-retirement'])
      for (const [image, names] of builders) t.equal(names.length, 1, `${image} is built by ${names.join(', ')} only`)
      const dependsOn = (name: string, target: string, seen = new Set<string>()): boolean => {
        const direct = Object.keys(services[name]?.depends_on ?? {})
        if (direct.includes(target)) return true
        return direct.some((next) => !seen.has(next) && dependsOn(next, target, seen.add(next)))
      }
      for (const [name, service] of Object.entries(services)) {
        const builder = builders.get(service.image ?? '')?.[0]
        if (builder !== undefined && builder !== name) t.ok(dependsOn(name, builder), `${name} uses ${service.image} and depends on ${builder}, which builds it`)
      }
    })
  }
}

async function imageSize (image: string): Promise<number> {
  const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', image])
  return Number(stdout.trim())
}

/** Sizes over the base, printed for the README, and what the runtime image must not hold. */
export async function slimImageChecks (t: Test, nodeVersion: string): Promise<void> {
  await t.test('the images hold compiled JavaScript and production dependencies only', async (t) => {
    const base = await imageSize(`nestegg-local/node:${nodeVersion}`)
    t.comment(`nestegg-local/node:${nodeVersion} (the Node.js base): ${(base / 1e6).toFixed(1)} MB`)
    for (const service of ['bank', 'retirement']) {
      const image = `nestegg-${service}`
      const size = await imageSize(image)
      const app = (size - base) / 1e6
      t.comment(`${image}: ${(size / 1e6).toFixed(1)} MB, of which ${app.toFixed(1)} MB over the Node.js base`)
      t.ok(app <= APP_LAYER_BUDGET_MB, `${image}'s app layer (${app.toFixed(1)} MB) is within ${APP_LAYER_BUDGET_MB} MB`)
      const inImage = async (script: string) =>
        (await run('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', script])).stdout.trim()
      const packages = (await inImage('ls /app/node_modules /app/node_modules/@nestegg')).split(/\s+/)
      for (const absent of ['playwright-core', 'typescript', 'tap', 'tsx', 'autocannon', 'e2e', 'bench']) {
        t.notOk(packages.includes(absent), `no ${absent} in ${image}`)
      }
      t.ok(packages.includes('fastify') && packages.includes('kysely'), `${image} holds its production dependencies`)
      const leftovers = await inImage('cd /app && find . \\( -name "*.ts" -o -name "*.map" -o -name "*.o" -o -name "*.c" -o -name "*.tsbuildinfo" -o -name "*.mk" -o -name "*.gyp" \\) -type f | head -5')
      t.equal(leftovers, '', `no TypeScript sources, source maps or compiler leftovers in ${image}`)
      const sqlite = await inImage('node -e "new (require(\'node:sqlite\').DatabaseSync)(\':memory:\'); console.log(process.version)"')
      t.match(sqlite, /^v24\./, `${image} runs Node.js 24, whose built-in SQLite opens a database`)
      const other = service === 'bank' ? 'retirement' : 'bank'
      t.equal(await inImage(`ls /app/services; ls /app/e2e /app/bench 2>/dev/null || true`), service, `${image} holds its own service, not ${other}, e2e or bench`)
    }
  })
}
