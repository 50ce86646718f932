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
   * Resolves once every commit up to `commit` is on disk. A sync already running when the commit was
   * noted may not hold it, so it waits for the next one; waiters arriving meanwhile share that one.
   */
  syncThrough: (commit: number) => Promise<void>
  /** Syncs performed, for tests and the bench. */
  syncs: () => number
  close: () => Promise<void>
}

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
  let running: Promise<void> | undefined
  let failure: unknown

  // After a failed fsync the kernel may have dropped the dirty pages and reports the error once:
  // a later sync that succeeds proves nothing (PostgreSQL panics for the same reason). Every later
  // write is refused until the process restarts and SQLite recovers from the log on disk.
  function startSync (): Promise<void> {
    const target = noted
    file ??= open(walFile, 'r')
    running = file
      .then((handle) => handle.datasync())
      .then(() => {
        syncs++
        if (target > synced) synced = target
      }, (error: unknown) => {
        failure ??= new Error(`Syncing ${walFile} failed: commits can no longer be acknowledged`, { cause: error })
      })
      .finally(() => { running = undefined })
    return running
  }

  async function syncThrough (commit: number): Promise<void> {
    while (synced < commit) {
      if (failure !== undefined) throw failure
      await (running ?? startSync())
    }
  }

  return {
    noteCommit: () => { noted++ },
    commits: () => noted,
    syncThrough,
    syncs: () => syncs,
    close: async () => {
      await running
      await (await file?.catch(() => undefined))?.close()
    }
  }
}
