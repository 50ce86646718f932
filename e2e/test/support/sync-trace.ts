import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** True when strace can trace a child here (installed, and ptrace allowed). */
export function straceAvailable (): boolean {
  try {
    execFileSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * strace arguments for a service: every write to a file or socket and every sync, in order, across
 * threads, with file descriptors resolved to paths (-y) and whole buffers up to a page, so that a
 * transfer's id can be found in the log's frames and in its answer.
 */
export function straceWrapper (outputFile: string): string[] {
  return ['strace', '-f', '-qq', '-y', '-s', '4200', '--seccomp-bpf', '-o', outputFile,
    '-e', 'trace=write,writev,pwrite64,pwritev,fsync,fdatasync']
}

export interface SyncAudit {
  /** HTTP 201 answers the process wrote. */
  answered: number
  /** 201 answers whose commit was not yet covered by a completed sync of the log (see auditTrace). */
  unsyncedAnswers: number
  /** 201 answers whose transfer id was found in the log, so checked against their own commit. */
  matchedAnswers: number
  /** fsync/fdatasync calls on the write-ahead log that returned 0. */
  walSyncs: number
  /** Commits written to the write-ahead log (frames whose header marks a commit). */
  walCommits: number
  /** Syncs of the log made by another thread than the one that writes it (the event loop's). */
  offThreadSyncs: number
}

interface Burst { lastWrite: number, text: string[] }

/**
 * SQLite writes a frame as a 24-byte header, then the page. Bytes 4–7 of the header are the
 * database's size in pages after the commit on a commit's last frame, and zero on the others.
 */
function isCommitFrameHeader (call: string): boolean {
  const match = /^pwrite64\(\d+<[^>]*>, "((?:[^"\\]|\\.)*)", 24, /.exec(call)
  if (match === null) return false
  const bytes: number[] = []
  const text = match[1] as string
  for (let i = 0; i < text.length && bytes.length < 8; i++) {
    if (text[i] !== '\\') { bytes.push(text.charCodeAt(i)); continue }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))
    if (octal !== null) { bytes.push(Number.parseInt(octal[0], 8)); i += octal[0].length; continue }
    const escaped = text[++i] as string
    bytes.push(({ n: 10, t: 9, r: 13, v: 11, f: 12 } as Record<string, number>)[escaped] ?? escaped.charCodeAt(0))
  }
  return bytes.slice(4, 8).some((byte) => byte !== 0)
}

/**
 * Reads a trace in order (position = line number). The log is written by one thread, a commit's
 * frames one after the other with no other call of that thread between them: a burst is such a run
 * of writes, ended by a commit's last frame. A sync that returned 0 covers the writes that completed before it
 * started: a write made while it runs (on a thread pool thread) may not be in it. A 201 whose body
 * carries an `id` found in a burst must come after a sync, started after that burst's last write,
 * has returned; a 201 with no such id, after a sync covering every write so far. strace prints a
 * call that another thread interrupted as `<unfinished ...>` and its end as `<... call resumed>`:
 * a sync starts at its first line and ends at its last, a write ends at its last.
 */
export function auditTrace (traceFile: string, databaseFile: string): SyncAudit {
  const wal = `${databaseFile}-wal>`
  const audit: SyncAudit = { answered: 0, unsyncedAnswers: 0, matchedAnswers: 0, walSyncs: 0, walCommits: 0, offThreadSyncs: 0 }
  const lines = readFileSync(traceFile, 'utf8').split('\n')
  const bursts: Burst[] = []
  // Completed syncs as [started, ended] positions; sync and write calls still open, by thread.
  const syncs: Array<[number, number]> = []
  const openSync = new Map<string, number>()
  const openWrite = new Map<string, string>()
  const answers: Array<{ at: number, id: string | undefined }> = []
  let writer = ''
  let burst: Burst | undefined
  let commitPageNext = false
  const endWrite = (at: number, text: string) => {
    burst ??= (bursts.push({ lastWrite: at, text: [] }), bursts[bursts.length - 1] as Burst)
    burst.lastWrite = at
    burst.text.push(text)
    // A commit ends with the page that follows a commit frame's header.
    if (commitPageNext) burst = undefined
    commitPageNext = isCommitFrameHeader(text)
    if (commitPageNext) audit.walCommits++
  }
  lines.forEach((line, at) => {
    const pid = line.split(' ', 1)[0] as string
    const call = line.slice(pid.length).trimStart()
    if (pid === writer && !(call.startsWith('pwrite') && call.includes(wal)) && !call.startsWith('<... pwrite')) burst = undefined
    if (/^(fsync|fdatasync)\(/.test(call) && call.includes(wal)) {
      if (call.includes('<unfinished ...>')) openSync.set(pid, at)
      else if (/\) += 0$/.test(call)) syncs.push([at, at])
      if (pid !== writer && !call.includes('<unfinished ...>') && /\) += 0$/.test(call)) audit.offThreadSyncs++
    } else if (/^<\.\.\. (fsync|fdatasync) resumed>/.test(call) && openSync.has(pid)) {
      if (/\) += 0$/.test(call)) {
        syncs.push([openSync.get(pid) as number, at])
        if (pid !== writer) audit.offThreadSyncs++
      }
      openSync.delete(pid)
    } else if (/^(pwrite64|pwritev|write|writev)\(/.test(call) && call.includes(wal)) {
      writer = pid
      if (call.includes('<unfinished ...>')) openWrite.set(pid, call)
      else endWrite(at, call)
    } else if (/^<\.\.\. (pwrite64|pwritev|write|writev) resumed>/.test(call) && openWrite.has(pid)) {
      endWrite(at, openWrite.get(pid) as string)
      openWrite.delete(pid)
    } else if (/^(write|writev)\(\d+<(socket|TCP)/.test(call) && call.includes('HTTP/1.1 201')) {
      answers.push({ at, id: /\\"id\\":\\"([0-9a-zA-Z_-]+)\\"/.exec(call)?.[1] })
    }
  })
  audit.walSyncs = syncs.length
  const coveredBy = (write: number, answer: number) => syncs.some(([started, ended]) => started > write && ended < answer)
  for (const answer of answers) {
    audit.answered++
    const own = answer.id === undefined ? undefined : bursts.find((b) => b.lastWrite < answer.at && b.text.some((text) => text.includes(answer.id as string)))
    if (own !== undefined) audit.matchedAnswers++
    const mustCover = own?.lastWrite ?? bursts.filter((b) => b.lastWrite < answer.at).at(-1)?.lastWrite
    if (mustCover !== undefined && !coveredBy(mustCover, answer.at)) audit.unsyncedAnswers++
  }
  return audit
}
