/**
 * The OpenAPI 3.1 document of the API, built from the endpoint table: every body and response schema is
 * `JSONSchema.make` of the Schema the handler uses, its `$defs` gathered into `components/schemas`.
 */
import { isDeepStrictEqual } from "node:util"
import { JSONSchema } from "effect"
import { Actions } from "@packgrid/core/Auth/Policy"
import packageJson from "../../package.json" with { type: "json" }
import { SESSION_COOKIE } from "../http/auth.ts"
import { Views } from "../v4/views.ts"
import { type AnySchema, type Endpoint, endpoints, type ResponseSpec, roleNote } from "./endpoints.ts"

type Json = { [key: string]: unknown }

const DEFS = "#/$defs/"
const COMPONENTS = "#/components/schemas/"

/** `value` with every `#/$defs/…` reference pointing into `components/schemas` instead. */
const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === "$ref" && typeof v === "string" && v.startsWith(DEFS)
        ? `${COMPONENTS}${v.slice(DEFS.length)}`
        : rewriteRefs(v)
    ])
  )
}

/**
 * The JSON Schema of `schema` for use inside the document: its definitions are added to `components`
 * (two different definitions under one name are a bug in the schemas, and throw), and what is left
 * refers to them. A schema with an identifier comes back as a bare `$ref`.
 */
const jsonSchemaOf = (schema: AnySchema, components: Json): Json => {
  const { $schema: _dialect, $defs, ...rest } = JSONSchema.make(schema, { target: "openApi3.1" })
  for (const [name, definition] of Object.entries($defs ?? {})) {
    const moved = rewriteRefs(definition)
    if (name in components && !isDeepStrictEqual(components[name], moved)) {
      throw new Error(`OpenAPI: two different schemas are named "${name}"`)
    }
    components[name] = moved
  }
  return rewriteRefs(rest) as Json
}

const JSON_MEDIA = "application/json"

const securityOf = (e: Endpoint): Array<Json> | undefined => {
  switch (e.security) {
    case "none":
      return undefined
    case "optional":
      return [{}, { token: [] }, { session: [] }]
    case "required":
      return [{ token: [] }, { session: [] }]
  }
}

const responseOf = (spec: ResponseSpec, components: Json): Json => {
  if (typeof spec === "string") return { description: spec }
  const headers =
    spec.headers === undefined
      ? {}
      : {
          headers: Object.fromEntries(
            Object.entries(spec.headers).map(([name, description]) => [
              name,
              { description, schema: { type: "string" } }
            ])
          )
        }
  const content =
    spec.schema === undefined ? {} : { content: { [JSON_MEDIA]: { schema: jsonSchemaOf(spec.schema, components) } } }
  return { description: spec.description, ...headers, ...content }
}

const operationOf = (e: Endpoint, components: Json): Json => {
  const description = [e.description, e.action === undefined ? undefined : roleNote(e.action)]
    .filter((s) => s !== undefined)
    .join("\n\n")
  const security = securityOf(e)
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(description === "" ? {} : { description }),
    tags: [...e.tags],
    ...(e.parameters.length === 0
      ? {}
      : {
          parameters: e.parameters.map((p) => ({
            name: p.name,
            in: p.in,
            required: p.required,
            description: p.description,
            schema: jsonSchemaOf(p.schema, components)
          }))
        }),
    ...(e.requestBody === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { [JSON_MEDIA]: { schema: jsonSchemaOf(e.requestBody, components) } }
          }
        }),
    responses: Object.fromEntries(
      Object.entries(e.responses).map(([status, spec]) => [status, responseOf(spec, components)])
    ),
    ...(security === undefined ? {} : { security }),
    ...(e.action === undefined ? {} : { "x-policy-action": e.action, "x-required-role": Actions[e.action] })
  }
}

const TAGS = [
  { name: "root", description: Views.root.description },
  { name: "schema", description: "This document." },
  { name: "packages", description: Views.packageList.description },
  { name: "grids", description: Views.gridList.description },
  { name: "categories", description: Views.categoryList.description },
  { name: "session", description: "The web dashboard's login; API clients use tokens." }
]

const DESCRIPTION = [
  "djangopackages' API v4, rebuilt: the same paths, fields and DRF behaviour, plus writes.",
  "Every answer is negotiated as DRF does: JSON by default (`Accept: application/json; indent=4` indents it), " +
    "the browsable HTML page for `Accept: text/html` or `?format=api`. Every path also answers HEAD and OPTIONS. " +
    "Reads need no credentials, but a wrong token is refused with 401 even on a read. " +
    "Any operation may answer 503 `{detail}` while the database is unavailable."
].join("\n\n")

/** Everything but `servers`: the same for every base URL, built once. */
let shared: Json | undefined

const build = (): Json => {
  const components: Json = {}
  const paths: Record<string, Json> = {}
  for (const e of endpoints) {
    const item = (paths[e.path] ??= {})
    if (e.method in item) throw new Error(`OpenAPI: ${e.method.toUpperCase()} ${e.path} is listed twice`)
    item[e.method] = operationOf(e, components)
  }
  return {
    openapi: "3.1.0",
    info: { title: "packgrid", version: packageJson.version, description: DESCRIPTION },
    tags: TAGS,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      securitySchemes: {
        token: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "`Authorization: Token <key>` (DRF's TokenAuthentication scheme): a key made with " +
            "`packgrid token create`. The word `Token`, one space, then the key."
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description:
            "The web login's cookie, from `POST /api/session/`. A write with it must also send " +
            "`X-CSRFToken` equal to the `csrf_token` the login answered."
        }
      }
    }
  }
}

const MAX_CACHED = 16
const cache = new Map<string, Json>()

/**
 * The OpenAPI 3.1 document with `baseUrl` as its server, memoized per base URL. The base URL can come
 * from the request's Host, so only the last few are kept; all of them share one built body. Do not mutate.
 */
export const openApiDocument = (baseUrl: string): Json => {
  const hit = cache.get(baseUrl)
  if (hit !== undefined) return hit
  const { openapi, info, ...rest } = (shared ??= build())
  const document = { openapi, info, servers: [{ url: baseUrl }], ...rest }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!)
  cache.set(baseUrl, document)
  return document
}
