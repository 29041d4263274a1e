/**
 * The OpenAPI document at /api/v4/schema/: valid under a real OpenAPI 3.1 validator, complete against
 * the routes the routers register, and true to the live server (its answers validate against it).
 */
import { Validator } from "@seriousme/openapi-schema-validator"
import Ajv2020Module from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { engines } from "@packgrid/core/Store/TestDatabase"
import type { ServerConfig } from "../src/config.ts"
import { sessionRouter } from "../src/http/session.ts"
import { silentLogger } from "../src/logger.ts"
import { openApiDocument } from "../src/openapi/document.ts"
import { v4Router } from "../src/v4/routes.ts"
import { call, PACKAGE_KEYS, userWithToken } from "./clients.ts"
import { startServer, type TestServer } from "./support.ts"

const { default: Ajv2020 } = Ajv2020Module
const { default: addFormats } = addFormatsModule

type Json = Record<string, any>
const METHODS = ["get", "post", "put", "patch", "delete"] as const

/** Real objects of the demo catalogue for each path parameter. */
const EXAMPLES: Record<string, Record<string, string>> = {
  "/api/v4/packages/": { lookup: "2012" },
  "/api/v4/grids/": { lookup: "5", package: "2012", feature: "1" },
  "/api/v4/categories/": { lookup: "1" }
}

const fill = (path: string) => {
  const examples = Object.entries(EXAMPLES).find(([prefix]) => path.startsWith(prefix))?.[1] ?? {}
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = examples[name]
    if (value === undefined) throw new Error(`no example for {${name}} in ${path}`)
    return value
  })
}

const operations = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({ path, method, op: item[method] as Json }))
  )

/** The routes an Express router registers, as `METHOD /openapi/{template}/` (HEAD and OPTIONS left out). */
const registered = (router: unknown, prefix: string): Array<string> =>
  ((router as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }).stack ?? []).flatMap(
    (layer) =>
      layer.route === undefined
        ? []
        : Object.keys(layer.route.methods)
            .filter((m) => (METHODS as ReadonlyArray<string>).includes(m))
            .map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path.replace(/:(\w+)/g, "{$1}")}`)
  )

/** A strict JSON Schema 2020-12 validator over the document's components (`#/components/schemas/X` → `#/$defs/X`). */
const schemaChecker = (doc: Json) => {
  const toDefs = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'))
  const defs = toDefs(doc.components.schemas) as Json
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true })
  addFormats(ajv)
  return {
    defs,
    compile: (schema: unknown) => ajv.compile({ $defs: defs, ...(toDefs(schema) as Json) })
  }
}

const resolve = (doc: Json, schema: Json): Json =>
  typeof schema.$ref === "string"
    ? (doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")] as Json)
    : schema

describe("the OpenAPI document", () => {
  const engine = engines()[0]!
  let server: TestServer
  let doc: Json

  beforeAll(async () => {
    server = await startServer(engine)
    const res = await fetch(`${server.url}/api/v4/schema/`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("application/json")
    doc = (await res.json()) as Json
  })
  afterAll(() => server.close())

  it("is a valid OpenAPI 3.1 document, and the validator does reject a broken one", async () => {
    expect(doc.openapi).toBe("3.1.0")
    const result = await new Validator().validate(structuredClone(doc))
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)

    const broken = structuredClone(doc)
    broken.paths["/api/v4/packages/{lookup}/"].get.responses["200"].content["application/json"].schema = {
      $ref: "#/components/schemas/Nowhere"
    }
    expect((await new Validator().validate(broken)).valid).toBe(false)
    const misplaced = structuredClone(doc)
    misplaced.components.securitySchemes.token.in = "body"
    expect((await new Validator().validate(misplaced)).valid).toBe(false)
  })

  it("names the API, its version and this server, and is memoized per base URL", async () => {
    const { version } = (await import("../package.json", { with: { type: "json" } })).default
    expect(doc.info).toMatchObject({ title: "packgrid", version })
    expect(doc.servers).toEqual([{ url: server.url }])
    expect(openApiDocument("https://a.example")).toBe(openApiDocument("https://a.example"))
    expect(openApiDocument("https://b.example").servers).toEqual([{ url: "https://b.example" }])
    expect(openApiDocument("https://b.example").paths).toBe(openApiDocument("https://a.example").paths)
  })

  it("documents exactly the routes the v4 and session routers register", () => {
    const config: ServerConfig = {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: "",
      publicUrl: undefined,
      timeZone: "America/New_York",
      corsOrigins: [],
      bodyLimit: "100kb"
    }
    const routes = [
      ...registered(v4Router(server.runtime, config, silentLogger), "/api/v4"),
      ...registered(sessionRouter(server.runtime, silentLogger), "/api/session")
    ]
    const documented = operations(doc).map(({ method, path }) => `${method.toUpperCase()} ${path}`)
    expect(new Set(routes).size).toBe(routes.length)
    expect([...documented].sort()).toEqual([...routes].sort())
  })

  it("gives every operation a unique operationId, and declares each path template's parameters", () => {
    const ids = operations(doc).map(({ op }) => op.operationId as string)
    expect(ids.every((id) => typeof id === "string" && id !== "")).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const { path, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      const declared = ((op.parameters ?? []) as Array<Json>)
        .filter((p) => p.in === "path")
        .map((p) => p.name as string)
        .sort()
      expect(declared, `${path}`).toEqual(inPath)
    }
  })

  it("secures every write with a token or a session, naming its Policy action and role", () => {
    for (const { method, path, op } of operations(doc)) {
      if (method === "get" || path.startsWith("/api/session/")) continue
      expect(op.security, `${method} ${path}`).toEqual([{ token: [] }, { session: [] }])
      expect(op["x-policy-action"], `${method} ${path}`).toMatch(/^[a-z.]+$/)
      expect(op.description).toContain(`Requires the ${op["x-required-role"]} role`)
    }
    expect(doc.paths["/api/v4/packages/"].get.security).toBeUndefined()
    expect(doc.components.securitySchemes).toEqual({
      token: expect.objectContaining({ type: "apiKey", in: "header", name: "Authorization" }),
      session: expect.objectContaining({ type: "apiKey", in: "cookie", name: "packgrid_session" })
    })
    expect(doc.paths["/api/v4/categories/{lookup}/"].delete["x-required-role"]).toBe("admin")
    expect(doc.paths["/api/v4/grids/{lookup}/features/{feature}/"].delete["x-required-role"]).toBe("moderator")
  })

  it("has the Package schema with exactly the seed's 18 properties, in order", () => {
    const pkg = doc.components.schemas.Package as Json
    expect(Object.keys(pkg.properties)).toEqual(PACKAGE_KEYS)
    expect(pkg.required).toEqual(PACKAGE_KEYS)
    expect(pkg.additionalProperties).toBe(false)
    const detail = doc.paths["/api/v4/packages/{lookup}/"].get.responses["200"].content["application/json"].schema
    expect(detail).toEqual({ $ref: "#/components/schemas/Package" })
  })

  it("has component schemas that compile under a strict JSON Schema 2020-12 validator", () => {
    const { compile, defs } = schemaChecker(doc)
    expect(() => compile({ anyOf: Object.keys(defs).map((name) => ({ $ref: `#/$defs/${name}` })) })).not.toThrow()
  })

  it("answers 200 on every documented GET, with a body its documented schema accepts", async () => {
    const { compile } = schemaChecker(doc)
    const gets = operations(doc).filter(({ method }) => method === "get")
    expect(gets.length).toBeGreaterThanOrEqual(9)
    for (const { path, op } of gets) {
      const answer = await call(server, "GET", fill(path))
      expect(answer.status, path).toBe(200)
      const schema = op.responses["200"].content?.["application/json"]?.schema
      if (schema === undefined) continue
      const validate = compile(schema)
      expect(validate(answer.body), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })

  it("validates GET /api/v4/packages/2012/ against the document's Package schema", async () => {
    const { compile } = schemaChecker(doc)
    const answer = await call(server, "GET", "/api/v4/packages/2012/")
    expect(answer.status).toBe(200)
    const validate = compile({ $ref: "#/components/schemas/Package" })
    expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...(answer.body as Json), extra: 1 })).toBe(false)
    const { id: _id, ...missing } = answer.body as Json
    expect(validate(missing)).toBe(false)
  })

  it("answers every documented write without credentials as documented (401 for v4 writes)", async () => {
    for (const { method, path, op } of operations(doc)) {
      if (method === "get") continue
      const answer = await call(
        server,
        method.toUpperCase(),
        fill(path),
        op.requestBody === undefined ? {} : { json: {} }
      )
      expect(Object.keys(op.responses), `${method} ${path} answered ${answer.status}`).toContain(String(answer.status))
      if (path.startsWith("/api/v4/")) expect(answer.status, `${method} ${path}`).toBe(401)
    }
  })

  it("refuses unknown body properties in every write's schema, as the handler does", async () => {
    const { compile } = schemaChecker(doc)
    for (const { method, path, op } of operations(doc)) {
      const body = op.requestBody?.content["application/json"].schema as Json | undefined
      if (body === undefined) continue
      expect(resolve(doc, body).additionalProperties, `${method} ${path}`).toBe(false)
    }

    const create = doc.paths["/api/v4/packages/"].post
    const validate = compile(create.requestBody.content["application/json"].schema)
    const good = { title: "OpenAPI check", slug: "openapi-check", category: 1, repo_url: "https://github.com/x/y" }
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...good, colour: "blue" })).toBe(false)
    expect(validate.errors?.[0]?.keyword).toBe("additionalProperties")

    const editor = await userWithToken(server, "editor")
    const refused = await call(server, "POST", "/api/v4/packages/", {
      key: editor.key,
      json: { ...good, colour: "blue" }
    })
    expect(refused.status).toBe(400)
    expect(Object.keys(refused.body as Json)).toEqual(["colour"])

    const created = await call(server, "POST", "/api/v4/packages/", { key: editor.key, json: good })
    expect(created.status).toBe(201)
    const answer = compile(create.responses["201"].content["application/json"].schema)
    expect(answer(created.body), JSON.stringify(answer.errors)).toBe(true)
  })
})
