/**
 * Store/Database on SQLite: a write transaction waits for another process's write lock instead of
 * failing with SQLITE_BUSY, even when it reads before it writes (which a deferred `BEGIN` cannot do).
 */
import { SqlClient } from "@effect/sql"
import { Effect, ManagedRuntime } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import * as Database from "../../src/Store/Database.ts"

const holder = fileURLToPath(new URL("./lock-holder.ts", import.meta.url))
const coreRoot = fileURLToPath(new URL("../..", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "packgrid-lock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Starts a process holding the write lock on `file` for `ms`; resolves once it holds it, with its end. */
const holdLock = (file: string, ms: number) =>
  new Promise<{ exited: Promise<number | null> }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", holder, file, String(ms)], {
      cwd: coreRoot,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const exited = new Promise<number | null>((done) => child.on("exit", done))
    let err = ""
    child.stderr.on("data", (d: Buffer) => (err += d.toString()))
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("locked")) resolve({ exited })
    })
    void exited.then((code) => reject(new Error(`the lock holder exited ${code} before locking: ${err}`)))
  })

describe("Store.Database on SQLite", () => {
  it("waits for another process's write lock in a transaction that reads before it writes", async () => {
    const file = join(dir, "lock.sqlite")
    const runtime = ManagedRuntime.make(Database.layerFromUrl(`file:${file}`))
    try {
      const sql = await runtime.runPromise(SqlClient.SqlClient)
      await runtime.runPromise(sql`CREATE TABLE t (who TEXT NOT NULL)`)
      const { exited } = await holdLock(file, 700)
      const seen = await runtime.runPromise(
        sql.withTransaction(
          Effect.gen(function* () {
            const [row] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM t`
            yield* sql`INSERT INTO t (who) VALUES ('writer')`
            return row!.n
          })
        )
      )
      expect(await exited).toBe(0)
      // The transaction began after the holder committed: it saw the holder's row, and both are kept.
      expect(seen).toBe(1)
      const rows = await runtime.runPromise(sql<{ who: string }>`SELECT who FROM t ORDER BY rowid`)
      expect(rows.map((r) => r.who)).toEqual(["holder", "writer"])
    } finally {
      await runtime.dispose()
    }
  })

  it("still rolls a failed transaction back, and nests transactions as savepoints", async () => {
    const runtime = ManagedRuntime.make(Database.layerFromUrl(`file:${join(dir, "nest.sqlite")}`))
    try {
      const sql = await runtime.runPromise(SqlClient.SqlClient)
      await runtime.runPromise(sql`CREATE TABLE t (who TEXT NOT NULL)`)
      const failed = await runtime.runPromise(
        Effect.flip(sql.withTransaction(Effect.zipRight(sql`INSERT INTO t (who) VALUES ('lost')`, Effect.fail("no"))))
      )
      expect(failed).toBe("no")
      await runtime.runPromise(
        sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO t (who) VALUES ('outer')`
            yield* Effect.either(
              sql.withTransaction(Effect.zipRight(sql`INSERT INTO t (who) VALUES ('inner')`, Effect.fail("no")))
            )
          })
        )
      )
      const rows = await runtime.runPromise(sql<{ who: string }>`SELECT who FROM t`)
      expect(rows.map((r) => r.who)).toEqual(["outer"])
    } finally {
      await runtime.dispose()
    }
  })
})
