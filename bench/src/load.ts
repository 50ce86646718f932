import autocannon from 'autocannon'

export interface LoadSpec {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  durationSeconds: number
  /** Replace `[<id>]` anywhere in the request (headers included) with a fresh id for each request. */
  idReplacement?: boolean
  /** Count only this status as a success (the others still show in statusCodes). */
  countStatus?: number
  /** Requests each connection sends in turn, instead of one request over and over. */
  requests?: Array<{ method: 'GET' | 'POST', path: string, headers?: Record<string, string>, body?: string }>
}

export interface LoadResult {
  /** Successful (2xx) responses per second: what the scenario delivered. */
  rps: number
  p50: number
  p99: number
  ok: number
  non2xx: number
  /** Connection errors and timeouts. */
  errors: number
  statusCodes: Record<string, number>
  /** CPU time the serving processes spent per successful response, in microseconds (set by the runner). */
  cpuMicrosPerRequest?: number | undefined
}

function options (spec: LoadSpec): autocannon.Options {
  return {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    connections: spec.connections,
    duration: spec.durationSeconds,
    idReplacement: spec.idReplacement ?? false,
    ...(spec.requests !== undefined ? { requests: spec.requests } : {}),
    timeout: 30
  }
}

function summarize (result: autocannon.Result, countStatus?: number): LoadResult {
  const statusCodes: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = Number((stats as { count: number | string }).count)
  }
  const ok = countStatus === undefined ? result['2xx'] : statusCodes[String(countStatus)] ?? 0
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    // With countStatus, any other answer (a 202 still pending) is not a success.
    non2xx: result.non2xx + result['2xx'] - (countStatus === undefined ? result['2xx'] : ok),
    errors: result.errors,
    statusCodes
  }
}

/** Drives one URL for a bounded time and connection count, with autocannon's programmatic API. */
export async function runLoad (spec: LoadSpec): Promise<LoadResult> {
  return summarize(await autocannon(options(spec)), spec.countStatus)
}

export interface BackgroundLoad {
  /** Stops the load now and resolves with what it did. */
  stop: () => Promise<LoadResult>
}

/** Starts load that runs until stopped (bounded anyway by its duration), e.g. a login flood. */
export function startBackgroundLoad (spec: LoadSpec): BackgroundLoad {
  let settle: (result: LoadResult) => void = () => {}
  let fail: (error: Error) => void = () => {}
  const done = new Promise<LoadResult>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  const instance = autocannon(options(spec), (error, result) => {
    if (error) fail(error)
    else settle(summarize(result, spec.countStatus))
  })
  return {
    stop: async () => {
      instance.stop()
      return done
    }
  }
}
