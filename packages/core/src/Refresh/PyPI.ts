/**
 * PyPI: project facts from the JSON API, `GET /pypi/<name>/json` — one request per package, conditional
 * on the ETag PyPI sends (a 304 means nothing changed). A non-canonical name is answered with a 301 to
 * the canonical one, which is followed; the facts carry the canonical `name` so the stored PyPI name can
 * be corrected and the redirect not paid again.
 *
 * PyPI has no rate limit at the edge but asks for a User-Agent that names the client and for requests in
 * series rather than bursts (see UPSTREAM_RULES.md); the Http settings give it a small concurrency.
 */
import { Config, Context, Effect, Layer, Schema } from "effect"
import { pypiName } from "../Domain/Package.ts"
import type { Timestamp } from "../Domain/Timestamp.ts"
import {
  developmentStatus,
  documentationUrl,
  licenseList,
  PypiFacts,
  ReleaseFacts,
  supportsPython3,
  Vulnerability
} from "./Facts.ts"
import { Http, UpstreamFailed, UpstreamNotFound, type UpstreamError } from "./Http.ts"
import {
  currentTimestamp,
  decodeBody,
  entryOf,
  type FetchState,
  previousEntry,
  timestampOrNull,
  validatorsOf
} from "./RepoHost.ts"

export interface PyPIConfig {
  /** `https://pypi.org` unless PACKGRID_PYPI_URL says otherwise. */
  readonly baseUrl: string
}

export const PyPIConfig: Config.Config<PyPIConfig> = Config.all({
  baseUrl: Config.string("PACKGRID_PYPI_URL").pipe(Config.withDefault("https://pypi.org"))
})

const HOST = "pypi"
const SOURCE = "pypi"

const File = Schema.Struct({
  upload_time_iso_8601: Schema.optional(Schema.NullOr(Schema.String)),
  upload_time: Schema.optional(Schema.NullOr(Schema.String)),
  yanked: Schema.optional(Schema.Boolean)
})
type File = typeof File.Type

/** The parts of PyPI's JSON we read. */
export const PypiJson = Schema.Struct({
  info: Schema.Struct({
    name: Schema.String,
    version: Schema.String,
    classifiers: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
    license: Schema.optional(Schema.NullOr(Schema.String)),
    license_expression: Schema.optional(Schema.NullOr(Schema.String)),
    requires_python: Schema.optional(Schema.NullOr(Schema.String)),
    docs_url: Schema.optional(Schema.NullOr(Schema.String)),
    project_urls: Schema.optional(
      Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) }))
    )
  }),
  last_serial: Schema.optional(Schema.NullOr(Schema.Number)),
  releases: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Array(File) })),
  urls: Schema.optional(Schema.NullOr(Schema.Array(File))),
  vulnerabilities: Schema.optional(
    Schema.NullOr(
      Schema.Array(
        Schema.Struct({
          id: Schema.String,
          aliases: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
          summary: Schema.optional(Schema.NullOr(Schema.String)),
          fixed_in: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
          link: Schema.optional(Schema.NullOr(Schema.String)),
          withdrawn: Schema.optional(Schema.NullOr(Schema.String))
        })
      )
    )
  )
})
export type PypiJson = typeof PypiJson.Type

// `upload_time_iso_8601` is UTC with microseconds; the older `upload_time` is the same instant without a zone.
// (The reference made the naive value aware in the server's zone, shifting it by hours.)
const uploadTime = (file: File): Timestamp | null =>
  timestampOrNull(file.upload_time_iso_8601 ?? (file.upload_time == null ? null : `${file.upload_time}Z`))

/** The facts of a decoded `/pypi/<name>/json` document (pure: the reference's `package/pypi.py` rules). */
export const pypiFactsOf = (doc: PypiJson): PypiFacts => {
  const classifiers = doc.info.classifiers ?? []
  const licenses = licenseList({
    license_expression: doc.info.license_expression,
    license: doc.info.license,
    classifiers
  })
  const releases = Object.entries(doc.releases ?? {})
    .map(([number, files]) => {
      const times = files.flatMap((f) => {
        const t = uploadTime(f)
        return t === null ? [] : [t]
      })
      return new ReleaseFacts({
        number,
        upload_time: times.length === 0 ? null : (Math.min(...times) as Timestamp),
        yanked: files.length > 0 && files.every((f) => f.yanked === true)
      })
    })
    .sort((a, b) => (a.upload_time ?? -Infinity) - (b.upload_time ?? -Infinity))
  const first = doc.urls?.[0]
  return new PypiFacts({
    name: doc.info.name,
    version: doc.info.version,
    upload_time: first === undefined ? null : uploadTime(first),
    releases,
    classifiers,
    license: licenses[0] ?? null,
    licenses,
    requires_python: doc.info.requires_python === "" ? null : (doc.info.requires_python ?? null),
    documentation_url: documentationUrl(doc.info),
    supports_python3: supportsPython3(classifiers, doc.info.requires_python),
    development_status: developmentStatus(classifiers),
    vulnerabilities: (doc.vulnerabilities ?? []).map(
      (v) =>
        new Vulnerability({
          id: v.id,
          aliases: v.aliases ?? [],
          summary: v.summary ?? null,
          fixed_in: v.fixed_in ?? [],
          link: v.link ?? null,
          withdrawn: timestampOrNull(v.withdrawn)
        })
    ),
    last_serial: doc.last_serial ?? null
  })
}

/** The facts and the state to store, or "unchanged since `state`". */
export type PypiFetch =
  | { readonly _tag: "Fetched"; readonly facts: PypiFacts; readonly state: FetchState }
  | { readonly _tag: "NotModified"; readonly state: FetchState }

export interface PyPIService {
  /** Fetches a project by its PyPI name or stored `pypi_url` (legacy URLs are reduced to the name). */
  readonly fetch: (nameOrUrl: string, previous: FetchState | null) => Effect.Effect<PypiFetch, UpstreamError>
}

/** The PyPI JSON API. */
export class PyPI extends Context.Tag("Refresh.PyPI")<PyPI, PyPIService>() {}

export const make = (config: PyPIConfig): Effect.Effect<PyPIService, never, Http> =>
  Effect.gen(function* () {
    const http = yield* Http
    const base = config.baseUrl.replace(/\/+$/, "")

    const fetch = (nameOrUrl: string, previous: FetchState | null): Effect.Effect<PypiFetch, UpstreamError> =>
      Effect.gen(function* () {
        const asOf = yield* currentTimestamp
        const name = pypiName(nameOrUrl)
        const url = `${base}/pypi/${encodeURIComponent(name)}/json`
        if (name === "") return yield* new UpstreamNotFound({ host: HOST, url })
        const prior = previousEntry(previous, SOURCE, "project", url)
        const validators = validatorsOf(prior)
        const reply = yield* http.get(HOST, url, { validators }).pipe(
          Effect.catchTag("RepoMoved", (moved) =>
            // Only PyPI's own canonical-name redirect is followed; the same validators hold for the same document.
            new URL(moved.location).origin === new URL(url).origin
              ? http.get(HOST, moved.location, { validators })
              : Effect.fail(moved)
          )
        )
        if (reply._tag === "NotModified" && previous !== null) return { _tag: "NotModified", state: previous } as const
        if (reply._tag === "NotModified") {
          return yield* new UpstreamFailed({ host: HOST, url, status: 304, message: "304 without a cached answer" })
        }
        const doc = yield* decodeBody(PypiJson, HOST, reply.url)(reply.body)
        const facts = pypiFactsOf(doc)
        // The value marks the validators as usable (a 304 means "keep the stored facts").
        const state: FetchState = {
          source: SOURCE,
          fetchedAt: asOf,
          entries: { project: entryOf(url, reply.validators, { last_serial: facts.last_serial }) }
        }
        return { _tag: "Fetched", facts, state } as const
      }).pipe(Effect.withSpan("Refresh.PyPI.fetch", { attributes: { name: nameOrUrl } }))

    return { fetch } satisfies PyPIService
  })

/** PyPI with an explicit configuration. */
export const layerWith = (config: PyPIConfig): Layer.Layer<PyPI, never, Http> => Layer.effect(PyPI, make(config))
