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
 * threads, with file descriptors resolved to paths (-y) and the first bytes of each buffer.
 */
export function straceWrapper (outputFile: string): string[] {
  return ['strace', '-f', '-qq', '-y', '-s', '24', '--seccomp-bpf', '-o', outputFile,
    '-e', 'trace=write,writev,pwrite64,pwritev,fsync,fdatasync']
}

export interface SyncAudit {
  /** HTTP 201 answers the process wrote. */
  answered: number
  /** 201 answers written while the write-ahead log held bytes not yet synced. */
  unsyncedAnswers: number
  /** fsync/fdatasync calls on the write-ahead log. */
  walSyncs: number
  /** Write bursts to the write-ahead log that began while it was clean. */
  walWrites: number
  /** Syncs of the log made by another thread than the one that writes it (the event loop's). */
  offThreadSyncs: number
}

/**
 * Reads a trace in order. Each write to `<database>-wal` counts (a write that another thread
 * interrupted counts again when it resumes); a sync of it that returned 0 makes clean only the writes
 * counted before the sync started, since a write made while a sync runs (the sync is on a thread
 * pool thread) may not be in it. A `HTTP/1.1 201` written to a socket while some write is not yet
 * clean acknowledges something that a power loss could still take away. strace prints a call that
 * another thread interrupted as `<unfinished ...>` and its end as `<... fdatasync resumed>`.
 */
export function auditTrace (traceFile: string, databaseFile: string): SyncAudit {
  const wal = `${databaseFile}-wal>`
  const audit: SyncAudit = { answered: 0, unsyncedAnswers: 0, walSyncs: 0, walWrites: 0, offThreadSyncs: 0 }
  // Per thread: how many log writes had been counted when its unfinished sync started.
  const syncStartedAt = new Map<string, number>()
  const pendingWrite = new Set<string>()
  let written = 0
  let synced = 0
  let writer = ''
  const syncDone = (call: string, coversUpTo: number, pid: string) => {
    if (!/\) += 0$/.test(call)) return
    audit.walSyncs++
    if (pid !== writer) audit.offThreadSyncs++
    synced = Math.max(synced, coversUpTo)
  }
  const write = () => {
    if (written === synced) audit.walWrites++
    written++
  }
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    const pid = line.split(' ', 1)[0] as string
    const call = line.slice(pid.length).trimStart()
    if (/^(fsync|fdatasync)\(/.test(call) && call.includes(wal)) {
      if (call.includes('<unfinished ...>')) syncStartedAt.set(pid, written)
      else syncDone(call, written, pid)
    } else if (/^<\.\.\. (fsync|fdatasync) resumed>/.test(call) && syncStartedAt.has(pid)) {
      syncDone(call, syncStartedAt.get(pid) as number, pid)
      syncStartedAt.delete(pid)
    } else if (/^(pwrite64|pwritev|write|writev)\(/.test(call) && call.includes(wal)) {
      writer = pid
      write()
      if (call.includes('<unfinished ...>')) pendingWrite.add(pid)
    } else if (/^<\.\.\. (pwrite64|pwritev|write|writev) resumed>/.test(call) && pendingWrite.has(pid)) {
      pendingWrite.delete(pid)
      write()
    } else if (/^(write|writev)\(\d+<(socket|TCP)/.test(call) && call.includes('HTTP/1.1 201')) {
      audit.answered++
      if (written > synced) audit.unsyncedAnswers++
    }
  }
  return audit
}
