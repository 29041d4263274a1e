/** A throwaway PostgreSQL database per measurement, on the server of PACKGRID_BENCH_DATABASE_URL (or the local one). */
import { spawnSync } from "node:child_process"

const server =
  process.env.PACKGRID_BENCH_DATABASE_URL ??
  process.env.PACKGRID_TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test"

const psql = (sql: string) => spawnSync("psql", [server, "-v", "ON_ERROR_STOP=1", "-qc", sql], { encoding: "utf8" })

let warned = false

/** Runs `f` with the URL of a new empty database, dropped afterwards; undefined when no server answers. */
export const withFreshPostgres = async <A>(f: (url: string) => A | Promise<A>): Promise<A | undefined> => {
  const name = `packgrid_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const created = psql(`CREATE DATABASE ${name}`)
  if (created.status !== 0) {
    if (!warned) console.error(`PostgreSQL skipped: ${created.stderr.trim() || created.error?.message}`)
    warned = true
    return undefined
  }
  try {
    const u = new URL(server)
    u.pathname = `/${name}`
    return await f(u.toString())
  } finally {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
}
