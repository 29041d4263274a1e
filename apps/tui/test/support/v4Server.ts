/**
 * A real HTTP server answering the two API v4 package endpoints the dashboard reads, from canned
 * v4 JSON, with DRF's pagination envelope and error bodies. `fail` makes it answer errors until reset.
 */
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export type V4Package = Record<string, unknown> & { readonly slug: string; readonly title: string }

/** The one real v4 response we hold (djangopackages.org, dj-stripe, 2026-02-15). */
export const djStripe = JSON.parse(
  readFileSync(new URL("../fixtures/djangopackages-api-v4-package-2012.json", import.meta.url), "utf8")
) as V4Package

/** A v4 package shaped like the real one, with its own identity and numbers. */
export const v4Package = (i: number, overrides: Partial<V4Package> = {}): V4Package => ({
  ...djStripe,
  id: i,
  slug: `package-${i}`,
  title: `Package ${i}`,
  repo_url: `https://github.com/example/package-${i}`,
  repo_watchers: i * 1000,
  repo_forks: i,
  ...overrides
})

export interface V4Server {
  readonly url: string
  /** Paths (with query) in the order they were asked for. */
  readonly requests: Array<string>
  /** Answer every request with this status (and a DRF error body) until set back to null. */
  fail: number | null
  readonly close: () => Promise<void>
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}

export const startV4Server = async (packages: ReadonlyArray<V4Package>): Promise<V4Server> => {
  const state: { fail: number | null } = { fail: null }
  const requests: Array<string> = []
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    requests.push(`${url.pathname}${url.search}`)
    if (state.fail !== null) return send(res, state.fail, { detail: "The server is having a bad day." })
    if (url.pathname === "/api/v4/packages/") {
      const limit = Number(url.searchParams.get("limit") ?? 20)
      const offset = Number(url.searchParams.get("offset") ?? 0)
      return send(res, 200, {
        count: packages.length,
        next:
          offset + limit < packages.length
            ? `http://localhost/api/v4/packages/?limit=${limit}&offset=${offset + limit}`
            : null,
        previous:
          offset > 0 ? `http://localhost/api/v4/packages/?limit=${limit}&offset=${Math.max(0, offset - limit)}` : null,
        results: packages.slice(offset, offset + limit)
      })
    }
    const detail = /^\/api\/v4\/packages\/([^/]+)\/$/.exec(url.pathname)
    const pkg = detail === null ? undefined : packages.find((p) => p.slug === decodeURIComponent(detail[1] ?? ""))
    if (pkg !== undefined) return send(res, 200, pkg)
    return send(res, 404, { detail: "No Package matches the given query." })
  }
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get fail() {
      return state.fail
    },
    set fail(status: number | null) {
      state.fail = status
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((e) => (e === undefined ? resolve() : reject(e)))
      })
  }
}
