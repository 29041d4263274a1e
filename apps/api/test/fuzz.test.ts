/**
 * Property-based tests: garbage thrown at every v4 write and read endpoint — values that are not
 * objects, random keys, wrong types, oversize strings, unknown fields, invalid strings, bad ids, raw
 * bytes, wrong content types, bad query parameters and credentials. Every answer is a 4xx with a
 * message (or a 2xx for a read that is valid after all), never a 5xx, and the catalogue is unchanged.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Grids } from "@packgrid/core/Store/Grids"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { call, type Answer, type Caller, fingerprint, isErrorBody, userWithToken } from "./clients.ts"
import { demoCatalogue, startServer, type TestServer } from "./support.ts"

/** Runs per property; `PACKGRID_FUZZ_RUNS=500` for a longer hunt. */
const RUNS = Number(process.env.PACKGRID_FUZZ_RUNS ?? 50)

type FieldSpec =
  | { readonly kind: "string"; readonly max: number; readonly min?: 1; readonly nullable?: true }
  | { readonly kind: "slug" }
  | { readonly kind: "repo_url" }
  | { readonly kind: "repo_host" }
  | { readonly kind: "date" }
  | { readonly kind: "boolean" }
  | { readonly kind: "reference"; readonly nullable?: true }
  | { readonly kind: "id" }

const PACKAGE_FIELDS: Record<string, FieldSpec> = {
  title: { kind: "string", max: 100, min: 1 },
  slug: { kind: "slug" },
  category: { kind: "reference" },
  repo_url: { kind: "repo_url" },
  repo_host: { kind: "repo_host" },
  pypi_url: { kind: "string", max: 255 },
  documentation_url: { kind: "string", max: 200, nullable: true },
  repo_description: { kind: "string", max: 500 },
  date_deprecated: { kind: "date" },
  deprecates_package: { kind: "reference", nullable: true },
  date_repo_archived: { kind: "date" }
}
const GRID_FIELDS: Record<string, FieldSpec> = {
  title: { kind: "string", max: 100, min: 1 },
  slug: { kind: "slug" },
  description: { kind: "string", max: 1000 },
  is_locked: { kind: "boolean" },
  header: { kind: "boolean" }
}
const FEATURE_FIELDS: Record<string, FieldSpec> = {
  title: { kind: "string", max: 100, min: 1 },
  description: { kind: "string", max: 1000 }
}
const CATEGORY_FIELDS: Record<string, FieldSpec> = {
  title: { kind: "string", max: 50, min: 1 },
  slug: { kind: "slug" },
  description: { kind: "string", max: 5000 },
  title_plural: { kind: "string", max: 50 },
  show_pypi: { kind: "boolean" }
}

interface WriteEndpoint {
  readonly name: string
  readonly method: "POST" | "PUT" | "PATCH"
  /** The path with `target` in its one variable segment (ignored by list endpoints). */
  readonly path: (target: string) => string
  /** An existing object for the variable segment, or undefined for a list endpoint. */
  readonly target: string | undefined
  readonly fields: Record<string, FieldSpec>
  /** A body that would be accepted: every generated body spoils it, so none is. */
  readonly base: Record<string, unknown>
}

interface DeleteEndpoint {
  readonly name: string
  readonly path: (target: string) => string
}

/** A JSON object as text, so keys such as `__proto__` are sent as they are. */
const objectText = (entries: ReadonlyArray<readonly [string, unknown]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`

const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"]
const MAX_SAFE = Number.MAX_SAFE_INTEGER

/** Finite doubles: NaN and the infinities would be sent as `null`, which some fields take. */
const finite = () => fc.double({ noNaN: true, noDefaultInfinity: true })

/** Values of a type the field does not take. */
const wrongType = (spec: FieldSpec): fc.Arbitrary<unknown> => {
  const containers = [
    fc.array(fc.jsonValue(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })
  ]
  const nothing = "nullable" in spec && spec.nullable === true ? [] : [fc.constant(null)]
  switch (spec.kind) {
    case "boolean":
      return fc.oneof(fc.string(), fc.integer(), finite(), fc.constant(null), ...containers)
    case "reference":
      return fc.oneof(
        fc.boolean(),
        ...nothing,
        ...containers,
        finite().filter((d) => !Number.isInteger(d)),
        fc.integer({ min: -MAX_SAFE, max: 0 }),
        fc.constantFrom(MAX_SAFE + 1, 1e300, 2 ** 63, -0.5),
        fc.constant("")
      )
    case "id":
      return fc.oneof(
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        ...containers,
        finite().filter((d) => !Number.isInteger(d)),
        fc.integer({ min: -MAX_SAFE, max: 0 }),
        fc.constantFrom(MAX_SAFE + 1, 1e300, 2 ** 63)
      )
    case "date":
      return fc.oneof(fc.integer(), finite(), fc.boolean(), ...containers)
    default:
      return fc.oneof(fc.integer(), finite(), fc.boolean(), ...nothing, ...containers)
  }
}

/** Strings longer than the field's maximum. */
const oversize = (spec: FieldSpec): fc.Arbitrary<string> | undefined => {
  const max =
    spec.kind === "string"
      ? spec.max
      : spec.kind === "slug"
        ? 50
        : spec.kind === "repo_url"
          ? 200
          : spec.kind === "date"
            ? 64
            : spec.kind === "reference"
              ? 300
              : undefined
  if (max === undefined) return undefined
  return fc.oneof(
    fc.string({ minLength: max + 1, maxLength: max + 200 }),
    fc.string({ unit: "binary", minLength: max + 1, maxLength: max + 50 }),
    fc.integer({ min: max + 1, max: max * 20 }).map((n) => "x".repeat(n))
  )
}

const withNul = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`)

const slugLike = /^[a-z0-9_-]+$/

/** Strings of the right type that the field refuses all the same. */
const invalidString = (spec: FieldSpec, existing: ReadonlySet<string>): fc.Arbitrary<unknown> | undefined => {
  switch (spec.kind) {
    case "string":
      return spec.min === 1 ? fc.oneof(fc.constant(""), withNul) : withNul
    case "slug":
      return fc.oneof(
        fc.string().filter((s) => !slugLike.test(s)),
        fc.stringMatching(/^[0-9]{1,20}$/),
        fc.constantFrom("", "Upper", "with space", "ünïcode", "a/b", "a.b", "--\u0000"),
        withNul
      )
    case "repo_url":
      return fc.oneof(
        fc.string().filter((s) => !s.includes(".") && !/localhost/i.test(s)),
        fc.constantFrom(
          "",
          "   ",
          "not a url",
          "ftp://github.com/a/b",
          "https://github.com/onlyowner",
          "javascript:alert(1)",
          "https://nohost/a/b",
          "https://github.com/a/..",
          "http://[::1]/a/b",
          "https://github.com/%E0%A4%A/b"
        ),
        withNul
      )
    case "repo_host":
      return fc.oneof(
        fc.string().filter((s) => !["", "github", "gitlab", "bitbucket", "codeberg", "forgejo", "other"].includes(s)),
        fc.constantFrom("GitHub", " github", "github ")
      )
    case "date":
      return fc.oneof(
        fc.string().filter((s) => !/^\s*[0-9+-]/.test(s)),
        fc.constantFrom(
          "",
          "2024-13-01",
          "2024-02-30",
          "2024-01-01T10:00:00",
          "2024-01-01T25:00:00Z",
          "9999-12-31T23:59:59Z",
          "0000-00-00",
          "-2024-01-01T00:00:00Z",
          "2024-01-01T00:00:00+99:99",
          "2024-01-01T00:00:00+24:00",
          "2024-01-01T00:00:00-0060",
          "2024-01-01 00:00+9999",
          "1e10"
        ),
        withNul
      )
    case "reference":
      return fc
        .oneof(
          // Not an id, a slug or a v4 URL of the right kind.
          fc.string().filter((s) => s !== "" && !/^[\w-]+$/.test(s) && !s.includes("/api/v4/")),
          fc.string({ unit: "binary", minLength: 1 }).filter((s) => !/^[\w-]+$/.test(s) && !s.includes("/api/v4/")),
          // Well formed, but naming nothing.
          fc.stringMatching(/^[a-z0-9_-]{1,30}$/).map((s) => `zz-none-${s}`),
          fc.bigInt({ min: 10n ** 15n, max: 10n ** 40n }).map(String),
          fc.constantFrom(
            "0",
            "-1",
            "http://x/api/v4/grids/1/",
            "http://x/api/v4/packages/999999999/",
            "http://x/api/v4/categories/999999999/",
            "http://x/api/v4/packages/99999999999999999999999/",
            "http://x/api/v4/packages/%00/",
            "http://x/api/v4/packages/a\u0000b/",
            "/api/v4/packages/",
            "../../etc/passwd",
            "a\u0000b"
          ),
          withNul
        )
        .filter((s) => !existing.has(s))
    default:
      return undefined
  }
}

const PATH_ISH = [
  "%00",
  "%E0%A4%A",
  "%",
  "%zz",
  "%ED%A0%80",
  "a%2Fb",
  "%2F",
  "%20",
  "~",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "1e3",
  "0x10",
  "1.5",
  "+1",
  "-0",
  "0",
  "00",
  "\uff11\uff12\uff13",
  "%F0%9F%98%80",
  "%C3%A9",
  "a;b",
  "a%3Fb%3Dc",
  "%23",
  "*"
]

/** Path segments that name no object: negative, huge, non-digit, unicode, path-ish. */
const badId = (existing: ReadonlySet<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.integer({ min: -MAX_SAFE, max: -1 }).map(String),
    fc.bigInt({ min: 10n ** 15n, max: 10n ** 60n }).map(String),
    fc.constantFrom(...PATH_ISH.filter((s) => !existing.has(s))),
    fc
      .string({ unit: "binary", minLength: 1, maxLength: 40 })
      .filter((s) => s !== "." && s !== ".." && !existing.has(s) && !/^\d+$/.test(s))
      .map((s) => {
        try {
          return encodeURIComponent(s)
        } catch {
          return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "x"))
        }
      })
      .filter((s) => !/^(\.|%2e){1,2}$/i.test(s))
  )

for (const engine of engines()) {
  describe(`API v4 under fuzzing on ${engine.name}`, () => {
    let server: TestServer
    let admin: Caller
    let grid: number
    let feature: number
    let writes: ReadonlyArray<WriteEndpoint>
    let deletes: ReadonlyArray<DeleteEndpoint>
    const demo = demoCatalogue() as {
      packages: Array<{ slug: string }>
      grids: Array<{ slug: string }>
      categories: Array<{ slug: string }>
    }
    const existing = new Set([...demo.packages, ...demo.grids, ...demo.categories].map((x) => x.slug))

    /** Row counts and versions: cheap enough to compare after every request. */
    const quick = () =>
      server.runtime.runPromise(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.map(
            sql<Record<string, unknown>>`SELECT
              (SELECT COUNT(*) FROM packages) AS packages,
              (SELECT COUNT(*) FROM grids) AS grids,
              (SELECT COUNT(*) FROM categories) AS categories,
              (SELECT COUNT(*) FROM features) AS features,
              (SELECT COUNT(*) FROM elements) AS elements,
              (SELECT COUNT(*) FROM grid_packages) AS members,
              (SELECT COALESCE(MAX(modified), 0) FROM packages) AS packages_modified,
              (SELECT COALESCE(MAX(modified), 0) FROM grids) AS grids_modified,
              (SELECT COALESCE(MAX(modified), 0) FROM categories) AS categories_modified`,
            ([row]) => JSON.stringify(Object.values(row!).map(Number))
          )
        )
      )

    beforeAll(async () => {
      server = await startServer(engine)
      admin = await userWithToken(server, "admin")
      const made = await server.runtime.runPromise(
        Effect.gen(function* () {
          const grids = yield* Grids
          const g = yield* grids.create({ title: "Fuzz", slug: "fuzz-grid" as never })
          yield* grids.addPackage({ id: g.id }, 2012)
          return yield* grids.addFeature({ id: g.id }, { title: "Fuzzed" })
        })
      )
      grid = made.id
      feature = made.features[0]!.id
      existing.add("fuzz-grid")
      const pkg = { title: "Fuzz", slug: "fuzz-package", category: 1, repo_url: "https://github.com/fuzz/fuzz" }
      const gridBody = { title: "Fuzz", slug: "fuzz-grid-2" }
      const category = { title: "Fuzz", slug: "fuzz-category" }
      writes = [
        {
          name: "create package",
          method: "POST",
          path: () => "/api/v4/packages/",
          target: undefined,
          fields: PACKAGE_FIELDS,
          base: pkg
        },
        {
          name: "replace package",
          method: "PUT",
          path: (t) => `/api/v4/packages/${t}/`,
          target: "2012",
          fields: PACKAGE_FIELDS,
          base: pkg
        },
        {
          name: "patch package",
          method: "PATCH",
          path: (t) => `/api/v4/packages/${t}/`,
          target: "dj-stripe",
          fields: PACKAGE_FIELDS,
          base: { title: "Fuzz" }
        },
        {
          name: "create grid",
          method: "POST",
          path: () => "/api/v4/grids/",
          target: undefined,
          fields: GRID_FIELDS,
          base: gridBody
        },
        {
          name: "replace grid",
          method: "PUT",
          path: (t) => `/api/v4/grids/${t}/`,
          target: String(grid),
          fields: GRID_FIELDS,
          base: gridBody
        },
        {
          name: "patch grid",
          method: "PATCH",
          path: (t) => `/api/v4/grids/${t}/`,
          target: "fuzz-grid",
          fields: GRID_FIELDS,
          base: { header: true }
        },
        {
          name: "add member",
          method: "POST",
          path: (t) => `/api/v4/grids/${t}/packages/`,
          target: String(grid),
          fields: { package: { kind: "reference" } },
          base: { package: 1 }
        },
        {
          name: "add feature",
          method: "POST",
          path: (t) => `/api/v4/grids/${t}/features/`,
          target: String(grid),
          fields: FEATURE_FIELDS,
          base: { title: "New" }
        },
        {
          name: "patch feature",
          method: "PATCH",
          path: (t) => `/api/v4/grids/${grid}/features/${t}/`,
          target: String(feature),
          fields: FEATURE_FIELDS,
          base: { description: "New" }
        },
        {
          name: "set cell",
          method: "PUT",
          path: (t) => `/api/v4/grids/${t}/elements/`,
          target: String(grid),
          fields: { package: { kind: "reference" }, feature: { kind: "id" }, text: { kind: "string", max: 1000 } },
          base: { package: 2012, feature, text: "Yes" }
        },
        {
          name: "create category",
          method: "POST",
          path: () => "/api/v4/categories/",
          target: undefined,
          fields: CATEGORY_FIELDS,
          base: category
        },
        {
          name: "replace category",
          method: "PUT",
          path: (t) => `/api/v4/categories/${t}/`,
          target: "4",
          fields: CATEGORY_FIELDS,
          base: category
        },
        {
          name: "patch category",
          method: "PATCH",
          path: (t) => `/api/v4/categories/${t}/`,
          target: "4",
          fields: CATEGORY_FIELDS,
          base: { show_pypi: false }
        },
        {
          name: "log in",
          method: "POST",
          path: () => "/api/session/",
          target: undefined,
          fields: { username: { kind: "string", max: 150, min: 1 }, password: { kind: "string", max: 1000, min: 1 } },
          base: { username: admin.username, password: "not the password" }
        }
      ]
      deletes = [
        { name: "delete package", path: (t) => `/api/v4/packages/${t}/` },
        { name: "delete grid", path: (t) => `/api/v4/grids/${t}/` },
        { name: "delete category", path: (t) => `/api/v4/categories/${t}/` },
        { name: "remove member", path: (t) => `/api/v4/grids/${grid}/packages/${t}/` },
        { name: "remove member of no grid", path: (t) => `/api/v4/grids/${t}/packages/2012/` },
        { name: "remove feature", path: (t) => `/api/v4/grids/${grid}/features/${t}/` },
        { name: "remove feature of no grid", path: (t) => `/api/v4/grids/${t}/features/${feature}/` }
      ]
    })
    afterAll(() => server.close())

    const endpoint = () => fc.constantFrom(...writes)
    /** Each endpoint with one of its fields. */
    const endpointField = () =>
      endpoint().chain((ep) =>
        fc.constantFrom(...Object.keys(ep.fields)).map((field) => ({ ep, field, spec: ep.fields[field]! }))
      )
    const send = (
      ep: WriteEndpoint,
      options: { json?: unknown; raw?: string; headers?: Record<string, string> },
      target = ep.target
    ) => call(server, ep.method, ep.path(target ?? ""), { key: admin.key, ...options })

    /** A refusal: 4xx, JSON, with a message; nothing written. */
    const refused = async (res: Answer, label: string, before: string) => {
      const shown = `${label} → ${res.status} ${res.text.slice(0, 300)}`
      expect(res.status, shown).toBeGreaterThanOrEqual(400)
      expect(res.status, shown).toBeLessThan(500)
      expect(res.headers.get("content-type"), shown).toBe("application/json")
      expect(isErrorBody(res.body), shown).toBe(true)
      const now = await quick()
      expect(now, `${shown}: the catalogue changed: ${now} vs ${before}`).toBe(before)
    }
    const names = (res: Answer, field: string) =>
      expect(Object.keys(res.body as object), `${res.status} ${res.text.slice(0, 300)}`).toContain(field)

    /** Runs a property and checks, after all its runs, that the whole catalogue is as it was. */
    const unchanged = async (property: (before: string) => fc.IAsyncProperty<any>) => {
      const full = await fingerprint(server)
      const before = await quick()
      // No shrinking: once a run has changed the catalogue, every later run would fail as well.
      await fc.assert(property(before), { numRuns: RUNS, endOnFailure: true })
      expect(await fingerprint(server)).toEqual(full)
    }

    it("refuses a body that is not an object", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpoint(),
          fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
          async (ep, value) => {
            const res = await send(ep, { raw: JSON.stringify(value) })
            await refused(res, `${ep.name} ${JSON.stringify(value)}`, before)
            expect(res.status).toBe(400)
            names(res, "non_field_errors")
          }
        )
      ))

    it("refuses objects with random keys", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpoint(),
          fc.array(
            fc.tuple(
              fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS, "", " ", "id", "revision", "TITLE")),
              fc.jsonValue()
            ),
            {
              minLength: 1,
              maxLength: 6
            }
          ),
          async (ep, entries) => {
            const unknown = entries.filter(([k]) => !(k in ep.fields) || !Object.hasOwn(ep.fields, k))
            fc.pre(unknown.length > 0)
            const res = await send(ep, { raw: objectText(entries) })
            await refused(res, `${ep.name} ${objectText(entries)}`, before)
            expect(res.status).toBe(400)
          }
        )
      ))

    it("refuses a wrong type for any field, naming it", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpointField().chain((x) => wrongType(x.spec).map((value) => ({ ...x, value }))),
          async ({ ep, field, value }) => {
            const res = await send(ep, {
              raw: objectText([...Object.entries(ep.base).filter(([k]) => k !== field), [field, value]])
            })
            await refused(res, `${ep.name} ${field}=${JSON.stringify(value)}`, before)
            expect(res.status).toBe(400)
            names(res, field)
          }
        )
      ))

    it("refuses a string over a field's maximum length, naming the field", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpointField()
            .filter((x) => oversize(x.spec) !== undefined)
            .chain((x) => oversize(x.spec)!.map((value) => ({ ...x, value }))),
          async ({ ep, field, value }) => {
            const res = await send(ep, { json: { ...ep.base, [field]: value } })
            await refused(res, `${ep.name} ${field} of ${value.length}`, before)
            expect(res.status).toBe(400)
            names(res, field)
          }
        )
      ))

    it("refuses unknown fields beside valid ones, naming them", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpoint(),
          fc.oneof(
            fc.string({ minLength: 1 }),
            fc.constantFrom(...PROTOTYPE_KEYS, "id", "created", "revision", "grids", "usage_count")
          ),
          fc.jsonValue(),
          async (ep, key, value) => {
            fc.pre(!Object.hasOwn(ep.fields, key))
            const res = await send(ep, { raw: objectText([...Object.entries(ep.base), [key, value]]) })
            await refused(res, `${ep.name} ${key}`, before)
            expect(res.status).toBe(400)
            names(res, key === "" ? "non_field_errors" : key)
          }
        )
      ))

    it("refuses strings a field does not take: blank, bad slugs, NUL characters, bad dates, URLs and references", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpointField()
            .filter((x) => invalidString(x.spec, existing) !== undefined)
            .chain((x) => invalidString(x.spec, existing)!.map((value) => ({ ...x, value }))),
          async ({ ep, field, value }) => {
            const res = await send(ep, { json: { ...ep.base, [field]: value } })
            await refused(res, `${ep.name} ${field}=${JSON.stringify(value)}`, before)
            if (ep.name === "log in") expect([400, 401]).toContain(res.status)
            else {
              expect(res.status).toBe(400)
              names(res, field)
            }
          }
        )
      ))

    it("answers bad ids in the path with a 4xx, writes and deletes alike", () =>
      unchanged((before) =>
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(...writes.filter((w) => w.target !== undefined)).map((ep) => ({ ep, del: undefined })),
            fc.constantFrom(...deletes).map((del) => ({ ep: undefined, del }))
          ),
          badId(existing),
          async ({ ep, del }, id) => {
            const res =
              ep !== undefined
                ? await send(ep, { json: ep.base }, id)
                : await call(server, "DELETE", del.path(id), { key: admin.key })
            await refused(res, `${ep?.name ?? del!.name} ${id}`, before)
          }
        )
      ))

    it("refuses malformed bodies, other content types and encodings", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpoint(),
          fc.oneof(
            fc.string(),
            fc.string({ unit: "binary" }),
            fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
            fc.constantFrom(
              "",
              "{",
              "{]",
              '{"title": }',
              "[1,",
              "{'title': 'x'}",
              "NaN",
              "undefined",
              "\u0000",
              "\ufeff[]"
            )
          ),
          fc.constantFrom(
            undefined,
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/merge-patch+json",
            "text/json",
            "application/json; charset=latin-9",
            "application/json; charset=utf-16",
            "application/json; charset=UTF-16LE",
            'application/json; charset="utf-32"',
            "application/json; charset=",
            "application/jsonx",
            "*/*",
            "garbage"
          ),
          fc.constantFrom(undefined, "gzip", "deflate", "br", "compress", "identity, gzip", "bogus"),
          async (ep, raw, type, encoding) => {
            // Text that is a JSON object could be a valid PATCH: the other properties cover objects.
            // An empty body is read as `{}` (body-parser), and a BOM is dropped: both are fine requests.
            let parsed: unknown
            try {
              parsed = JSON.parse(raw.replace(/^\ufeff/, ""))
            } catch {
              parsed = undefined
            }
            fc.pre(
              raw.replace(/^\ufeff/, "") !== "" &&
                (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
            )
            const headers: Record<string, string> = {}
            if (type !== undefined) headers["Content-Type"] = type
            if (encoding !== undefined) headers["Content-Encoding"] = encoding
            const res = await send(ep, { raw, headers })
            await refused(res, `${ep.name} ${type} ${encoding} ${JSON.stringify(raw)}`, before)
          }
        )
      ))

    it("answers reads with bad query parameters and ids with a 2xx or a 4xx with a message", () =>
      unchanged((before) =>
        fc.asyncProperty(
          fc.constantFrom(
            "/api/v4/",
            "/api/v4/packages/",
            "/api/v4/packages/{id}/",
            "/api/v4/grids/",
            "/api/v4/grids/{id}/",
            "/api/v4/categories/",
            "/api/v4/categories/{id}/",
            "/api/session/",
            "/healthz",
            "/readyz"
          ),
          fc.oneof(fc.constantFrom("2012", "dj-stripe", "5", "1", "accessibility"), badId(existing)),
          fc.array(
            fc.tuple(
              fc.oneof(fc.constantFrom("limit", "offset", "format", "page", "q", "ordering"), fc.string()),
              fc.oneof(
                fc.string(),
                fc.string({ unit: "binary" }).map((s) => s.replace(/[\ud800-\udfff]/g, "x")),
                fc.integer().map(String),
                fc.bigInt({ min: 10n ** 9n, max: 10n ** 40n }).map(String),
                fc.constantFrom(
                  "",
                  "-1",
                  "0",
                  "1.5",
                  "1e3",
                  "json",
                  "api",
                  "JSON",
                  "xml",
                  "yaml",
                  " 1",
                  "%",
                  "%zz",
                  "0x10"
                )
              )
            ),
            { maxLength: 4 }
          ),
          fc.constantFrom(undefined, "garbage", '"package-2012-1"', "*", "W/"),
          async (template, id, params, ifNoneMatch) => {
            const path = template.replace("{id}", id)
            const query = params
              .map(([k, v]) => `${encodeURIComponent(k)}=${/^%/.test(v) ? v : encodeURIComponent(v)}`)
              .join("&")
            const url = query === "" ? path : `${path}?${query}`
            const res = await call(
              server,
              "GET",
              url,
              ifNoneMatch === undefined ? {} : { headers: { "If-None-Match": ifNoneMatch } }
            )
            const shown = `GET ${url} → ${res.status} ${res.text.slice(0, 200)}`
            expect(res.status, shown).toBeLessThan(500)
            if (res.status >= 400) {
              // The browsable API renders its errors as a page, when that is what was asked for.
              const html = res.headers.get("content-type")?.startsWith("text/html") === true
              if (html)
                expect(
                  params.some(([k, v]) => k === "format" && v === "api"),
                  shown
                ).toBe(true)
              else {
                expect(res.headers.get("content-type"), shown).toBe("application/json")
                expect(isErrorBody(res.body), shown).toBe(true)
              }
            } else expect([200, 301, 304], shown).toContain(res.status)
            expect(await quick()).toBe(before)
          }
        )
      ))

    it("refuses garbage credentials on writes and never fails on them", () =>
      unchanged((before) =>
        fc.asyncProperty(
          endpoint(),
          fc.constantFrom("GET", "WRITE"),
          fc.option(
            fc.oneof(
              fc.string(),
              fc.string().map((s) => `Token ${s}`),
              fc.constantFrom("Token", "Token pgt_", `Token ${"a".repeat(5000)}`)
            )
          ),
          fc.option(
            fc.oneof(
              fc.string(),
              fc.string().map((s) => `packgrid_session=${s}`),
              fc.constantFrom(
                "packgrid_session=%E0%A4%A",
                "packgrid_session=%",
                "packgrid_session=%zz; a=b",
                "packgrid_session=",
                "=; ;="
              )
            )
          ),
          fc.option(fc.string()),
          async (ep, kind, authorization, cookie, csrf) => {
            const headers: Record<string, string> = {}
            if (authorization !== null) headers.Authorization = authorization
            if (cookie !== null) headers.Cookie = cookie
            if (csrf !== null) headers["X-CSRFToken"] = csrf
            const path = ep.path(ep.target ?? "")
            const res =
              kind === "GET"
                ? await call(
                    server,
                    "GET",
                    ep.method === "POST" && ep.name !== "log in" ? path : "/api/v4/packages/2012/",
                    { headers }
                  )
                : await call(server, ep.method, path, { headers, json: ep.base })
            const shown = `${kind} ${ep.name} ${JSON.stringify(headers)} → ${res.status} ${res.text.slice(0, 200)}`
            expect(res.status, shown).toBeLessThan(500)
            if (kind === "WRITE" && ep.name !== "log in") await refused(res, shown, before)
            expect(await quick()).toBe(before)
          }
        )
      ))
  })
}
