import type { LoadResult } from './load.js'
import type { Scenario, ServerName } from './scenarios.js'

export interface ScenarioOutcome {
  scenario: Scenario
  runs: LoadResult[]
  /** The run with the median throughput; its latencies are the ones reported. */
  median: LoadResult
  /** Scenario 8: what the login flood achieved while retirement was measured. */
  background?: LoadResult[]
}

export interface Target {
  label: string
  /** How the value is computed, in the issue's notation. */
  formula: string
  value: number | undefined
  /** The same comparison by server CPU per request, which a busy machine distorts far less. */
  cpuValue?: number | undefined
  minimum?: number
  maximum?: number
  unit?: string
}

export interface Machine {
  cores: number
  cpuModel: string
  totalMemoryBytes: number
  node: string
  platform: string
  loadAverageBefore: number[]
  loadAverageAfter: number[]
}

export interface RunSettings {
  rounds: number
  durationSeconds: number
  connections: number
  loginConnections: number
  floodConnections: number
  quick: boolean
}

export interface Report {
  date: Date
  machine: Machine
  settings: RunSettings
  outcomes: ScenarioOutcome[]
  residentBytes: Partial<Record<ServerName, number>>
  targets: Target[]
}

/** The run with the median throughput (the lower middle for an even count, so it is a real run). */
export function medianRun (runs: LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  if (median === undefined) throw new Error('no runs')
  return median
}

/** Median server CPU per request over the runs, in microseconds. */
export function medianCpu (runs: LoadResult[]): number | undefined {
  const values = runs.map((run) => run.cpuMicrosPerRequest).filter((v): v is number => v !== undefined).sort((a, b) => a - b)
  return values.length === 0 ? undefined : values[Math.floor((values.length - 1) / 2)]
}

export function isMet (target: Target): boolean | undefined {
  if (target.value === undefined) return undefined
  if (target.minimum !== undefined && target.value < target.minimum) return false
  if (target.maximum !== undefined && target.value > target.maximum) return false
  return true
}

const integer = (value: number): string => Math.round(value).toLocaleString('en-US')
const ms = (value: number): string => (value < 10 ? value.toFixed(1) : integer(value))
const megabytes = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(0)} MB`)

function formatTarget (target: Target): string[] {
  const met = isMet(target)
  const bound = target.minimum !== undefined ? `≥ ${target.minimum}` : `≤ ${target.maximum}`
  const value = target.value === undefined
    ? '—'
    : target.unit === 'MB' ? `${target.value.toFixed(0)} MB` : target.value.toFixed(2)
  const cpu = target.cpuValue === undefined ? '—' : target.cpuValue.toFixed(2)
  return [target.label, target.formula, value, cpu, `${bound}${target.unit === 'MB' ? ' MB' : ''}`,
    met === undefined ? 'not run' : met ? 'met' : '**missed**']
}

function table (header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** The generated part of docs/benchmarks.md, also printed by the runner. */
export function renderReport (report: Report): string {
  const { machine, settings } = report
  const rounds = settings.rounds === 1 ? 'one run' : `median of ${settings.rounds}`
  const lines: string[] = []
  lines.push(`Run on ${report.date.toISOString().replace(/\.\d+Z$/, 'Z')}: ${machine.cores} cores (${machine.cpuModel}), ` +
    `${(machine.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB, Node ${machine.node} on ${machine.platform}. ` +
    `Load average (1, 5, 15 min) before: ${machine.loadAverageBefore.map((v) => v.toFixed(2)).join(', ')}; ` +
    `after: ${machine.loadAverageAfter.map((v) => v.toFixed(2)).join(', ')}.`)
  lines.push('')
  lines.push(`${settings.quick ? 'Quick run (`--quick`), not a measurement: ' : ''}${settings.rounds} round(s), ` +
    `${settings.durationSeconds} s per scenario and round, scenarios interleaved round by round; ` +
    `${settings.connections} connections (login: ${settings.loginConnections}, login flood in 8: ${settings.floodConnections}).`)
  lines.push('')
  lines.push(table(
    ['#', 'scenario', `req/s (${rounds})`, 'p50 ms', 'p99 ms', 'server CPU µs/req', 'every run, req/s'],
    report.outcomes.map(({ scenario, runs, median, background }) => {
      const flood = background && background.length > 0
        ? ` (flood meanwhile: ${integer(medianRun(background).rps)} logins/s)`
        : ''
      const cpu = medianCpu(runs)
      return [String(scenario.id), scenario.title + flood, integer(median.rps), ms(median.p50), ms(median.p99),
        cpu === undefined ? '—' : integer(cpu), runs.map((run) => integer(run.rps)).join(', ')]
    })
  ))
  lines.push('')
  lines.push(table(
    ['server', 'resident memory after the run'],
    Object.entries(report.residentBytes).map(([name, bytes]) => [name, megabytes(bytes)])
  ))
  lines.push('')
  lines.push(table(['target', 'ratio', 'by req/s', 'by CPU/req', 'wanted (by req/s)', ''], report.targets.map(formatTarget)))
  return lines.join('\n')
}

export const BEGIN_MARKER = '<!-- bench:results:begin (written by npm run bench) -->'
export const END_MARKER = '<!-- bench:results:end -->'

/** Replaces the generated section of the document, keeping everything written by hand around it. */
export function spliceResults (document: string, results: string): string {
  const begin = document.indexOf(BEGIN_MARKER)
  const end = document.indexOf(END_MARKER)
  const block = `${BEGIN_MARKER}\n${results}\n${END_MARKER}`
  if (begin === -1 || end === -1 || end < begin) return `${document.trimEnd()}\n\n## Results\n\n${block}\n`
  return document.slice(0, begin) + block + document.slice(end + END_MARKER.length)
}
