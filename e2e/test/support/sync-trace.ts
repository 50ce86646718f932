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
  /** Separate write bursts to the write-ahead log (between two of its syncs or answers). */
  walWrites: number
}

/**
 * Reads a trace in order: a write to `<database>-wal` makes the log dirty, a completed sync of it
 * makes it clean, and a `HTTP/1.1 201` written to a socket while it is dirty acknowledges something
 * that a power loss could still take away. strace prints a call that another thread interrupted as
 * `<unfinished ...>` and its end as `<... fsync resumed>`; a sync counts only once it has returned 0.
 */
export function auditTrace (traceFile: string, databaseFile: string): SyncAudit {
  const wal = `${databaseFile}-wal>`
  const audit: SyncAudit = { answered: 0, unsyncedAnswers: 0, walSyncs: 0, walWrites: 0 }
  const pendingSync = new Set<string>()
  let dirty = false
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    const pid = line.split(' ', 1)[0] as string
    const call = line.slice(pid.length).trimStart()
    if (/^(fsync|fdatasync)\(/.test(call) && call.includes(wal)) {
      if (call.includes('<unfinished ...>')) pendingSync.add(pid)
      else if (/\) += 0$/.test(call)) { dirty = false; audit.walSyncs++ }
    } else if (/^<\.\.\. (fsync|fdatasync) resumed>/.test(call) && pendingSync.has(pid)) {
      pendingSync.delete(pid)
      if (/\) += 0$/.test(call)) { dirty = false; audit.walSyncs++ }
    } else if (/^(pwrite64|pwritev|write|writev)\(/.test(call) && call.includes(wal)) {
      if (!dirty) audit.walWrites++
      dirty = true
    } else if (/^(write|writev)\(\d+<(socket|TCP)/.test(call) && call.includes('HTTP/1.1 201')) {
      audit.answered++
      if (dirty) audit.unsyncedAnswers++
    }
  }
  return audit
}
