// npm test: runs every workspace's tap suites, at most --jobs at a time, and prints one line per test
// file, each failure in full, and one closing line "tests: N passed, M failed". The raw TAP of each
// suite is kept in test-results/<suite>.tap.
//
//   node .ci/run-tests.mjs [--jobs N] [--only name,name] [--skip name,name] [--results DIR]
//
// A suite is a workspace script named `test` or `test:<name>` whose command is `tap …` (the
// workspace's own tap config applies); it is named after the workspace, or `<workspace>:<name>`.
import { execFileSync, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Parser } from 'tap-parser'
import { stringify } from 'tap-yaml'

const root = resolve(import.meta.dirname, '..')
const options = parseArguments(process.argv.slice(2))
const resultsDir = resolve(root, options.results ?? 'test-results')
mkdirSync(resultsDir, { recursive: true })

const suites = findSuites().filter((suite) =>
  (options.only === undefined || options.only.includes(suite.name)) && !(options.skip ?? []).includes(suite.name))
if (suites.length === 0) { console.error('run-tests: no suite matches'); process.exit(2) }

// Longest first, so that the two lanes finish together; the rest in workspace order.
const SLOWEST_FIRST = ['e2e', 'e2e:compose', 'bank', 'retirement']
const rank = (suite) => { const i = SLOWEST_FIRST.indexOf(suite.name); return i === -1 ? SLOWEST_FIRST.length : i }
suites.sort((a, b) => rank(a) - rank(b))

// tap rebuilds its Test class when a workspace's plugin list differs from the one it was built
// with; two suites starting at once would both rebuild it and race. Build it once, first.
const PATH = `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`
execFileSync(join(root, 'node_modules/.bin/tap'), ['build'], { cwd: join(root, suites[0].dir), stdio: 'inherit', env: { ...process.env, PATH } })

const started = Date.now()
const totals = { passed: 0, failed: 0, skipped: 0, cpuSeconds: 0 }
const broken = []
const queue = [...suites]
await Promise.all(Array.from({ length: Math.min(options.jobs, queue.length) }, async () => {
  for (let suite = queue.shift(); suite !== undefined; suite = queue.shift()) await runSuite(suite)
}))

if (broken.length > 0) console.log(`\nsuites that did not finish cleanly: ${broken.join(', ')}`)
console.log(`\nraw TAP: ${relative(process.cwd(), resultsDir) || '.'}/*.tap · ${seconds(Date.now() - started)}, ${Math.round(totals.cpuSeconds)} s of CPU`)
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`)
process.exit(totals.failed === 0 && broken.length === 0 ? 0 : 1)

function findSuites () {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const found = []
  for (const pattern of workspaces) {
    const dirs = pattern.endsWith('/*')
      ? listDirs(join(root, pattern.slice(0, -2))).map((name) => join(pattern.slice(0, -2), name))
      : [pattern]
    for (const dir of dirs) {
      let manifest
      try { manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) } catch { continue }
      const base = dir.split('/').at(-1)
      for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
        if (script !== 'test' && !script.startsWith('test:')) continue
        const words = command.trim().split(/\s+/)
        if (words[0] !== 'tap') continue
        found.push({ name: script === 'test' ? base : `${base}:${script.slice(5)}`, dir, args: words.slice(1) })
      }
    }
  }
  return found
}

function listDirs (dir) {
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

function runSuite (suite) {
  return new Promise((resolvePromise) => {
    const raw = createWriteStream(join(resultsDir, `${suite.name.replace(':', '-')}.tap`))
    const parser = new Parser()
    const failures = []
    let summary
    watchFailures(parser, failures)
    parser.on('comment', (line) => {
      const match = /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, todo: (\d+))?(?:, skip: (\d+))?/.exec(line)
      if (match !== null) summary = { pass: Number(match[2] ?? 0), fail: Number(match[3] ?? 0), skip: Number(match[4] ?? 0) + Number(match[5] ?? 0) }
    })
    parser.on('assert', (point) => {
      const mark = point.ok ? (point.skip ? 'skip' : '  ok') : 'FAIL'
      const time = point.time === undefined || point.time === null ? '' : ` (${seconds(point.time)})`
      console.log(`${mark}  ${suite.name}  ${point.name}${time}`)
      if (!point.ok) printFailures(failures.splice(0))
    })
    const suiteStarted = Date.now()
    let files = 0
    parser.on('assert', () => { files += 1 })
    // Through bash, whose `times` adds up the CPU of every process the suite waited for (tap, its
    // test processes, the servers and browsers they start; not Docker's containers): the profile
    // that says where `npm test`'s time goes.
    const child = spawn('bash', ['-c', 'tap "$@" --reporter=tap; code=$?; times >&2; exit $code', 'tap', ...suite.args], {
      cwd: join(root, suite.dir),
      stdio: ['ignore', 'pipe', 'pipe'],
      // The project's Node (node_modules/.bin/node) first, as npm scripts have it.
      env: { ...process.env, FORCE_COLOR: '0', PATH }
    })
    child.stdout.on('data', (chunk) => { raw.write(chunk); parser.write(chunk) })
    let stderr = ''
    child.stderr.on('data', (chunk) => { raw.write(chunk); stderr = (stderr + chunk).slice(-4000) })
    child.on('close', (code, signal) => {
      parser.end()
      raw.end()
      const cpu = childrenCpuSeconds(stderr)
      totals.cpuSeconds += cpu ?? 0
      console.log(`suite ${suite.name}: ${files} files in ${seconds(Date.now() - suiteStarted)}${cpu === undefined ? '' : `, ${Math.round(cpu)} s of CPU`}`)
      totals.passed += summary?.pass ?? 0
      totals.failed += summary?.fail ?? 0
      totals.skipped += summary?.skip ?? 0
      if (code !== 0 || summary === undefined) {
        if ((summary?.fail ?? 0) === 0) {
          totals.failed += 1
          console.log(`FAIL  ${suite.name}  exited with ${signal ?? code} and no failing test; its last output:\n${indent(stderr)}`)
        }
        broken.push(suite.name)
      }
      resolvePromise()
    })
  })
}

/** The children's user + system CPU from bash's `times` (its second line), in seconds. */
function childrenCpuSeconds (stderr) {
  const lines = stderr.trimEnd().split('\n').slice(-2)
  const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[1] ?? '')
  if (match === null) return undefined
  return Number(match[1]) * 60 + Number(match[2]) + Number(match[3]) * 60 + Number(match[4])
}

/** Collects the deepest failing points of every nested subtest, with their diagnostics. */
function watchFailures (parser, failures) {
  parser.on('child', (child) => watchFailures(child, failures))
  parser.on('assert', (point) => {
    if (point.ok || point.todo) return
    const name = point.fullname || point.name
    // A failing subtest also fails its parent's point: keep only the innermost.
    for (let i = failures.length - 1; i >= 0; i--) if (failures[i].name.startsWith(name)) return
    failures.push({ name, diag: point.diag })
  })
}

function printFailures (failures) {
  for (const failure of failures) {
    console.log(`      not ok: ${failure.name}`)
    if (failure.diag !== null && failure.diag !== undefined) console.log(indent(stringify(failure.diag), 8))
  }
}

function indent (text, width = 6) {
  return text.trimEnd().split('\n').map((line) => ' '.repeat(width) + line).join('\n')
}

function seconds (ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

function parseArguments (argv) {
  const parsed = { jobs: 2 }
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = argv[i].includes('=') ? argv[i].split('=', 2) : [argv[i], argv[++i]]
    if (flag === '--jobs') parsed.jobs = Math.max(1, Number.parseInt(value, 10) || 1)
    else if (flag === '--only') parsed.only = value.split(',')
    else if (flag === '--skip') parsed.skip = value.split(',')
    else if (flag === '--results') parsed.results = value
    else { console.error(`run-tests: unknown option ${flag}`); process.exit(2) }
  }
  return parsed
}
