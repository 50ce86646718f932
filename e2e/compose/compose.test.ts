// docker compose, proven: builds the production images once on locally built base images (no
// registry is reachable), runs docker-compose.yml with PostgreSQL and then, on the same images,
// docker-compose.scale.yml (two copies of each service behind nginx). Required in CI (CI=true);
// elsewhere it runs only when asked (NESTEGG_COMPOSE_TEST=1), because it needs root, starts a
// Docker daemon and takes minutes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { builderChecks, slimImageChecks } from './checks/images.js'
import { scaleBrowserChecks } from './checks/scale-browser.js'
import { killedCopyChecks, scaleChecks } from './checks/scale-stack.js'
import { secretChecks } from './checks/secrets.js'
import { singleStackChecks } from './checks/single-stack.js'
import { startDockerDaemon, missingTools } from './support/docker-daemon.js'
import { buildBaseImages, ComposeProject, nodeVersionFromDockerfile, resolveComposeFile } from './support/compose-project.js'
import { scaleTopology, singleTopology } from './support/topologies.js'

const required = process.env.CI === 'true'
const asked = process.env.NESTEGG_COMPOSE_TEST === '1'
const missing = required || asked ? await missingTools() : []

if (!required && !asked) {
  t.plan(0, 'compose test skipped: it runs in CI (CI=true), or locally with NESTEGG_COMPOSE_TEST=1 (root; Debian packages docker.io, docker-compose, debootstrap)')
} else if (missing.length > 0 && !required) {
  t.plan(0, `compose test skipped: missing ${missing.join(', ')} (apt-get install docker.io docker-compose debootstrap)`)
} else {
  t.test('docker compose: production images on PostgreSQL, one copy and two behind nginx', async (t) => {
    t.same(missing, [], 'docker.io, docker-compose and debootstrap are installed (.ci/run installs them)')
    if (missing.length > 0) return
    const started = Date.now()
    const lap = (what: string) => t.comment(`${what}: ${Math.round((Date.now() - started) / 1000)}s`)
    const dir = mkdtempSync(join(tmpdir(), 'nestegg-compose-'))
    const log = join(dir, 'compose.log')
    t.comment(`compose test logs: ${dir}`)

    const daemon = await startDockerDaemon(dir)
    t.teardown(async () => {
      await daemon.stop()
      if (t.passing()) rmSync(dir, { recursive: true, force: true })
    })
    lap(daemon.startedHere ? 'dockerd started' : 'dockerd already running')

    await builderChecks(t)
    const nodeVersion = nodeVersionFromDockerfile()
    await buildBaseImages(nodeVersion, log)
    lap(`base images ready (Node.js ${nodeVersion})`)

    // docker-compose.yml: the images are built here, once, and reused by the scale topology.
    const single = await singleTopology(nodeVersion)
    const project = new ComposeProject(await resolveComposeFile(dir, 'single', single.files, single.override), log)
    await project.compose('down', '-v', '--remove-orphans')
    t.teardown(async () => {
      if (!t.passing()) t.comment(await project.logs())
      await project.compose('down', '-v', '--remove-orphans')
    })
    await project.compose('build')
    lap('docker-compose build (bank and retirement, one image each)')
    await slimImageChecks(t, nodeVersion)
    await project.compose('up', '-d')
    await project.waitUntilReady(['postgres', 'bank', 'retirement'], ['secret-init', 'seed-demo'], 300_000)
    lap('docker-compose.yml: every health check passes, secret-init and seed-demo done')
    await secretChecks(t, project)
    await singleStackChecks(t, project, single.ports)
    lap('docker-compose.yml: checks done')
    await project.compose('down', '-v', '--remove-orphans')

    // docker-compose.scale.yml on the same images: `up --no-build` fails rather than build again.
    const scale = await scaleTopology(nodeVersion, dir)
    const scaled = new ComposeProject(await resolveComposeFile(dir, 'scale', scale.files, scale.override), log)
    t.teardown(async () => {
      if (!t.passing()) t.comment(await scaled.logs())
      await scaled.compose('down', '-v', '--remove-orphans')
    })
    await scaled.compose('up', '-d', '--no-build')
    await scaled.waitUntilReady(['postgres', 'bank', 'bank-2', 'retirement', 'retirement-2'], ['secret-init', 'seed-demo'], 300_000, ['nginx'])
    lap('docker-compose.scale.yml: two copies of each service healthy, nginx running')
    const stack = { project: scaled, ports: scale.ports }
    await scaleChecks(t, stack)
    await scaleBrowserChecks(t, scale.bankUrl, scale.retirementUrl)
    await killedCopyChecks(t, stack)
    lap('docker-compose.scale.yml: checks done')
  })
}
