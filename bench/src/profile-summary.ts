/**
 * Reads a V8 .cpuprofile (from `--cpu-prof`) and prints where the time went, by package and by
 * function (self time, idle excluded). Open the same file in Chrome DevTools or speedscope for a
 * flame graph. Usage: node bench/dist/profile-summary.js FILE.cpuprofile [FILE...]
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const ROOT_URL = new URL('../../', import.meta.url).href

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function packageOf (url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return modules[1] as string
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`
  const workspace = url.startsWith(ROOT_URL) ? /^(packages|services|bench)\/([^/]+)\//.exec(url.slice(ROOT_URL.length)) : null
  if (workspace) return `nestegg ${workspace[1]}/${workspace[2]}`
  return url
}

function shortUrl (url: string): string {
  return url.replace(/^file:\/\/.*\/node_modules\//, '').replace(ROOT_URL, '')
}

export function summarizeProfile (profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfMicros = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let busy = 0
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)
    if (node === undefined || node.callFrame.functionName === '(idle)') continue
    busy += micros
    const { functionName, url, lineNumber } = node.callFrame
    const pkg = packageOf(url, functionName)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros)
    const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
  }
  const rank = (map: Map<string, number>) => [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => `  ${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${name}`)
  return [
    `busy ${(busy / 1e6).toFixed(1)} s (idle excluded)`,
    'self time by package:', ...rank(byPackage),
    'self time by function:', ...rank(byFunction)
  ].join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of process.argv.slice(2)) {
    console.log(`== ${file}`)
    console.log(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile))
  }
}
