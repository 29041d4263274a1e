/** Callers for the write suites: users of each role with their API tokens, and a small HTTP client. */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import type { Role } from "@packgrid/core/Domain/User"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import { Users } from "@packgrid/core/Store/Users"
import type { TestServer } from "./support.ts"

export interface Caller {
  readonly username: string
  readonly key: string
  readonly tokenId: number
}

let serial = 0

/** A new user with `role` (and a password for the web login, if given) and one API token. */
export const userWithToken = async (server: TestServer, role: Role, password?: string): Promise<Caller> => {
  const username = `${role}${++serial}`
  await server.runtime.runPromise(
    Effect.flatMap(Users, (u) => u.create({ username, role, ...(password === undefined ? {} : { password }) }))
  )
  const { key, token } = await server.runtime.runPromise(Effect.flatMap(Users, (u) => u.createToken(username, "tests")))
  return { username, key, tokenId: token.id }
}

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The parsed body, or undefined when it is not JSON. */
  readonly body: any
}

export interface CallOptions {
  /** An API token key: sent as `Authorization: Token <key>`. */
  readonly key?: string
  /** A JSON value (serialized), or a string sent as it is. */
  readonly json?: unknown
  readonly raw?: string | Uint8Array
  readonly headers?: Record<string, string>
}

/** One request to the test server; JSON bodies go with `Content-Type: application/json`. */
export const call = async (
  server: TestServer,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<Answer> => {
  const headers: Record<string, string> = { ...options.headers }
  if (options.key !== undefined) headers.Authorization = `Token ${options.key}`
  let body: string | Uint8Array | undefined
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers["Content-Type"] ??= "application/json"
  } else if (options.raw !== undefined) {
    body = options.raw
    headers["Content-Type"] ??= "application/json"
  }
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    redirect: "manual",
    ...(body === undefined ? {} : { body })
  })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text === "" ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, text, body: parsed }
}

/** The v4 package's keys, in the reference's order. */
export const PACKAGE_KEYS = [
  "category",
  "grids",
  "id",
  "title",
  "slug",
  "last_updated",
  "last_fetched",
  "repo_url",
  "pypi_version",
  "created",
  "modified",
  "repo_forks",
  "repo_description",
  "pypi_url",
  "documentation_url",
  "repo_watchers",
  "commits_over_52",
  "participants"
]
export const GRID_KEYS = [
  "id",
  "title",
  "slug",
  "description",
  "is_locked",
  "packages",
  "header",
  "created",
  "modified"
]
export const CATEGORY_KEYS = ["id", "title", "slug", "description", "title_plural", "show_pypi", "created", "modified"]

/**
 * What the catalogue holds, cheaply and completely: row counts, revision sums, and a hash of the
 * whole export (which has every category, package, grid, member, feature and cell). Sessions and
 * tokens' `last_used` are not part of it: reads and logins may touch those.
 */
export const fingerprint = (server: TestServer) =>
  server.runtime.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const [counts] = yield* sql<Record<string, unknown>>`SELECT
        (SELECT COUNT(*) FROM packages) AS packages,
        (SELECT COUNT(*) FROM grids) AS grids,
        (SELECT COUNT(*) FROM categories) AS categories,
        (SELECT COUNT(*) FROM features) AS features,
        (SELECT COUNT(*) FROM elements) AS elements,
        (SELECT COUNT(*) FROM grid_packages) AS members,
        (SELECT COUNT(*) FROM users) AS users,
        (SELECT COALESCE(SUM(revision), 0) FROM packages) AS package_revisions,
        (SELECT COALESCE(SUM(revision), 0) FROM grids) AS grid_revisions,
        (SELECT COALESCE(MAX(modified), 0) FROM categories) AS category_modified`
      const exported = yield* Effect.flatMap(CatalogueStore, (c) => c.exportCatalogue("2000-01-01"))
      const hash = createHash("sha256").update(JSON.stringify(exported)).digest("hex")
      return { ...Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)])), hash }
    })
  )

/** DRF's error bodies: `{"detail": "…"}`, or each field's non-empty list of messages. */
export const isErrorBody = (body: unknown): boolean => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false
  const entries = Object.entries(body)
  if (entries.length === 0) return false
  if ("detail" in body) return typeof body.detail === "string" && body.detail !== ""
  return entries.every(
    ([, v]) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === "string" && m.length > 0)
  )
}
