import { closeSync, fsyncSync, openSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Makes SQLite's commits durable off the event loop. SQLite runs WAL with `synchronous = NORMAL`: a
 * commit appends its frames to `<file>-wal` and returns without syncing. This syncs that file with
 * `FileHandle.datasync()`, which runs fdatasync on libuv's thread pool, so the process serves other
 * requests meanwhile. A caller waits with `syncThrough(commits())` after its commit and answers
 * after that. Why this is as durable as `synchronous = FULL`: README.md, "The ledger".
 */
export interface WalSync {
  /** Called by the driver after each statement that may have committed (see sqlite-driver.ts). */
  noteCommit: () => void
  /** Commits noted so far: the number to pass to syncThrough. */
  commits: () => number
  /**
   * Resolves once every commit up to `commit` is on disk: after a sync that started after it. A sync
   * already running when the commit was noted may not hold it, so another starts (see below);
   * waiters whose commits a running sync covers share it.
   */
  syncThrough: (commit: number) => Promise<void>
  /** Syncs performed, for tests and the bench. */
  syncs: () => number
  close: () => Promise<void>
}

/**
 * A sync started while another runs covers what that one cannot (the commits made since), so a
 * commit waits for one sync, not for the end of the running one and then its own; two at most, so
 * that the thread pool (4 threads, shared with file reads and hashing) keeps room for the rest.
 */
const MAX_CONCURRENT_SYNCS = 2

/**
 * `databaseFile` must already be open in WAL mode, so that its `-wal` file exists. The directory is
 * synced once here: the `-wal` file was created by this open (SQLite deletes it when the last
 * connection closes), and until its name is on disk, syncing its contents does not make it findable
 * after a power loss.
 */
export function createWalSync (databaseFile: string): WalSync {
  const directory = openSync(dirname(databaseFile), 'r')
  try {
    fsyncSync(directory)
  } finally {
    closeSync(directory)
  }
  const walFile = `${databaseFile}-wal`
  let file: Promise<FileHandle> | undefined
  let noted = 0
  let synced = 0
  let syncs = 0
  const running = new Set<{ covers: number, done: Promise<void> }>()
  let failure: unknown

  // After a failed fsync the kernel may have dropped the dirty pages and reports the error once:
  // a later sync that succeeds proves nothing (PostgreSQL panics for the same reason). Every later
  // write is refused until the process restarts and SQLite recovers from the log on disk.
  function startSync (): void {
    const covers = noted
    file ??= open(walFile, 'r')
    const done = file
      .then((handle) => handle.datasync())
      .then(() => {
        syncs++
        if (covers > synced) synced = covers
      }, (error: unknown) => {
        failure ??= new Error(`Syncing ${walFile} failed: commits can no longer be acknowledged`, { cause: error })
      })
      .finally(() => { running.delete(sync) })
    const sync = { covers, done }
    running.add(sync)
  }

  async function syncThrough (commit: number): Promise<void> {
    while (synced < commit) {
      if (failure !== undefined) throw failure
      let covering: Promise<void> | undefined
      for (const sync of running) if (sync.covers >= commit) covering = sync.done
      if (covering !== undefined) await covering
      else if (running.size < MAX_CONCURRENT_SYNCS) startSync()
      else await Promise.race([...running].map((sync) => sync.done))
    }
  }

  return {
    noteCommit: () => { noted++ },
    commits: () => noted,
    syncThrough,
    syncs: () => syncs,
    close: async () => {
      await Promise.all([...running].map((sync) => sync.done))
      await (await file?.catch(() => undefined))?.close()
    }
  }
}
