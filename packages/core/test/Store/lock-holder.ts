/** Test support for Database.test: holds SQLite's write lock on FILE for MS milliseconds, in its own process. */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import * as Database from "../../src/Store/Database.ts"

const [file, ms] = process.argv.slice(2) as [string, string]

const program = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`INSERT INTO t (who) VALUES ('holder')`
      process.stdout.write("locked\n")
      yield* Effect.sleep(Number(ms))
    })
  )
})

Effect.runPromise(Effect.provide(program, Database.layerFromUrl(`file:${file}`))).catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
