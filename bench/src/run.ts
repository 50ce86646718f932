/**
 * npm run bench [-- --quick] [--rounds N] [--duration S] [--only 1b,2,9] [--profile retirement,bank] [--env NAME=VALUE] [--out FILE]
 *
 * Starts every server as its own process, drives each scenario with autocannon round by round
 * (so a noisy minute hurts every scenario alike), then prints the table and, for a full run,
 * writes it into docs/benchmarks.md. Exits non-zero when a scenario saw errors or a server died;
 * missed targets are reported, not failed: they depend on the machine.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { type LoadResult, type LoadSpec, runLoad, startBackgroundLoad } from './load.js'
import { cpuMicros, isAlive, residentBytes, ROOT, type RunningServer, stopServer } from './processes.js'
import { summarizeProfile } from './profile-summary.js'
import { medianCpu, medianRun, renderReport, type Report, type ScenarioOutcome, spliceResults, type Target } from './report.js'
import { type BenchContext, SCENARIOS, type Scenario, type ServerName, type Settings } from './scenarios.js'
import { loginBenchUser, startStack } from './stack.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'string' },
    env: { type: 'string', multiple: true },
    out: { type: 'string' }
  }
})

const quick = args.quick ?? false
const rounds = Number(args.rounds ?? (quick ? 1 : 3))
const settings: Settings = {
  durationSeconds: Number(args.duration ?? (quick ? 1 : 8)),
  connections: 16,
  loginConnections: 8,
  floodConnections: 32
}
const only = args.only ? new Set(args.only.split(',')) : undefined
let scenarios = SCENARIOS.filter((scenario) => only === undefined || only.has(scenario.id))
const profile = new Set((args.profile ?? '').split(',').filter(Boolean))
const profileDir = join(ROOT, 'bench', 'profiles')
// --env LOG_LEVEL=warn: a setting for both services, to measure what it costs (ablation runs).
const serviceEnv: Record<string, string> = {}
for (const pair of args.env ?? []) {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair)
  if (!match?.[1]) throw new Error(`--env wants NAME=VALUE, got ${pair}`)
  serviceEnv[match[1]] = match[2] ?? ''
}
// A run that changes what is measured (some scenarios, other settings) never rewrites the docs.
const out = args.out ?? (quick || only || args.env ? undefined : join(ROOT, 'docs', 'benchmarks.md'))

const log = (message: string) => process.stderr.write(`bench: ${message}\n`)

/** One request with the scenario's exact request, checked, before any load. */
async function probe (scenario: Scenario, context: BenchContext): Promise<void> {
  const spec = scenario.load(context, settings)
  const freshId = () => `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`
  const replace = (text: string) => (spec.idReplacement ? text.replaceAll('[<id>]', freshId()) : text)
  const headers = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, replace(v)]))
  const send = () => fetch(spec.url, {
    method: spec.method ?? 'GET',
    headers,
    ...(spec.body !== undefined ? { body: replace(spec.body) } : {})
  })
  let response = await send()
  // Retirement refuses to move money (503) until its first catch-up with the bank, which may land a
  // second or two after both answer /readyz.
  for (let waited = 0; response.status === 503 && waited < 15; waited++) {
    await response.text()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    response = await send()
  }
  const text = await response.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  if (response.status >= 300 || !scenario.expect(body, context)) {
    throw new Error(`scenario ${scenario.id} probe: ${spec.method ?? 'GET'} ${spec.url} answered ${response.status} ${text.slice(0, 300)}`)
  }
}

type Servers = Record<ServerName, RunningServer>

/** CPU the scenario's servers used while `work` ran, in microseconds. */
async function withCpu<T> (servers: Servers, names: ServerName[], work: () => Promise<T>): Promise<[T, number | undefined]> {
  const read = () => names.map((name) => cpuMicros(servers[name].pid))
  const before = read()
  const value = await work()
  const after = read()
  let total = 0
  for (let i = 0; i < names.length; i++) {
    const [a, b] = [before[i], after[i]]
    if (a === undefined || b === undefined) return [value, undefined]
    total += b - a
  }
  return [value, total]
}

async function measure (scenario: Scenario, context: BenchContext, servers: Servers, durationSeconds: number): Promise<{ result: LoadResult, background?: LoadResult }> {
  const spec: LoadSpec = { ...scenario.load(context, settings), durationSeconds }
  const flood = scenario.background && startBackgroundLoad(scenario.background(context, settings))
  // Let the storm fill the bank's hashing queue before measuring.
  if (flood) await new Promise((resolve) => setTimeout(resolve, quick ? 300 : 1500))
  const [result, cpu] = await withCpu(servers, scenario.cpuOf ?? [scenario.server], () => runLoad(spec))
  result.cpuMicrosPerRequest = cpu === undefined || result.ok === 0 ? undefined : cpu / result.ok
  return flood ? { result, background: await flood.stop() } : { result }
}

function describeFailures (scenario: Scenario, result: LoadResult): string | undefined {
  if (result.ok === 0) return `scenario ${scenario.id}: no successful response`
  if (result.non2xx > 0 || result.errors > 0) {
    return `scenario ${scenario.id}: ${result.non2xx} non-2xx, ${result.errors} errors (${JSON.stringify(result.statusCodes)})`
  }
  return undefined
}

function ratio (outcomes: Map<string, ScenarioOutcome>, top: string, bottom: string): number | undefined {
  const a = outcomes.get(top)?.median.rps
  const b = outcomes.get(bottom)?.median.rps
  return a === undefined || b === undefined || b === 0 ? undefined : a / b
}

/** The same ratio by cost: how many times less server CPU a request of `top` needs than one of `bottom`. */
function cpuRatio (outcomes: Map<string, ScenarioOutcome>, top: string, bottom: string): number | undefined {
  const a = medianCpu(outcomes.get(top)?.runs ?? [])
  const b = medianCpu(outcomes.get(bottom)?.runs ?? [])
  return a === undefined || b === undefined || a === 0 ? undefined : b / a
}

function targetsFor (outcomes: Map<string, ScenarioOutcome>, resident: Partial<Record<ServerName, number>>): Target[] {
  const largest = Object.values(resident).filter((v): v is number => v !== undefined)
  return [
    { label: 'durable transfers (each answered after its commit is synced) against signed-in reads', formula: '(6)/(2)', value: ratio(outcomes, '6', '2'), cpuValue: cpuRatio(outcomes, '6', '2'), minimum: 0.25 },
    { label: 'what single sign-on itself costs, against the same plumbing without a token', formula: '(2)/(1b)', value: ratio(outcomes, '2', '1b'), cpuValue: cpuRatio(outcomes, '2', '1b'), minimum: 0.9 },
    { label: 'the whole product request against a bare route', formula: '(2)/(1)', value: ratio(outcomes, '2', '1'), cpuValue: cpuRatio(outcomes, '2', '1'), minimum: 0.5 },
    { label: 'the tutorial stack', formula: '(2)/(5)', value: ratio(outcomes, '2', '5'), cpuValue: cpuRatio(outcomes, '2', '5'), minimum: 15 },
    { label: 'introspection', formula: '(2)/(4)', value: ratio(outcomes, '2', '4'), cpuValue: cpuRatio(outcomes, '2', '4'), minimum: 3 },
    { label: 'during a login storm', formula: '(8)/(2)', value: ratio(outcomes, '8', '2'), minimum: 0.6 },
    {
      label: 'each service under 150 MB resident after the run',
      formula: 'largest RSS',
      value: largest.length > 0 ? Math.max(...largest) / 1024 / 1024 : undefined,
      maximum: 150,
      unit: 'MB'
    }
  ]
}

async function main (): Promise<number> {
  const loadAverageBefore = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'nestegg-bench-'))
  if (profile.size > 0) mkdirSync(profileDir, { recursive: true })
  log(`starting servers (data and logs in ${dataDir})`)
  const servers = await startStack({ dataDir, profile, profileDir, serviceEnv })
  const urls = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.url])) as Record<ServerName, string>
  const problems: string[] = []
  const outcomes = new Map<string, ScenarioOutcome>()
  let resident: Partial<Record<ServerName, number>> = {}
  try {
    const context = await loginBenchUser(urls)
    for (const scenario of scenarios.filter((s) => s.available !== undefined && !s.available(context))) {
      log(`scenario ${scenario.id} is not available on this revision: skipped`)
    }
    scenarios = scenarios.filter((s) => s.available === undefined || s.available(context))
    for (const scenario of scenarios) await probe(scenario, context)
    if (!quick) {
      log('warming up')
      for (const scenario of scenarios) if (scenario.server !== 'bank') await runLoad({ ...scenario.load(context, settings), durationSeconds: 1 })
    }
    for (let round = 1; round <= rounds; round++) {
      for (const scenario of scenarios) {
        log(`round ${round}/${rounds}: ${scenario.id}. ${scenario.title}`)
        const { result, background } = await measure(scenario, context, servers, settings.durationSeconds)
        const failure = describeFailures(scenario, result)
        if (failure !== undefined) problems.push(`round ${round}, ${failure}`)
        const outcome = outcomes.get(scenario.id) ?? { scenario, runs: [], median: result, background: [] }
        outcome.runs.push(result)
        if (background) outcome.background?.push(background)
        outcome.median = medianRun(outcome.runs)
        outcomes.set(scenario.id, outcome)
      }
    }
    resident = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, residentBytes(server.pid)]))
    for (const server of Object.values(servers)) if (!isAlive(server)) problems.push(`${server.name} died during the run`)
  } finally {
    await Promise.all(Object.values(servers).map(stopServer))
  }

  const report: Report = {
    date: new Date(),
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
      totalMemoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverageBefore,
      loadAverageAfter: loadavg()
    },
    settings: { rounds, quick, ...settings },
    outcomes: [...outcomes.values()],
    residentBytes: resident,
    targets: targetsFor(outcomes, resident)
  }
  const rendered = renderReport(report)
  console.log(rendered)

  for (const name of profile) {
    const files = readdirSync(profileDir).filter((file) => file.startsWith(name))
    for (const file of files) {
      console.log(`\nCPU profile ${join('bench', 'profiles', file)}:`)
      console.log(summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8'))))
    }
  }

  if (problems.length > 0) {
    log(`FAILED:\n  ${problems.join('\n  ')}\nlogs kept in ${dataDir}`)
    return 1
  }
  rmSync(dataDir, { recursive: true, force: true })
  if (out !== undefined) {
    let document = ''
    try { document = readFileSync(out, 'utf8') } catch {}
    writeFileSync(out, spliceResults(document || '# Benchmarks\n', rendered))
    log(`wrote ${out}`)
  }
  return 0
}

main().then((code) => process.exit(code), (error: unknown) => {
  log(`FAILED: ${(error as Error).stack ?? String(error)}`)
  process.exit(1)
})
