/**
 * An upstream simulator (Node only): one real HTTP server on a free port that plays GitHub, GitLab,
 * Bitbucket, Codeberg (Forgejo) and PyPI offline, so refresh code can be tested and benchmarked over real
 * sockets without the network.
 *
 * Each host lives under a path prefix named after it, so `https://api.github.com/repos/a/b` becomes
 * `<origin>/api.github.com/repos/a/b` (`baseUrls` gives each host's base). It answers, in this order:
 *
 * 1. injected faults (`inject`): rate limits, 5xx, never answering, slow bodies, malformed JSON, 404, 301;
 * 2. the host's simulated quota (GitHub 5,000/h, GitLab 2,000/min; `setQuota`): 403/429 when spent;
 * 3. routes added by a test (`define`, `useRecording`), then the recordings in `test/fixtures/upstream/`
 *    (see SOURCES.md there): the exact URL first, replaying a multi-step recording in order (its last step
 *    repeats); then a recorded list re-paginated for other page sizes (`per_page`, `limit`, `pagelen`) and
 *    filtered by `since`/`until` — a recording that stops before the list's end is taken to end there;
 *    then the same path with another query;
 * 4. what can be derived for a recorded repository: GitHub participation from its recorded commits,
 *    GitLab's commit `sequence`, PyPI's redirect to the canonical project name, and empty lists for the
 *    parts that were never recorded;
 * 5. synthetic packages `synthetic-N` on every host (owner `synthetic`), generated deterministically;
 * 6. a 404 shaped like the host's.
 *
 * Every 200 carries an ETag (the recorded one, else a hash of the body) and a matching `If-None-Match`
 * (or `If-Modified-Since`) gets a 304, which does not count against the simulated quota.
 */
import { createHash } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { type Timestamp } from "../Domain/Timestamp.ts"
import { syntheticPypi, syntheticRepo, type SyntheticRepo } from "./internal/synthetic.ts"
import { bucketWeeks, emptyWeeks } from "./Weeks.ts"

export type SimHost = "github" | "gitlab" | "bitbucket" | "codeberg" | "pypi"

/** Each simulated host: its path prefix here and the upstream base it stands for. */
export const SIM_HOSTS: Readonly<Record<SimHost, { readonly prefix: string; readonly upstream: string }>> = {
  github: { prefix: "/api.github.com", upstream: "https://api.github.com" },
  gitlab: { prefix: "/gitlab.com/api/v4", upstream: "https://gitlab.com/api/v4" },
  bitbucket: { prefix: "/api.bitbucket.org/2.0", upstream: "https://api.bitbucket.org/2.0" },
  codeberg: { prefix: "/codeberg.org/api/v1", upstream: "https://codeberg.org/api/v1" },
  pypi: { prefix: "/pypi.org", upstream: "https://pypi.org" }
}

/** The environment variable that points each adapter at a base URL. */
export const SIM_ENV: Readonly<Record<SimHost, string>> = {
  github: "PACKGRID_GITHUB_API",
  gitlab: "PACKGRID_GITLAB_API",
  bitbucket: "PACKGRID_BITBUCKET_API",
  codeberg: "PACKGRID_CODEBERG_API",
  pypi: "PACKGRID_PYPI_URL"
}

/** The copied recordings, beside the tests. */
export const defaultFixturesDir = fileURLToPath(new URL("../../test/fixtures/upstream", import.meta.url))

// The recordings' folders; a recording's host is read from its URL (gitea/ holds Codeberg's).
const FIXTURE_DIRS: ReadonlyArray<string> = ["github", "gitlab", "bitbucket", "gitea", "pypi"]

// Recordings of one-off situations: replayed only when a test asks (`useRecording`), never by default,
// since they answer URLs that the ordinary recordings also answer.
const SCENARIO_ONLY: ReadonlySet<string> = new Set([
  "github/docs_example_primary_rate_limit_403.json",
  "github/pygithub_rate_limit_exceeded_403.json",
  "github/pygithub_secondary_rate_limit_403_retry_after.json",
  "github/pygithub_server_error_500_then_200.json",
  "github/pygithub_server_error_502_repeated.json",
  "github/pygithub_conditional_304_not_modified.json",
  "github/pygithub_conditional_200_changed.json"
])

/** A response to serve. `body` is JSON-encoded unless it is a string. */
export interface CannedResponse {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

/** Something to go wrong, for the requests a `FaultRule` matches. */
export type Fault =
  | {
      readonly kind: "status"
      readonly status: number
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: unknown
    }
  /** GitHub-style: 403 (default) or 429; with `retryAfterSeconds` a secondary limit, else the quota spent until `resetInSeconds`. */
  | {
      readonly kind: "rateLimit"
      readonly status?: 403 | 429
      readonly retryAfterSeconds?: number
      readonly resetInSeconds?: number
    }
  | { readonly kind: "serverError"; readonly status?: number }
  /** Accept the request and never answer. */
  | { readonly kind: "timeout" }
  /** Answer normally, but send the body in `chunks` pieces `chunkDelayMs` apart. */
  | { readonly kind: "slowBody"; readonly chunkDelayMs: number; readonly chunks?: number }
  | { readonly kind: "malformed" }
  | { readonly kind: "notFound" }
  /** 301 to a path on the same host (`/repos/new/name`) or an absolute URL. */
  | { readonly kind: "moved"; readonly to: string }

/** Which requests a fault applies to, and how many times (default: all). */
export interface FaultRule {
  readonly host?: SimHost
  /** A path after the host prefix (exact, query ignored), or a RegExp tested on path and query. */
  readonly path?: string | RegExp
  readonly times?: number
}

export interface QuotaOptions {
  readonly limit: number
  readonly windowSeconds: number
  /** Start with this many left (default: the limit). */
  readonly remaining?: number
}

/** One request the simulator received. */
export interface SimRequest {
  readonly host: SimHost | null
  readonly method: string
  /** After the host prefix, with the query. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  status: number
}

export interface SimulatorOptions {
  readonly fixturesDir?: string
  readonly port?: number
  /** Delay before every answer. */
  readonly latencyMs?: number
  /** Synthetic packages `synthetic-0` … `synthetic-(count-1)` exist (default 10,000). */
  readonly syntheticCount?: number
  /** The instant synthetic data is generated around (default: today, 00:00 UTC), in ms. */
  readonly anchorMs?: number
  /** The simulator's clock, in ms (quota windows, derived participation). */
  readonly now?: () => number
  readonly quotas?: Partial<Record<SimHost, QuotaOptions | null>>
}

export interface Simulator {
  readonly origin: string
  readonly baseUrls: Readonly<Record<SimHost, string>>
  /** `PACKGRID_GITHUB_API=<base>` etc., to point a refresh at the simulator. */
  readonly env: Readonly<Record<string, string>>
  readonly requests: ReadonlyArray<SimRequest>
  /** Requests received, for a host and optionally a path (exact without query, or a RegExp on path and query). */
  count(host?: SimHost, path?: string | RegExp): number
  /** The most requests a host had in flight at once. */
  maxInFlight(host: SimHost): number
  inject(rule: FaultRule, fault: Fault): void
  /** Answers `pathAndQuery` (after the host prefix) with these responses in turn, the last repeating. */
  define(host: SimHost, pathAndQuery: string, responses: CannedResponse | ReadonlyArray<CannedResponse>): void
  /** Replays a scenario recording (e.g. `github/pygithub_server_error_500_then_200.json`) in place of the default. */
  useRecording(file: string): void
  setLatency(ms: number, host?: SimHost): void
  setQuota(host: SimHost, quota: QuotaOptions | null): void
  /** Changes `synthetic-N`: one more star, one more release and a commit made at `atMs` (default: now). */
  touch(n: number, atMs?: number): void
  /** Forgets faults, defined routes, replay positions, quotas, latency and the request log. */
  reset(): void
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------------

interface Canned {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Served exactly as recorded: its rate-limit headers are not replaced by the simulated quota's. */
  readonly verbatim: boolean
}

interface Collection {
  readonly items: ReadonlyArray<unknown>
  /** Bitbucket's `size`, when the recording gave it. */
  readonly size: number | null
}

interface QuotaState {
  limit: number
  windowSeconds: number
  remaining: number
  resetAtMs: number
}

const DEFAULT_QUOTAS: Readonly<Record<SimHost, QuotaOptions | null>> = {
  github: { limit: 5000, windowSeconds: 3600 },
  gitlab: { limit: 2000, windowSeconds: 60 },
  bitbucket: null,
  codeberg: null,
  pypi: null
}

// Hop-by-hop and body-encoding headers of the recordings, which no longer describe the body we send.
const DROPPED_HEADERS = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "content-encoding",
  "keep-alive",
  "status",
  "date",
  "set-cookie"
])
const RATE_HEADER = /^(x-)?ratelimit-/i

const PAGE_SIZE: Readonly<Record<SimHost, { readonly param: string; readonly initial: number; readonly max: number }>> =
  {
    github: { param: "per_page", initial: 30, max: 100 },
    gitlab: { param: "per_page", initial: 20, max: 100 },
    codeberg: { param: "limit", initial: 30, max: 50 },
    bitbucket: { param: "pagelen", initial: 10, max: 100 },
    pypi: { param: "per_page", initial: 30, max: 100 }
  }

const NOT_FOUND_BODY: Readonly<Record<SimHost, unknown>> = {
  github: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
  gitlab: { message: "404 Project Not Found" },
  bitbucket: { type: "error", error: { message: "Repository not found" } },
  codeberg: { message: "The target couldn't be found.", url: "https://codeberg.org/api/swagger", errors: [] },
  pypi: { message: "Not Found" }
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex")
const json = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value))
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
const stripSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, "") : path)
const normalizeQuery = (params: URLSearchParams) => {
  const entries = [...params.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
  return entries.length === 0 ? "" : `?${entries.map(([k, v]) => `${k}=${v}`).join("&")}`
}
const pypiNormalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-")

const itemDate = (host: SimHost, item: any): number | undefined => {
  const raw =
    host === "gitlab"
      ? (item?.committed_date ?? item?.created_at)
      : host === "bitbucket"
        ? item?.date
        : (item?.commit?.committer?.date ?? item?.commit?.author?.date ?? item?.created)
  if (typeof raw !== "string") return undefined
  const ms = Date.parse(raw)
  return Number.isNaN(ms) ? undefined : ms
}

/** Starts a simulator; `close()` it when done. */
export const startSimulator = async (options: SimulatorOptions = {}): Promise<Simulator> => {
  const fixturesDir = options.fixturesDir ?? defaultFixturesDir
  const now = options.now ?? Date.now
  const anchorMs = options.anchorMs ?? Math.floor(now() / 86_400_000) * 86_400_000
  const syntheticCount = options.syntheticCount ?? 10_000

  const sockets = new Set<Socket>()
  const server = createServer((req, res) => void handle(req, res))
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("the simulator has no TCP address")
  const origin = `http://127.0.0.1:${address.port}`
  const baseUrls = Object.fromEntries(
    (Object.keys(SIM_HOSTS) as Array<SimHost>).map((h) => [h, `${origin}${SIM_HOSTS[h].prefix}`])
  ) as Record<SimHost, string>

  const rewrite = (text: string) => {
    let out = text
    for (const h of Object.keys(SIM_HOSTS) as Array<SimHost>) {
      const upstream = h === "pypi" ? "https://pypi.org/pypi/" : SIM_HOSTS[h].upstream
      const local = h === "pypi" ? `${baseUrls.pypi}/pypi/` : baseUrls[h]
      out = out.replaceAll(upstream, local)
    }
    return out
  }

  const cannedOf = (status: number, rawHeaders: Record<string, unknown>, body: string, verbatim: boolean): Canned => {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(rawHeaders ?? {})) {
      const name = k.toLowerCase()
      if (DROPPED_HEADERS.has(name) || v === null || v === undefined) continue
      headers[name] = rewrite(String(v))
    }
    return { status, headers, body, verbatim }
  }

  // ---- the recordings --------------------------------------------------------------------------
  const recorded = new Map<string, Array<Canned>>() // "host path?query"
  const recordedByPath = new Map<string, Array<Canned>>() // "host path", object bodies only
  const pages = new Map<string, Map<number, { items: Array<unknown>; last: boolean; size: number | null }>>()
  const scenarios = new Map<string, Array<{ key: string; pathKey: string; canned: Canned }>>()
  const knownRepos = new Set<string>() // "host owner/repo" or "gitlab <id>"
  const pypiCanonical = new Map<string, string>() // normalised → canonical name

  const locate = (url: string): { host: SimHost; path: string; query: URLSearchParams } | undefined => {
    for (const h of Object.keys(SIM_HOSTS) as Array<SimHost>) {
      const upstream = SIM_HOSTS[h].upstream
      if (url.startsWith(upstream)) {
        const u = new URL(`http://x${url.slice(upstream.length) || "/"}`)
        return { host: h, path: stripSlash(u.pathname), query: u.searchParams }
      }
    }
    return undefined
  }

  const learn = (host: SimHost, body: any) => {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return
    if (host === "github" && typeof body.full_name === "string" && "stargazers_count" in body) {
      knownRepos.add(`github ${body.full_name}`)
    }
    if (host === "gitlab" && typeof body.id === "number" && "path_with_namespace" in body) {
      knownRepos.add(`gitlab ${body.id}`)
    }
    if (host === "codeberg" && typeof body.full_name === "string") knownRepos.add(`codeberg ${body.full_name}`)
    if (host === "bitbucket" && typeof body.full_name === "string") knownRepos.add(`bitbucket ${body.full_name}`)
  }

  for (const dir of FIXTURE_DIRS) {
    let files: Array<string>
    try {
      files = readdirSync(join(fixturesDir, dir))
        .filter((f) => f.endsWith(".json"))
        .sort()
    } catch {
      continue
    }
    for (const file of files) {
      const name = `${dir}/${file}`
      const data = JSON.parse(readFileSync(join(fixturesDir, dir, file), "utf8"))
      let exchanges: Array<{
        request: { method: string; url: string }
        status: number
        headers: any
        body: unknown
        raw?: string
      }>
      if (Array.isArray(data?.exchanges)) exchanges = data.exchanges
      else if (data?.request !== undefined) exchanges = [{ ...data, raw: data.raw_body }]
      else {
        // A bare PyPI JSON document (djangopackages' test data): served at /pypi/<name>/json.
        const project: string = data?.info?.name ?? file.replace(/^djp_pypi-/, "").replace(/\.json$/, "")
        pypiCanonical.set(pypiNormalize(project), project)
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "cache-control": "max-age=900, public"
        }
        if (typeof data?.last_serial === "number") headers["x-pypi-last-serial"] = String(data.last_serial)
        exchanges = [
          { request: { method: "GET", url: `https://pypi.org/pypi/${project}/json` }, status: 200, headers, body: data }
        ]
      }
      const steps: Array<{ key: string; pathKey: string; canned: Canned }> = []
      for (const e of exchanges) {
        if ((e.request.method ?? "GET").toUpperCase() !== "GET") continue
        // A headers-only recording (no body kept) cannot be replayed as a 200.
        if (e.status === 200 && (e.body === null || e.body === undefined) && e.raw === undefined) continue
        const where = locate(e.request.url)
        if (where === undefined) continue
        const body = e.raw ?? (e.body === null || e.body === undefined ? "" : rewrite(json(e.body)))
        const key = `${where.host} ${where.path}${normalizeQuery(where.query)}`
        const pathKey = `${where.host} ${where.path}`
        steps.push({ key, pathKey, canned: cannedOf(e.status, e.headers ?? {}, body, SCENARIO_ONLY.has(name)) })
        if (where.host === "pypi" && e.status === 200) {
          const m = /^\/pypi\/([^/]+)\//.exec(where.path)
          if (m !== null) pypiCanonical.set(pypiNormalize(m[1]!), decodeURIComponent(m[1]!))
        }
        if (e.status === 200) learn(where.host, e.body)
        // Lists: remember each recorded page, to re-paginate them.
        const envelope = e.body as any
        const items = Array.isArray(e.body) ? e.body : Array.isArray(envelope?.values) ? envelope.values : undefined
        if (e.status === 200 && items !== undefined && !SCENARIO_ONLY.has(name)) {
          const page = Number(where.query.get("page") ?? "1")
          const link = String(Object.entries(e.headers ?? {}).find(([k]) => k.toLowerCase() === "link")?.[1] ?? "")
          const nextPage = Object.entries(e.headers ?? {}).find(([k]) => k.toLowerCase() === "x-next-page")?.[1]
          const hasNext = Array.isArray(e.body)
            ? /rel="next"/.test(link) || (nextPage !== undefined && nextPage !== "")
            : typeof envelope?.next === "string"
          const byPage = pages.get(pathKey) ?? new Map()
          if (!byPage.has(page)) {
            byPage.set(page, {
              items: JSON.parse(rewrite(JSON.stringify(items))),
              last: !hasNext,
              size: envelope?.size ?? null
            })
          }
          pages.set(pathKey, byPage)
        }
      }
      scenarios.set(name, steps)
      if (SCENARIO_ONLY.has(name)) continue
      const fromThisFile = new Set<string>()
      for (const step of steps) {
        // The first recording (in file order) of a URL wins; a file may hold several steps for one URL.
        if (recorded.has(step.key) && !fromThisFile.has(step.key)) continue
        fromThisFile.add(step.key)
        recorded.set(step.key, [...(recorded.get(step.key) ?? []), step.canned])
        const isObject = step.canned.body.startsWith("{")
        if (isObject && (!recordedByPath.has(step.pathKey) || fromThisFile.has(`path ${step.pathKey}`))) {
          fromThisFile.add(`path ${step.pathKey}`)
          recordedByPath.set(step.pathKey, [...(recordedByPath.get(step.pathKey) ?? []), step.canned])
        }
      }
    }
  }

  // Stitch recorded pages (from page 1, without gaps) into whole lists.
  const collections = new Map<string, Collection>()
  for (const [pathKey, byPage] of pages) {
    const items: Array<unknown> = []
    let size: number | null = null
    for (let p = 1; byPage.has(p); p++) {
      const page = byPage.get(p)!
      items.push(...page.items)
      size ??= page.size
      if (page.last) break
    }
    if (byPage.has(1)) collections.set(pathKey, { items, size })
  }

  // ---- mutable state ---------------------------------------------------------------------------
  const log: Array<SimRequest> = []
  let faults: Array<{ rule: FaultRule; fault: Fault; left: number }> = []
  let overrides = new Map<string, Array<Canned>>()
  let overridesByPath = new Map<string, Array<Canned>>()
  let cursors = new Map<string, number>()
  let latency = { all: options.latencyMs ?? 0, byHost: new Map<SimHost, number>() }
  const inFlight = new Map<SimHost, number>()
  const peak = new Map<SimHost, number>()
  let touches = new Map<number, Array<number>>()
  const quotas = new Map<SimHost, QuotaState>()
  const configureQuotas = () => {
    quotas.clear()
    for (const h of Object.keys(SIM_HOSTS) as Array<SimHost>) {
      const q = options.quotas?.[h] === undefined ? DEFAULT_QUOTAS[h] : options.quotas[h]
      if (q !== null && q !== undefined) {
        quotas.set(h, {
          limit: q.limit,
          windowSeconds: q.windowSeconds,
          remaining: q.remaining ?? q.limit,
          resetAtMs: 0
        })
      }
    }
  }
  configureQuotas()

  const next = (key: string, sequence: ReadonlyArray<Canned>): Canned => {
    const i = cursors.get(key) ?? 0
    cursors.set(key, i + 1)
    return sequence[Math.min(i, sequence.length - 1)]!
  }

  const jsonCanned = (status: number, body: unknown, headers: Record<string, string> = {}): Canned => ({
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: json(body),
    verbatim: false
  })

  const notFound = (host: SimHost) => jsonCanned(404, NOT_FOUND_BODY[host])

  // ---- lists -----------------------------------------------------------------------------------
  const listPage = (
    host: SimHost,
    path: string,
    query: URLSearchParams,
    all: ReadonlyArray<unknown>,
    size: number | null
  ) => {
    const since = query.get("since"),
      until = query.get("until")
    const sinceMs = since === null ? null : Date.parse(since)
    const untilMs = until === null ? null : Date.parse(until)
    const items =
      sinceMs === null && untilMs === null
        ? all
        : all.filter((item) => {
            const d = itemDate(host, item)
            return d === undefined || ((sinceMs === null || d >= sinceMs) && (untilMs === null || d <= untilMs))
          })
    const { param, initial, max } = PAGE_SIZE[host]
    const bitbucketCommits = host === "bitbucket" && /\/commits(\/[^/]+)?$/.test(path)
    const perPage = Math.min(max, Math.max(1, Number(query.get(param) ?? (bitbucketCommits ? 30 : initial)) || initial))
    const page = Math.max(1, Number(query.get("page") ?? "1") || 1)
    const total = items.length
    const lastPage = Math.max(1, Math.ceil(total / perPage))
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const urlFor = (p: number) => {
      const q = new URLSearchParams(query)
      q.set("page", String(p))
      if (!q.has(param)) q.set(param, String(perPage))
      return `${baseUrls[host]}${path}?${q.toString()}`
    }
    if (host === "bitbucket") {
      const body: Record<string, unknown> = { pagelen: perPage, values: slice, page }
      if (!bitbucketCommits) body["size"] = sinceMs === null && untilMs === null && size !== null ? size : total
      if (page < lastPage) body["next"] = urlFor(page + 1)
      return jsonCanned(200, body)
    }
    const links: Array<string> = []
    if (page < lastPage) links.push(`<${urlFor(page + 1)}>; rel="next"`, `<${urlFor(lastPage)}>; rel="last"`)
    if (page > 1) links.push(`<${urlFor(page - 1)}>; rel="prev"`, `<${urlFor(1)}>; rel="first"`)
    const headers: Record<string, string> = {}
    if (links.length > 0) headers["link"] = links.join(", ")
    if (host === "gitlab") {
      Object.assign(headers, {
        "x-page": String(page),
        "x-per-page": String(perPage),
        "x-total": String(total),
        "x-total-pages": String(lastPage),
        "x-next-page": page < lastPage ? String(page + 1) : "",
        "x-prev-page": page > 1 ? String(page - 1) : ""
      })
    }
    if (host === "codeberg") headers["x-total-count"] = String(total)
    return jsonCanned(200, slice, headers)
  }

  // ---- derived answers for recorded repositories -------------------------------------------------
  const derived = (host: SimHost, path: string, query: URLSearchParams): Canned | undefined => {
    if (host === "github") {
      const m = /^\/repos\/([^/]+\/[^/]+)\/(contributors|commits|stats\/participation)$/.exec(path)
      if (m === null || !knownRepos.has(`github ${m[1]}`)) return undefined
      const commits = collections.get(`github /repos/${m[1]}/commits`)?.items ?? []
      if (m[2] === "stats/participation") {
        const dates = commits.map((c) => itemDate("github", c)).filter((d) => d !== undefined)
        const all = bucketWeeks(
          dates.map((d) => (d * 1000) as Timestamp),
          (now() * 1000) as Timestamp
        )
        return jsonCanned(200, { all, owner: emptyWeeks() })
      }
      return listPage(host, path, query, [], null)
    }
    if (host === "gitlab") {
      const m = /^\/projects\/(\d+)\/repository\/(commits|contributors|commits\/[^/]+\/sequence)$/.exec(path)
      if (m === null || !knownRepos.has(`gitlab ${m[1]}`)) return undefined
      const commits = collections.get(`gitlab /projects/${m[1]}/repository/commits`)?.items ?? []
      if (m[2]!.endsWith("/sequence")) return jsonCanned(200, { count: commits.length })
      return listPage(host, path, query, [], null)
    }
    if (host === "codeberg") {
      const m = /^\/repos\/([^/]+\/[^/]+)\/commits$/.exec(path)
      return m !== null && knownRepos.has(`codeberg ${m[1]}`) ? listPage(host, path, query, [], null) : undefined
    }
    if (host === "bitbucket") {
      // The recording lists every branch's commits (`/commits`); it also answers for one branch (`/commits/<rev>`).
      const branch = /^\/repositories\/([^/]+\/[^/]+)\/commits\/[^/]+$/.exec(path)
      if (branch !== null && knownRepos.has(`bitbucket ${branch[1]}`)) {
        const commits = collections.get(`bitbucket /repositories/${branch[1]}/commits`)
        return listPage(host, path, query, commits?.items ?? [], null)
      }
      const m = /^\/repositories\/([^/]+\/[^/]+)\/(commits|forks|watchers)$/.exec(path)
      return m !== null && knownRepos.has(`bitbucket ${m[1]}`) ? listPage(host, path, query, [], 0) : undefined
    }
    // PyPI answers a non-canonical project name with a permanent redirect to the canonical one.
    const m = /^\/pypi\/([^/]+)\/((?:[^/]+\/)?json)$/.exec(path)
    if (m === null) return undefined
    const canonical = pypiCanonical.get(pypiNormalize(decodeURIComponent(m[1]!)))
    if (canonical === undefined || canonical === decodeURIComponent(m[1]!)) return undefined
    return {
      status: 301,
      headers: {
        location: `${baseUrls.pypi}/pypi/${encodeURIComponent(canonical)}/${m[2]}`,
        "content-type": "text/html"
      },
      body: "",
      verbatim: false
    }
  }

  // ---- synthetic packages ------------------------------------------------------------------------
  const syntheticN = (name: string): number | undefined => {
    const m = /^synthetic-(\d+)$/.exec(name)
    if (m === null) return undefined
    const n = Number(m[1])
    return n < syntheticCount ? n : undefined
  }
  const GITLAB_ID_BASE = 900_000_000

  const synthetic = (host: SimHost, path: string, query: URLSearchParams): Canned | undefined => {
    if (host === "pypi") {
      const m = /^\/pypi\/([^/]+)\/json$/.exec(path)
      const n = m === null ? undefined : syntheticN(m[1]!)
      if (n === undefined) return undefined
      const doc: any = syntheticPypi(n, touches.get(n) ?? [], anchorMs)
      return jsonCanned(200, doc, {
        "x-pypi-last-serial": String(doc.last_serial),
        "cache-control": "max-age=900, public"
      })
    }
    let n: number | undefined
    let rest = ""
    if (host === "gitlab") {
      const m = /^\/projects\/([^/]+)(\/.*)?$/.exec(path)
      if (m === null) return undefined
      const id = decodeURIComponent(m[1]!)
      const byPath = /^synthetic\/(synthetic-\d+)$/.exec(id)
      n =
        byPath !== null
          ? syntheticN(byPath[1]!)
          : /^\d+$/.test(id)
            ? syntheticN(`synthetic-${Number(id) - GITLAB_ID_BASE}`)
            : undefined
      rest = m[2] ?? ""
    } else {
      const prefix = host === "bitbucket" ? "repositories" : "repos"
      const m = new RegExp(`^/${prefix}/synthetic/([^/]+)(/.*)?$`).exec(path)
      if (m === null) return undefined
      n = syntheticN(m[1]!)
      rest = m[2] ?? ""
    }
    if (n === undefined) return undefined
    const repo = syntheticRepo(n, touches.get(n) ?? [], anchorMs)
    return syntheticAnswer(host, repo, rest, path, query)
  }

  const syntheticAnswer = (
    host: SimHost,
    repo: SyntheticRepo,
    rest: string,
    path: string,
    query: URLSearchParams
  ): Canned | undefined => {
    const fullName = `${repo.owner}/${repo.name}`
    const newest = repo.commits[0]?.dateMs ?? repo.createdMs
    if (host === "github") {
      if (rest === "") {
        return jsonCanned(200, {
          id: 500_000_000 + repo.n,
          name: repo.name,
          full_name: fullName,
          owner: { login: repo.owner },
          html_url: `https://github.com/${fullName}`,
          description: repo.description,
          stargazers_count: repo.stars,
          watchers_count: repo.stars,
          subscribers_count: repo.watchers,
          forks_count: repo.forks,
          open_issues_count: repo.openIssues,
          archived: repo.archived,
          default_branch: "main",
          topics: repo.topics,
          created_at: isoSeconds(repo.createdMs),
          pushed_at: isoSeconds(newest),
          updated_at: isoSeconds(newest)
        })
      }
      if (rest === "/contributors") {
        const items = repo.contributors.map((c) => ({ login: c.login, type: "User", contributions: c.commits }))
        return listPage(host, path, query, items, null)
      }
      if (rest === "/commits") {
        const items = repo.commits.map((c) => ({
          sha: c.sha,
          commit: {
            author: { name: c.author, date: isoSeconds(c.dateMs) },
            committer: { name: c.author, date: isoSeconds(c.dateMs) }
          },
          author: { login: c.author }
        }))
        return listPage(host, path, query, items, null)
      }
      if (rest === "/stats/participation") {
        const all = bucketWeeks(
          repo.commits.map((c) => (c.dateMs * 1000) as Timestamp),
          (now() * 1000) as Timestamp
        )
        return jsonCanned(200, { all, owner: emptyWeeks() })
      }
      return undefined
    }
    if (host === "gitlab") {
      const id = GITLAB_ID_BASE + repo.n
      if (rest === "") {
        return jsonCanned(200, {
          id,
          path_with_namespace: fullName,
          web_url: `https://gitlab.com/${fullName}`,
          description: repo.description,
          star_count: repo.stars,
          forks_count: repo.forks,
          open_issues_count: repo.openIssues,
          archived: repo.archived,
          default_branch: "main",
          topics: repo.topics,
          last_activity_at: new Date(newest).toISOString()
        })
      }
      if (rest === "/repository/contributors") {
        const items = repo.contributors.map((c) => ({
          name: c.login,
          email: `${c.login}@example.org`,
          commits: c.commits
        }))
        return listPage(host, path, query, items, null)
      }
      if (rest === "/repository/commits") {
        const items = repo.commits.map((c) => ({
          id: c.sha,
          short_id: c.sha.slice(0, 8),
          author_name: c.author,
          committed_date: new Date(c.dateMs).toISOString(),
          created_at: new Date(c.dateMs).toISOString()
        }))
        return listPage(host, path, query, items, null)
      }
      if (/^\/repository\/commits\/[^/]+\/sequence$/.test(rest)) return jsonCanned(200, { count: repo.commits.length })
      return undefined
    }
    if (host === "codeberg") {
      if (rest === "") {
        return jsonCanned(200, {
          id: 700_000 + repo.n,
          full_name: fullName,
          html_url: `https://codeberg.org/${fullName}`,
          description: repo.description,
          stars_count: repo.stars,
          watchers_count: repo.watchers,
          forks_count: repo.forks,
          open_issues_count: repo.openIssues,
          archived: repo.archived,
          archived_at: repo.archivedAtMs === null ? "1970-01-01T00:00:00Z" : isoSeconds(repo.archivedAtMs),
          default_branch: "main",
          topics: repo.topics,
          updated_at: isoSeconds(newest)
        })
      }
      if (rest === "/commits") {
        const items = repo.commits.map((c) => ({
          sha: c.sha,
          created: isoSeconds(c.dateMs),
          commit: {
            author: { name: c.author, date: isoSeconds(c.dateMs) },
            committer: { name: c.author, date: isoSeconds(c.dateMs) }
          },
          author: { login: c.author }
        }))
        return listPage(host, path, query, items, null)
      }
      return undefined
    }
    // Bitbucket
    if (rest === "" || rest === "/") {
      return jsonCanned(200, {
        type: "repository",
        full_name: fullName,
        name: repo.name,
        slug: repo.name,
        description: repo.description,
        links: { html: { href: `https://bitbucket.org/${fullName}` } },
        mainbranch: { type: "branch", name: "main" },
        updated_on: new Date(newest).toISOString()
      })
    }
    const r = stripSlash(rest)
    if (r === "/commits" || /^\/commits\/[^/]+$/.test(r)) {
      const items = repo.commits.map((c) => ({
        type: "commit",
        hash: c.sha,
        date: new Date(c.dateMs).toISOString().replace("Z", "+00:00"),
        author: {
          type: "author",
          raw: `${c.author} <${c.author}@example.org>`,
          user: { nickname: c.author, type: "user" }
        }
      }))
      return listPage(host, path, query, items, null)
    }
    if (r === "/forks" || r === "/watchers") {
      const count = r === "/forks" ? repo.forks : repo.stars
      const perPage = Math.min(100, Number(query.get("pagelen") ?? "10") || 10)
      const page = Math.max(1, Number(query.get("page") ?? "1") || 1)
      const values = Array.from({ length: Math.max(0, Math.min(perPage, count - (page - 1) * perPage)) }, (_, i) => ({
        type: r === "/forks" ? "repository" : "user",
        display_name: `user-${(page - 1) * perPage + i}`
      }))
      const body: Record<string, unknown> = { pagelen: perPage, values, page, size: count }
      if (page * perPage < count) {
        const q = new URLSearchParams(query)
        q.set("page", String(page + 1))
        body["next"] = `${baseUrls.bitbucket}${path}?${q.toString()}`
      }
      return jsonCanned(200, body)
    }
    return undefined
  }

  // ---- resolution --------------------------------------------------------------------------------
  const resolve = (host: SimHost, path: string, query: URLSearchParams): Canned => {
    const key = `${host} ${path}${normalizeQuery(query)}`
    const pathKey = `${host} ${path}`
    const override = overrides.get(key)
    if (override !== undefined) return next(`o ${key}`, override)
    const overrideByPath = overridesByPath.get(pathKey)
    if (overrideByPath !== undefined) return next(`op ${pathKey}`, overrideByPath)
    const exact = recorded.get(key)
    if (exact !== undefined) return next(key, exact)
    const collection = collections.get(pathKey)
    if (collection !== undefined) return listPage(host, path, query, collection.items, collection.size)
    const single = recordedByPath.get(pathKey)
    if (single !== undefined) return next(`p ${pathKey}`, single)
    return derived(host, path, query) ?? synthetic(host, path, query) ?? notFound(host)
  }

  const matches = (rule: FaultRule, host: SimHost, path: string, pathAndQuery: string) =>
    (rule.host === undefined || rule.host === host) &&
    (rule.path === undefined ||
      (typeof rule.path === "string" ? stripSlash(rule.path) === path : rule.path.test(pathAndQuery)))

  const rateHeaders = (host: SimHost, q: QuotaState): Record<string, string> => {
    const resetSeconds = Math.ceil(q.resetAtMs / 1000)
    if (host === "gitlab") {
      return {
        "ratelimit-limit": String(q.limit),
        "ratelimit-observed": String(q.limit - q.remaining),
        "ratelimit-remaining": String(q.remaining),
        "ratelimit-reset": String(resetSeconds),
        "ratelimit-resettime": new Date(resetSeconds * 1000).toUTCString()
      }
    }
    return {
      "x-ratelimit-limit": String(q.limit),
      "x-ratelimit-remaining": String(q.remaining),
      "x-ratelimit-used": String(q.limit - q.remaining),
      "x-ratelimit-reset": String(resetSeconds),
      "x-ratelimit-resource": "core"
    }
  }

  const faultResponse = (host: SimHost, fault: Fault): Canned | "timeout" | undefined => {
    const nowMs = now()
    switch (fault.kind) {
      case "status":
        return {
          ...jsonCanned(fault.status, fault.body ?? { message: `HTTP ${fault.status}` }),
          headers: { "content-type": "application/json; charset=utf-8", ...fault.headers }
        }
      case "serverError":
        return jsonCanned(
          fault.status ?? 500,
          fault.status === 502 ? { message: "Server Error" } : { error: "Server Error" }
        )
      case "notFound":
        return notFound(host)
      case "malformed":
        return {
          status: 200,
          headers: { "content-type": "application/json; charset=utf-8" },
          body: '{"id": 1, "name": "trunc',
          verbatim: true
        }
      case "timeout":
        return "timeout"
      case "moved": {
        const location = /^https?:/.test(fault.to) ? fault.to : `${baseUrls[host]}${fault.to}`
        return jsonCanned(
          301,
          { message: "Moved Permanently", url: location, documentation_url: "https://docs.github.com/rest" },
          { location }
        )
      }
      case "rateLimit": {
        const status = fault.status ?? 403
        const headers: Record<string, string> = {}
        if (fault.retryAfterSeconds !== undefined) {
          headers["retry-after"] = String(fault.retryAfterSeconds)
          // A secondary limit: the primary quota is not spent.
          headers["x-ratelimit-remaining"] = "4000"
          headers["x-ratelimit-limit"] = "5000"
          headers["x-ratelimit-reset"] = String(Math.ceil(nowMs / 1000) + 3600)
          return jsonCanned(
            status,
            {
              message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
              documentation_url:
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
            },
            headers
          )
        }
        headers["x-ratelimit-limit"] = "5000"
        headers["x-ratelimit-remaining"] = "0"
        headers["x-ratelimit-used"] = "5000"
        headers["x-ratelimit-reset"] = String(Math.ceil(nowMs / 1000) + (fault.resetInSeconds ?? 3600))
        return jsonCanned(
          status,
          {
            message:
              "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
            documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
          },
          headers
        )
      }
      case "slowBody":
        return undefined
    }
  }

  const etagMatches = (ifNoneMatch: string, etag: string) => {
    const bare = (t: string) => t.trim().replace(/^W\//, "")
    return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => bare(t) === bare(etag))
  }

  const send = async (res: ServerResponse, canned: Canned, slow?: { chunkDelayMs: number; chunks: number }) => {
    res.writeHead(canned.status, { ...canned.headers, "content-length": String(Buffer.byteLength(canned.body)) })
    if (slow === undefined || canned.body.length === 0) {
      res.end(canned.body)
      return
    }
    const buffer = Buffer.from(canned.body)
    const size = Math.ceil(buffer.length / slow.chunks)
    for (let i = 0; i < buffer.length; i += size) {
      if (res.destroyed) return
      res.write(buffer.subarray(i, i + size))
      await new Promise((r) => setTimeout(r, slow.chunkDelayMs))
    }
    res.end()
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin)
    const host = (Object.keys(SIM_HOSTS) as Array<SimHost>).find(
      (h) => url.pathname === SIM_HOSTS[h].prefix || url.pathname.startsWith(`${SIM_HOSTS[h].prefix}/`)
    )
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])
    )
    const path =
      host === undefined ? url.pathname : stripSlash(url.pathname.slice(SIM_HOSTS[host].prefix.length) || "/")
    const entry: SimRequest = {
      host: host ?? null,
      method: req.method ?? "GET",
      path: `${path}${url.search}`,
      headers,
      status: 0
    }
    log.push(entry)
    if (host === undefined) {
      entry.status = 404
      res.writeHead(404, { "content-type": "text/plain" }).end("no such simulated host")
      return
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      entry.status = 405
      res.writeHead(405, { allow: "GET, HEAD" }).end()
      return
    }
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1)
    peak.set(host, Math.max(peak.get(host) ?? 0, inFlight.get(host)!))
    res.on("close", () => inFlight.set(host, (inFlight.get(host) ?? 1) - 1))

    const delay = latency.byHost.get(host) ?? latency.all
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))

    const rule = faults.find((f) => f.left > 0 && matches(f.rule, host, path, `${path}${url.search}`))
    let slow: { chunkDelayMs: number; chunks: number } | undefined
    if (rule !== undefined) {
      rule.left--
      if (rule.fault.kind === "slowBody")
        slow = { chunkDelayMs: rule.fault.chunkDelayMs, chunks: rule.fault.chunks ?? 10 }
      else {
        const answer = faultResponse(host, rule.fault)
        if (answer === "timeout") {
          entry.status = -1
          return // never answer; the socket closes when the client gives up or the simulator closes
        }
        if (answer !== undefined) {
          entry.status = answer.status
          await send(res, answer)
          return
        }
      }
    }

    const nowMs = now()
    const quota = quotas.get(host)
    if (quota !== undefined && quota.resetAtMs === 0) quota.resetAtMs = nowMs + quota.windowSeconds * 1000
    else if (quota !== undefined && nowMs >= quota.resetAtMs) {
      quota.remaining = quota.limit
      quota.resetAtMs = nowMs + quota.windowSeconds * 1000
    }
    if (quota !== undefined && quota.remaining <= 0) {
      const retryAfter = String(Math.max(1, Math.ceil((quota.resetAtMs - nowMs) / 1000)))
      const answer =
        host === "gitlab"
          ? {
              status: 429,
              headers: { "content-type": "text/plain", "retry-after": retryAfter, ...rateHeaders(host, quota) },
              body: "Retry later",
              verbatim: true
            }
          : jsonCanned(
              403,
              {
                message: "API rate limit exceeded for 127.0.0.1.",
                documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
              },
              rateHeaders(host, quota)
            )
      entry.status = answer.status
      await send(res, answer)
      return
    }

    let canned = resolve(host, path, url.searchParams)
    if (canned.status === 200) {
      let etag = canned.headers["etag"]
      if (etag === undefined) {
        etag = `"${sha1(canned.body).slice(0, 32)}"`
        canned = { ...canned, headers: { ...canned.headers, etag } }
      }
      const ifNoneMatch = headers["if-none-match"]
      const ifModifiedSince = headers["if-modified-since"]
      const lastModified = canned.headers["last-modified"]
      const unchanged =
        ifNoneMatch !== undefined && ifNoneMatch !== ""
          ? etagMatches(ifNoneMatch, etag)
          : ifModifiedSince !== undefined && ifModifiedSince !== "" && lastModified !== undefined
            ? Date.parse(lastModified) <= Date.parse(ifModifiedSince)
            : false
      if (unchanged) {
        const kept = Object.fromEntries(
          Object.entries(canned.headers).filter(
            ([k]) => ["etag", "last-modified", "cache-control", "vary"].includes(k) || RATE_HEADER.test(k)
          )
        )
        canned = { status: 304, headers: kept, body: "", verbatim: canned.verbatim }
      }
    }
    if (quota !== undefined && !canned.verbatim) {
      // A 304 is free, as on GitHub; every other answer spends one request.
      if (canned.status !== 304) quota.remaining--
      const stripped = Object.fromEntries(Object.entries(canned.headers).filter(([k]) => !RATE_HEADER.test(k)))
      canned = { ...canned, headers: { ...stripped, ...rateHeaders(host, quota) } }
    }
    entry.status = canned.status
    if (req.method === "HEAD") canned = { ...canned, body: "" }
    await send(res, canned, slow)
  }

  const countMatching = (host?: SimHost, path?: string | RegExp) =>
    log.filter(
      (r) =>
        (host === undefined || r.host === host) &&
        (path === undefined ||
          (typeof path === "string" ? stripSlash(path) === r.path.replace(/\?.*$/, "") : path.test(r.path)))
    ).length

  const toCanned = (r: CannedResponse): Canned => ({
    status: r.status ?? 200,
    headers: { "content-type": "application/json; charset=utf-8", ...r.headers },
    body: r.body === undefined ? "" : json(r.body),
    verbatim: false
  })

  const simulator: Simulator = {
    origin,
    baseUrls,
    env: Object.fromEntries((Object.keys(SIM_HOSTS) as Array<SimHost>).map((h) => [SIM_ENV[h], baseUrls[h]])),
    requests: log,
    count: countMatching,
    maxInFlight: (host) => peak.get(host) ?? 0,
    inject: (rule, fault) => {
      faults.push({ rule, fault, left: rule.times ?? Number.POSITIVE_INFINITY })
    },
    define: (host, pathAndQuery, responses) => {
      const u = new URL(`http://x${pathAndQuery}`)
      const list = (Array.isArray(responses) ? responses : [responses]).map(toCanned)
      const key = `${host} ${stripSlash(u.pathname)}${normalizeQuery(u.searchParams)}`
      overrides.set(key, list)
      cursors.delete(`o ${key}`)
      if (u.search === "") {
        overridesByPath.set(`${host} ${stripSlash(u.pathname)}`, list)
        cursors.delete(`op ${host} ${stripSlash(u.pathname)}`)
      }
    },
    useRecording: (file) => {
      const steps = scenarios.get(file)
      if (steps === undefined) throw new Error(`no recording ${file} under ${fixturesDir}`)
      const byKey = new Map<string, Array<Canned>>()
      for (const s of steps) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s.canned])
      for (const [key, list] of byKey) {
        overrides.set(key, list)
        cursors.delete(`o ${key}`)
      }
    },
    setLatency: (ms, host) => {
      if (host === undefined) latency.all = ms
      else latency.byHost.set(host, ms)
    },
    setQuota: (host, quota) => {
      if (quota === null) quotas.delete(host)
      else
        quotas.set(host, {
          limit: quota.limit,
          windowSeconds: quota.windowSeconds,
          remaining: quota.remaining ?? quota.limit,
          resetAtMs: now() + quota.windowSeconds * 1000
        })
    },
    touch: (n, atMs) => {
      const earlier = touches.get(n) ?? []
      touches.set(n, [...earlier, Math.max(atMs ?? now(), ...earlier.map((t) => t + 1000))])
    },
    reset: () => {
      log.length = 0
      faults = []
      overrides = new Map()
      overridesByPath = new Map()
      cursors = new Map()
      latency = { all: options.latencyMs ?? 0, byHost: new Map() }
      peak.clear()
      touches = new Map()
      configureQuotas()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  return simulator
}

/** The simulator as a scoped resource: started on acquire, closed on release. */
export const simulatorResource = (options: SimulatorOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startSimulator(options)),
    (sim) => Effect.promise(() => sim.close())
  )
