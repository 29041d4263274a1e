/**
 * Every operation of API v4 and the web session, in one table: what `document.ts` turns into the
 * OpenAPI document. Bodies and responses are the very Schema values the handlers decode with
 * (`v4/schemas.ts`), never JSON Schema written by hand; the writes name the Policy action they check.
 *
 * A route added to `v4/routes.ts`, `v4/writes.ts` or `http/session.ts` must be added here too:
 * `test/openapi.test.ts` compares this table with the routes the routers register.
 */
import { Schema } from "effect"
import { type Action, Actions } from "@packgrid/core/Auth/Policy"
import { RENDERERS } from "../http/negotiate.ts"
import { DEFAULT_LIMIT } from "../http/pagination.ts"
import { REFRESH_LIMIT } from "../v4/writes.ts"
import {
  CategoryPatchWrite,
  CategoryV4,
  CategoryWrite,
  ElementWrite,
  ErrorDetail,
  FeaturePatchWrite,
  FeatureWrite,
  GridPackageWrite,
  GridPatchWrite,
  GridV4,
  GridWrite,
  Login,
  PackagePatchWrite,
  PackageV4,
  PackageWrite,
  Paginated,
  ValidationErrors,
  SearchRowV4
} from "../v4/schemas.ts"
import { GridComparisonV4, PackageScoreV4 } from "../v4/scoreSchemas.ts"
import { GRID_ORDERS } from "@packgrid/core/Catalogue/GridView"

export type Method = "get" | "post" | "put" | "patch" | "delete"

/** Any Schema without requirements: what `JSONSchema.make` takes. */
export type AnySchema = Schema.Schema<any, any, never>

export interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header"
  readonly required: boolean
  readonly description: string
  readonly schema: AnySchema
}

/** A response: its body's Schema (with a description), or a description alone when it has no JSON body. */
export type ResponseSpec =
  | string
  | {
      readonly description: string
      readonly schema?: AnySchema
      /** Response headers the handler sets, by name: their description. */
      readonly headers?: Readonly<Record<string, string>>
    }

/** Who may call: anyone (`null`), or a signed-in caller whose role may perform `action` (Policy). */
export interface Endpoint {
  readonly method: Method
  /** The OpenAPI path template, from the server's root. */
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody?: AnySchema
  readonly responses: Readonly<Record<number, ResponseSpec>>
  /** `"optional"`: anyone, a token or session identifying the caller when given. */
  readonly security: "none" | "optional" | "required"
  readonly action?: Action
}

// --- Parameters ---------------------------------------------------------------------------------------

const lookup = (what: string, slug: boolean): Parameter => ({
  name: "lookup",
  in: "path",
  required: true,
  description: slug ? `The ${what}'s id or slug.` : `The ${what}'s id (a slug is a 404, as in the reference).`,
  schema: slug ? Schema.String.pipe(Schema.minLength(1)) : Schema.Int.pipe(Schema.positive())
})

const format: Parameter = {
  name: "format",
  in: "query",
  required: false,
  description:
    "The renderer: `json`, or `api` for the browsable HTML page. By default `Accept` decides; " +
    "a format no renderer has is a 404.",
  schema: Schema.Literal(...RENDERERS.map((r) => r.format))
}

const q: Parameter = {
  name: "q",
  in: "query",
  required: false,
  description:
    'What to look for: words (all must match), "quoted phrases", -exclusions; the last word also matches as a prefix.',
  schema: Schema.String.pipe(Schema.maxLength(200))
}

const page: ReadonlyArray<Parameter> = [
  {
    name: "limit",
    in: "query",
    required: false,
    description: `Number of results to return per page (default ${DEFAULT_LIMIT}).`,
    schema: Schema.Int.pipe(Schema.between(1, 999_999_999))
  },
  {
    name: "offset",
    in: "query",
    required: false,
    description: "The initial index from which to return the results.",
    schema: Schema.Int.pipe(Schema.between(0, 999_999_999))
  }
]

const ifNoneMatch: Parameter = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "An ETag from an earlier answer: when it is still current the answer is 304 without a body.",
  schema: Schema.String
}

const ifMatch: Parameter = {
  name: "If-Match",
  in: "header",
  required: false,
  description: "The ETag the write expects the object to have; another revision is refused with 412.",
  schema: Schema.String
}

const pathId = (name: string, description: string, schema: AnySchema): Parameter => ({
  name,
  in: "path",
  required: true,
  description,
  schema
})

// --- Responses ----------------------------------------------------------------------------------------

const ETAG = "The object's revision, for `If-None-Match` and `If-Match`."
const LOCATION = "The new object's URL."

const ok = (schema: AnySchema, description: string, headers?: Record<string, string>): ResponseSpec =>
  headers === undefined ? { description, schema } : { description, schema, headers }
const invalid: ResponseSpec = {
  description: "The body or a parameter is invalid: each field's messages (`non_field_errors` for the whole).",
  schema: ValidationErrors
}
const detail = (description: string): ResponseSpec => ({ description, schema: ErrorDetail })
const notFound = detail("No such object.")
const unauthenticated = detail("No credentials, or invalid ones (`WWW-Authenticate: Token`).")
const forbidden = detail("The caller's role may not do this, or a session write lacks its CSRF token.")
const unsupported = detail("The body is not `application/json`.")
const stale = detail("`If-Match` names another revision: the object changed since it was read.")

/** What every write may answer besides its success. */
const writeErrors = { 400: invalid, 401: unauthenticated, 403: forbidden, 415: unsupported } as const

/** The role a Policy action needs, in words for an operation's description. */
export const roleNote = (action: Action) =>
  `Requires the ${Actions[action]} role or higher (Policy action \`${action}\`).`

// --- The table ----------------------------------------------------------------------------------------

const PackagePage = Paginated(PackageV4).annotations({ identifier: "PaginatedPackageList" })
const GridPage = Paginated(GridV4).annotations({ identifier: "PaginatedGridList" })
const CategoryPage = Paginated(CategoryV4).annotations({ identifier: "PaginatedCategoryList" })

const V4 = "/api/v4"
const PACKAGE = `${V4}/packages/{lookup}/`
const GRID = `${V4}/grids/{lookup}/`
const CATEGORY = `${V4}/categories/{lookup}/`
const FEATURE = `${GRID}features/{feature}/`

const packageLookup = lookup("package", true)
const gridLookup = lookup("grid", true)
const categoryLookup = lookup("category", false)
const featureParam = pathId("feature", "The feature's id.", Schema.Int.pipe(Schema.positive()))

const gridOut = (description: string) => ok(GridV4, description, { ETag: ETAG, Location: "The grid's URL." })

export const endpoints: ReadonlyArray<Endpoint> = [
  // Reads: anyone.
  {
    method: "get",
    path: `${V4}/`,
    operationId: "apiRoot",
    summary: "The API root: a link to each collection",
    tags: ["root"],
    parameters: [format],
    responses: { 200: "The absolute URLs of `packages`, `search`, `grids` and `categories`." },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/schema/`,
    operationId: "openApiSchema",
    summary: "This OpenAPI 3.1 document",
    description: "Generated from the schemas the handlers use.",
    tags: ["schema"],
    parameters: [format],
    responses: { 200: "The OpenAPI 3.1 document of this API." },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/search/`,
    operationId: "search",
    summary: "Search packages and grids (the reference's endpoint): at most 20 rows, best first",
    tags: ["search"],
    parameters: [q, format],
    responses: {
      200: ok(Schema.Array(SearchRowV4), "Matching packages and grids; `[]` for an empty query."),
      400: invalid
    },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/search/advanced/`,
    operationId: "searchAdvanced",
    summary: "Search with filters and sorts; each package carries its explainable score (a packgrid extension)",
    tags: ["search"],
    parameters: [
      q,
      ...["category", "grid"].map((name) => ({
        name,
        in: "query" as const,
        required: false,
        description: `Only packages in this ${name} (id).`,
        schema: Schema.Int.pipe(Schema.positive())
      })),
      ...["python3", "include_deprecated", "include_archived"].map((name) => ({
        name,
        in: "query" as const,
        required: false,
        description: `A flag: 1/true/yes or 0/false/no (${name}).`,
        schema: Schema.String
      })),
      {
        name: "django",
        in: "query",
        required: false,
        description: "Declares `Framework :: Django :: X` (e.g. 5.2).",
        schema: Schema.String
      },
      {
        name: "sort",
        in: "query",
        required: false,
        description: "relevance (default), score, stars, last_commit, last_release or name.",
        schema: Schema.Literal("relevance", "score", "stars", "last_commit", "last_release", "name")
      },
      ...page,
      format
    ],
    responses: {
      200: "A page of results: the search rows plus `id`, `package_score`, `relevance` and `score_report`.",
      400: invalid
    },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/packages/`,
    operationId: "listPackages",
    summary: "List packages, newest first",
    tags: ["packages"],
    parameters: [...page, format],
    responses: { 200: ok(PackagePage, "A page of packages."), 400: invalid },
    security: "none"
  },
  {
    method: "get",
    path: PACKAGE,
    operationId: "retrievePackage",
    summary: "One package",
    tags: ["packages"],
    parameters: [packageLookup, format, ifNoneMatch],
    responses: {
      200: ok(PackageV4, "The package.", { ETag: ETAG }),
      304: "The `If-None-Match` ETag is current.",
      404: notFound
    },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/grids/`,
    operationId: "listGrids",
    summary: "List grids",
    tags: ["grids"],
    parameters: [...page, format],
    responses: { 200: ok(GridPage, "A page of grids."), 400: invalid },
    security: "none"
  },
  {
    method: "get",
    path: GRID,
    operationId: "retrieveGrid",
    summary: "One grid, its member packages ordered by title",
    tags: ["grids"],
    parameters: [gridLookup, format, ifNoneMatch],
    responses: {
      200: ok(GridV4, "The grid.", { ETag: ETAG }),
      304: "The `If-None-Match` ETag is current.",
      404: notFound
    },
    security: "none"
  },
  {
    method: "get",
    path: `${V4}/categories/`,
    operationId: "listCategories",
    summary: "List categories",
    tags: ["categories"],
    parameters: [...page, format],
    responses: { 200: ok(CategoryPage, "A page of categories."), 400: invalid },
    security: "none"
  },
  {
    method: "get",
    path: CATEGORY,
    operationId: "retrieveCategory",
    summary: "One category",
    tags: ["categories"],
    parameters: [categoryLookup, format, ifNoneMatch],
    responses: {
      200: ok(CategoryV4, "The category.", { ETag: ETAG }),
      304: "The `If-None-Match` ETag is current.",
      404: notFound
    },
    security: "none"
  },

  // packgrid's own reads: the scores explained, a grid as a comparison table.
  {
    method: "get",
    path: `${PACKAGE}score/`,
    operationId: "retrievePackageScore",
    summary: "One package's scores, explained",
    description:
      "packgrid's extension, computed at the time of the request: packgrid's score (dps-1) with its pillars, " +
      "components, reasons, hints, flags and confidence; Django Packages' grid score and search weight with " +
      "their terms; the scores as stored; and the days they changed.",
    tags: ["packages"],
    parameters: [packageLookup, format],
    responses: { 200: ok(PackageScoreV4, "The package's scores."), 404: notFound },
    security: "none"
  },
  {
    method: "get",
    path: `${GRID}comparison/`,
    operationId: "retrieveGridComparison",
    summary: "One grid as a comparison table",
    description:
      "packgrid's extension: the grid's features, its packages ordered (by packgrid's score unless `order` " +
      "says otherwise) with their three scores at the time of the request, and every cell's marker parsed " +
      '(REFERENCE §5.3, without its "anything starting with no is a cross" bug). Deprecated and archived ' +
      "packages are left out, and listed in `hidden`, unless asked for.",
    tags: ["grids"],
    parameters: [
      gridLookup,
      {
        name: "order",
        in: "query",
        required: false,
        description:
          "`score` (packgrid's score, then Adoption, then slug; the default), `legacy` (Django Packages' grid " +
          "score), `stars` or `name`.",
        schema: Schema.Literal(...GRID_ORDERS)
      },
      {
        name: "include_deprecated",
        in: "query",
        required: false,
        description: "`1`/`true` to show deprecated packages too.",
        schema: Schema.Literal("1", "0", "true", "false", "yes", "no", "on", "off")
      },
      {
        name: "include_archived",
        in: "query",
        required: false,
        description: "`1`/`true` to show packages whose repository is archived too.",
        schema: Schema.Literal("1", "0", "true", "false", "yes", "no", "on", "off")
      },
      format
    ],
    responses: { 200: ok(GridComparisonV4, "The grid as a comparison table."), 400: invalid, 404: notFound },
    security: "none"
  },

  // Package writes.
  {
    method: "post",
    path: `${V4}/packages/`,
    operationId: "createPackage",
    summary: "Add a package",
    description: "`date_deprecated`, `deprecates_package` and `date_repo_archived` need the admin role.",
    tags: ["packages"],
    parameters: [],
    requestBody: PackageWrite,
    responses: { 201: ok(PackageV4, "The new package.", { ETag: ETAG, Location: LOCATION }), ...writeErrors },
    security: "required",
    action: "package.create"
  },
  {
    method: "put",
    path: PACKAGE,
    operationId: "updatePackage",
    summary: "Replace a package's editable fields",
    description: "`date_deprecated`, `deprecates_package` and `date_repo_archived` need the admin role.",
    tags: ["packages"],
    parameters: [packageLookup, ifMatch],
    requestBody: PackageWrite,
    responses: { 200: ok(PackageV4, "The package.", { ETag: ETAG }), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "package.update"
  },
  {
    method: "patch",
    path: PACKAGE,
    operationId: "partialUpdatePackage",
    summary: "Change some of a package's fields",
    description: "`date_deprecated`, `deprecates_package` and `date_repo_archived` need the admin role.",
    tags: ["packages"],
    parameters: [packageLookup, ifMatch],
    requestBody: PackagePatchWrite,
    responses: { 200: ok(PackageV4, "The package.", { ETag: ETAG }), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "package.update"
  },
  {
    method: "delete",
    path: PACKAGE,
    operationId: "destroyPackage",
    summary: "Delete a package",
    tags: ["packages"],
    parameters: [packageLookup, ifMatch],
    responses: {
      204: "Deleted.",
      401: unauthenticated,
      403: forbidden,
      404: notFound,
      409: detail("Another package still names it as the one it deprecates."),
      412: stale
    },
    security: "required",
    action: "package.delete"
  },
  {
    method: "post",
    path: `${PACKAGE}refresh/`,
    operationId: "refreshPackage",
    summary: "Refresh a package from PyPI and its repository now",
    description:
      "Runs the refresh for this one package (PyPI, then the repository host, then the scores, written in " +
      "one transaction) and answers the package as it now is; no body is needed. A failed upstream keeps " +
      "the last good facts and records the error (`X-Refresh-Status: failed`); a host out of quota leaves " +
      `the package as it was (\`deferred\`). Each user may ask ${REFRESH_LIMIT.requests} times per ` +
      `${REFRESH_LIMIT.windowMillis / 60_000} minutes.`,
    tags: ["packages"],
    parameters: [packageLookup],
    responses: {
      200: ok(PackageV4, "The package after the refresh.", {
        ETag: ETAG,
        "X-Refresh-Status": "`fetched`, `not_modified`, `failed`, `deferred` or `skipped`.",
        "X-Refresh-Reason": "Why, when the status has a reason (e.g. `github UpstreamFailed 502`)."
      }),
      401: unauthenticated,
      403: forbidden,
      404: notFound,
      409: detail("The package is deprecated, or another worker is refreshing it right now."),
      429: {
        description: "Too many refreshes by this user: `Retry-After` says in how many seconds to ask again.",
        schema: ErrorDetail,
        headers: { "Retry-After": "Seconds until this user may refresh again." }
      }
    },
    security: "required",
    action: "package.refresh"
  },

  // Grid writes, with the grid's members, features and cells.
  {
    method: "post",
    path: `${V4}/grids/`,
    operationId: "createGrid",
    summary: "Add a grid",
    tags: ["grids"],
    parameters: [],
    requestBody: GridWrite,
    responses: { 201: gridOut("The new grid."), ...writeErrors },
    security: "required",
    action: "grid.create"
  },
  {
    method: "put",
    path: GRID,
    operationId: "updateGrid",
    summary: "Replace a grid's editable fields",
    tags: ["grids"],
    parameters: [gridLookup, ifMatch],
    requestBody: GridWrite,
    responses: { 200: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.update"
  },
  {
    method: "patch",
    path: GRID,
    operationId: "partialUpdateGrid",
    summary: "Change some of a grid's fields",
    tags: ["grids"],
    parameters: [gridLookup, ifMatch],
    requestBody: GridPatchWrite,
    responses: { 200: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.update"
  },
  {
    method: "delete",
    path: GRID,
    operationId: "destroyGrid",
    summary: "Delete a grid",
    tags: ["grids"],
    parameters: [gridLookup],
    responses: { 204: "Deleted.", 401: unauthenticated, 403: forbidden, 404: notFound },
    security: "required",
    action: "grid.delete"
  },
  {
    method: "post",
    path: `${GRID}packages/`,
    operationId: "addGridPackage",
    summary: "Add a package to a grid",
    tags: ["grids"],
    parameters: [gridLookup, ifMatch],
    requestBody: GridPackageWrite,
    responses: { 200: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.package.add"
  },
  {
    method: "delete",
    path: `${GRID}packages/{package}/`,
    operationId: "removeGridPackage",
    summary: "Remove a package from a grid",
    tags: ["grids"],
    parameters: [
      gridLookup,
      pathId("package", "The package's id or slug.", Schema.String.pipe(Schema.minLength(1))),
      ifMatch
    ],
    responses: { 200: gridOut("The grid."), 401: unauthenticated, 403: forbidden, 404: notFound, 412: stale },
    security: "required",
    action: "grid.package.remove"
  },
  {
    method: "post",
    path: `${GRID}features/`,
    operationId: "addGridFeature",
    summary: "Add a feature (a row) to a grid",
    tags: ["grids"],
    parameters: [gridLookup, ifMatch],
    requestBody: FeatureWrite,
    responses: { 201: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.feature.add"
  },
  {
    method: "patch",
    path: FEATURE,
    operationId: "updateGridFeature",
    summary: "Change a grid feature",
    tags: ["grids"],
    parameters: [gridLookup, featureParam, ifMatch],
    requestBody: FeaturePatchWrite,
    responses: { 200: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.feature.update"
  },
  {
    method: "delete",
    path: FEATURE,
    operationId: "removeGridFeature",
    summary: "Remove a grid feature and its cells",
    tags: ["grids"],
    parameters: [gridLookup, featureParam, ifMatch],
    responses: { 200: gridOut("The grid."), 401: unauthenticated, 403: forbidden, 404: notFound, 412: stale },
    security: "required",
    action: "grid.feature.remove"
  },
  {
    method: "put",
    path: `${GRID}elements/`,
    operationId: "setGridElement",
    summary: "Set the text of one cell (a package's value for a feature)",
    tags: ["grids"],
    parameters: [gridLookup, ifMatch],
    requestBody: ElementWrite,
    responses: { 200: gridOut("The grid."), ...writeErrors, 404: notFound, 412: stale },
    security: "required",
    action: "grid.element.set"
  },

  // Category writes.
  {
    method: "post",
    path: `${V4}/categories/`,
    operationId: "createCategory",
    summary: "Add a category",
    tags: ["categories"],
    parameters: [],
    requestBody: CategoryWrite,
    responses: { 201: ok(CategoryV4, "The new category.", { ETag: ETAG, Location: LOCATION }), ...writeErrors },
    security: "required",
    action: "category.create"
  },
  {
    method: "put",
    path: CATEGORY,
    operationId: "updateCategory",
    summary: "Replace a category's editable fields",
    tags: ["categories"],
    parameters: [categoryLookup],
    requestBody: CategoryWrite,
    responses: { 200: ok(CategoryV4, "The category.", { ETag: ETAG }), ...writeErrors, 404: notFound },
    security: "required",
    action: "category.update"
  },
  {
    method: "patch",
    path: CATEGORY,
    operationId: "partialUpdateCategory",
    summary: "Change some of a category's fields",
    tags: ["categories"],
    parameters: [categoryLookup],
    requestBody: CategoryPatchWrite,
    responses: { 200: ok(CategoryV4, "The category.", { ETag: ETAG }), ...writeErrors, 404: notFound },
    security: "required",
    action: "category.update"
  },
  {
    method: "delete",
    path: CATEGORY,
    operationId: "destroyCategory",
    summary: "Delete a category no package is in",
    tags: ["categories"],
    parameters: [categoryLookup],
    responses: {
      204: "Deleted.",
      401: unauthenticated,
      403: forbidden,
      404: notFound,
      409: detail("Packages are still in the category.")
    },
    security: "required",
    action: "category.delete"
  },

  // The web login.
  {
    method: "post",
    path: "/api/session/",
    operationId: "login",
    summary: "Sign in: a session cookie and its CSRF token",
    description:
      "Sets the `packgrid_session` cookie and answers `username`, `role` and `csrf_token`, which session " +
      "writes send back as `X-CSRFToken`. API clients use tokens instead.",
    tags: ["session"],
    parameters: [],
    requestBody: Login,
    responses: {
      200: { description: "Signed in: `username`, `role`, `csrf_token`.", headers: { "Set-Cookie": "The session." } },
      400: invalid,
      401: detail("Unable to log in with provided credentials."),
      415: unsupported
    },
    security: "none"
  },
  {
    method: "get",
    path: "/api/session/",
    operationId: "whoAmI",
    summary: "Who is calling",
    tags: ["session"],
    parameters: [],
    responses: {
      200: "`username` and `role` (null for anonymous), and `via` (`token` or `session`) when signed in.",
      401: unauthenticated
    },
    security: "optional"
  },
  {
    method: "delete",
    path: "/api/session/",
    operationId: "logout",
    summary: "Sign out",
    tags: ["session"],
    parameters: [],
    responses: {
      200: {
        description: '`{"detail": "Signed out."}`; the cookie is cleared.',
        headers: { "Set-Cookie": "Cleared." }
      },
      403: forbidden
    },
    security: "optional"
  }
]
