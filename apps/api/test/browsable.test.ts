import { readFileSync } from "node:fs"
import { request as httpRequest } from "node:http"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { engines } from "@packgrid/core/Store/TestDatabase"
import { escapeHtml, pythonJson, urlize } from "../src/http/browsable.ts"
import { demoCatalogue, startServer, type TestServer } from "./support.ts"

const seedText = readFileSync(
  fileURLToPath(new URL("./fixtures/djangopackages-api-v4-package-2012.txt", import.meta.url)),
  "utf8"
)
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
const seedLines = lines(seedText)

const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }
    if (e.startsWith("#x") || e.startsWith("#X")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16))
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10))
    return named[e.toLowerCase()] ?? ""
  })

/** The page as a reader sees it: no style sheet, tags stripped, entities decoded, lines trimmed, blanks dropped. */
const pageLines = (html: string) =>
  lines(decodeEntities(html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/<[^>]*>/g, "")))

/** `expected` appears in `actual` as one unbroken run of lines (the diff shown is from its first line's first place). */
const expectRun = (actual: ReadonlyArray<string>, expected: ReadonlyArray<string>) => {
  const starts = actual.flatMap((line, i) => (line === expected[0] ? [i] : []))
  expect(starts.length, `"${expected[0]}" is on the page`).toBeGreaterThan(0)
  const found = starts.find((i) => expected.every((line, j) => actual[i + j] === line))
  if (found === undefined) expect(actual.slice(starts[0], starts[0]! + expected.length)).toEqual(expected)
}

/** A raw request: the path goes out as written (fetch and URL parsing would percent-encode it). */
const raw = (url: string, path: string, method = "GET", headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const req = httpRequest({ host: hostname, port, path, method, headers }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => (body += chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on("error", reject)
    req.end()
  })

describe("pythonJson prints as Python's json.dumps(indent=…, ensure_ascii=False)", () => {
  it("matches Python for nesting, empty containers, unicode and escapes", () => {
    // Each expected string is Python 3.11's json.dumps(value, indent=4, ensure_ascii=False).
    expect(
      pythonJson(
        {
          a: [],
          b: {},
          c: [[], {}],
          d: "héllo ☃ 😀",
          e: null,
          f: true,
          g: [1, { h: 'x"y\\z\n\t\u0001' }]
        },
        4
      )
    ).toBe(
      '{\n    "a": [],\n    "b": {},\n    "c": [\n        [],\n        {}\n    ],\n    "d": "héllo ☃ 😀",\n    "e": null,\n    "f": true,\n    "g": [\n        1,\n        {\n            "h": "x\\"y\\\\z\\n\\t\\u0001"\n        }\n    ]\n}'
    )
    expect(pythonJson([], 4)).toBe("[]")
    expect(pythonJson({}, 4)).toBe("{}")
    expect(pythonJson([[[]]], 4)).toBe("[\n    [\n        []\n    ]\n]")
  })

  it("follows the indent width, including Python's indent=0 (newlines, no spaces)", () => {
    expect(pythonJson({ a: [1, 2], b: {} }, 2)).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}')
    expect(pythonJson({ a: [1, 2], b: {} }, 0)).toBe('{\n"a": [\n1,\n2\n],\n"b": {}\n}')
  })

  it("is compact with DRF's short separators when not indented, like JSON.stringify", () => {
    const value = { a: [1, 2], b: {}, c: "ü", d: [{ e: null }] }
    expect(pythonJson(value)).toBe('{"a":[1,2],"b":{},"c":"ü","d":[{"e":null}]}')
    expect(pythonJson(value)).toBe(JSON.stringify(value))
  })

  it("escapes U+2028 and U+2029 as DRF's renderer does", () => {
    expect(pythonJson(["a\u2028b\u2029c"], 4)).toBe('[\n    "a\\u2028b\\u2029c"\n]')
  })

  it("takes values as JSON.stringify does: toJSON, undefined members skipped, undefined items null", () => {
    expect(pythonJson({ when: new Date(Date.UTC(2024, 0, 2)), gone: undefined, list: [undefined] }, 4)).toBe(
      '{\n    "when": "2024-01-02T00:00:00.000Z",\n    "list": [\n        null\n    ]\n}'
    )
  })

  it("prints numbers as Python: ints in full, floats by repr", () => {
    // Python: json.dumps of each value (2**53 and 1e20 as ints: JavaScript cannot tell 1e20 from an int).
    const cases: Array<[number, string]> = [
      [0, "0"],
      [-7, "-7"],
      [2 ** 53, "9007199254740992"],
      [1e20, "100000000000000000000"],
      [0.5, "0.5"],
      [0.1, "0.1"],
      [1e-4, "0.0001"],
      [1e-5, "1e-05"],
      [1.5e-10, "1.5e-10"],
      [-2.5e-7, "-2.5e-07"],
      [123456.789, "123456.789"],
      [1234567890123456.8, "1234567890123456.8"],
      [0.30000000000000004, "0.30000000000000004"]
    ]
    for (const [value, python] of cases) expect(pythonJson(value, 4), String(value)).toBe(python)
  })
})

describe("urlize and escaping", () => {
  it("escapes the five HTML specials", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;")
  })

  it("links http(s) URLs inside JSON strings, leaving quotes and punctuation outside", () => {
    expect(urlize('"https://djangopackages.org/api/v4/grids/5/?format=api",')).toBe(
      '&quot;<a href="https://djangopackages.org/api/v4/grids/5/?format=api" rel="nofollow">https://djangopackages.org/api/v4/grids/5/?format=api</a>&quot;,'
    )
    expect(urlize("see (https://example.com/a_(b)). & <b>")).toBe(
      'see (<a href="https://example.com/a_(b)" rel="nofollow">https://example.com/a_(b)</a>). &amp; &lt;b&gt;'
    )
    expect(urlize("https://x.org/?a=1&b=2")).toBe(
      '<a href="https://x.org/?a=1&amp;b=2" rel="nofollow">https://x.org/?a=1&amp;b=2</a>'
    )
  })

  it("never links other schemes", () => {
    expect(urlize('"javascript:alert(1)" ftp://x data:text/html,<b>')).toBe(
      "&quot;javascript:alert(1)&quot; ftp://x data:text/html,&lt;b&gt;"
    )
  })
})

describe.each(engines())("the browsable API on $name", (engine) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer(engine, { publicUrl: "https://djangopackages.org" })
  })
  afterAll(() => server.close())

  it("renders dj-stripe with the reference page's text, line for line", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/2012/?format=api`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS")
    expect(res.headers.get("vary")).toBe("Accept")
    const html = await res.text()
    expectRun(pageLines(html), seedLines)
    // The view name heads the page and titles it.
    expect(html).toContain("<title>Package Instance – packgrid</title>")
    expect(pageLines(html)).toContain("Package Instance")
    expect(html).toMatch(/<html lang="en">/)
    // Self-contained: no external style sheets, scripts or images.
    expect(html).not.toMatch(/<link\b|<script\b|<img\b|\bsrc=/i)
  })

  it("makes the JSON's hyperlinks clickable", async () => {
    const html = await (await fetch(`${server.url}/api/v4/packages/2012/?format=api`)).text()
    for (const url of [
      "https://djangopackages.org/api/v4/categories/1/?format=api",
      "https://djangopackages.org/api/v4/grids/216/?format=api",
      "https://github.com/dj-stripe/dj-stripe",
      "http://pypi.python.org/pypi/dj-stripe"
    ]) {
      expect(html).toContain(`&quot;<a href="${url}" rel="nofollow">${url}</a>&quot;`)
    }
  })

  it("is served to a browser's Accept, with the URL as requested and format-free links", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/2012/`, {
      headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8" }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    const text = pageLines(await res.text())
    expectRun(text, [
      "API endpoint that allows packages to be viewed or edited.",
      "GET /api/v4/packages/2012/",
      "HTTP 200 OK"
    ])
    expect(text).toContain('"category": "https://djangopackages.org/api/v4/categories/1/",')
  })

  it("shows an error with its real status, in the page and on the response", async () => {
    const res = await fetch(`${server.url}/api/v4/packages/999999/?format=api`)
    expect(res.status).toBe(404)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expectRun(pageLines(await res.text()), [
      "GET /api/v4/packages/999999/?format=api",
      "HTTP 404 Not Found",
      "Allow: GET, HEAD, OPTIONS",
      "Content-Type: application/json",
      "Vary: Accept",
      "{",
      '"detail": "No Package matches the given query."',
      "}"
    ])
  })

  it("shows a list page with its paging links clickable", async () => {
    const html = await (await fetch(`${server.url}/api/v4/packages/?format=api&limit=2`)).text()
    const text = pageLines(html)
    expectRun(text, ["Package List", "API endpoint that allows packages to be viewed or edited."])
    expectRun(text, ["GET /api/v4/packages/?format=api&limit=2", "HTTP 200 OK", "Allow: GET, HEAD, OPTIONS"])
    expect(text).toContain('"next": "https://djangopackages.org/api/v4/packages/?format=api&limit=2&offset=2",')
    expect(html).toContain(
      '<a href="https://djangopackages.org/api/v4/packages/?format=api&amp;limit=2&amp;offset=2" rel="nofollow">'
    )
  })

  it("escapes the request line", async () => {
    const res = await raw(server.url, `/api/v4/packages/2012/?format=api&x=<b>"y"</b>&'z'`)
    expect(res.status).toBe(200)
    expect(res.body).not.toContain('<b>"y"</b>')
    expect(res.body).toContain("&lt;b&gt;&quot;y&quot;&lt;/b&gt;&amp;&#x27;z&#x27;")
    expect(pageLines(res.body)).toContain(`GET /api/v4/packages/2012/?format=api&x=<b>"y"</b>&'z'`)
  })

  it("answers HEAD with GET's headers and no body, for JSON and for the page", async () => {
    for (const path of [
      "/api/v4/packages/2012/",
      "/api/v4/packages/2012/?format=api",
      "/api/v4/packages/?limit=3",
      "/api/v4/packages/?format=api",
      "/api/v4/packages/999999/?format=api",
      "/api/v4/"
    ]) {
      const get = await raw(server.url, path)
      const head = await raw(server.url, path, "HEAD")
      expect(head.status, path).toBe(get.status)
      expect(head.body, path).toBe("")
      for (const name of ["content-length", "content-type", "allow", "vary"]) {
        expect(head.headers[name], `${path} ${name}`).toBe(get.headers[name])
      }
      expect(Number(get.headers["content-length"]), path).toBe(Buffer.byteLength(get.body))
    }
  })
})

describe.each(engines())("the browsable API's escaping on $name", (engine) => {
  const hostile = `<script>alert("pwned")</script> & 'quotes' and https://example.com/?a=1&b=<2>`
  let server: TestServer
  beforeAll(async () => {
    server = await startServer(engine, { publicUrl: "https://djangopackages.org" }, () => {
      const catalogue = demoCatalogue() as { packages: Array<Record<string, unknown>> }
      const stripe = catalogue.packages.find((p) => p.slug === "dj-stripe")!
      stripe.repo_description = hostile
      stripe.title = `dj-stripe <em>"&"</em>`
      return catalogue
    })
  })
  afterAll(() => server.close())

  it("escapes everything a package says, and still shows it verbatim", async () => {
    const html = await (await fetch(`${server.url}/api/v4/packages/2012/?format=api`)).text()
    expect(html).not.toContain("<script>")
    expect(html).not.toContain("<em>")
    expect(html).toContain("&lt;script&gt;alert(\\&quot;pwned\\&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;")
    const text = pageLines(html)
    expect(text).toContain(`"repo_description": ${JSON.stringify(hostile)},`)
    expect(text).toContain(`"title": ${JSON.stringify(`dj-stripe <em>"&"</em>`)},`)
    // The URL inside the description is a link that stops at the `<`.
    expect(html).toContain(
      '<a href="https://example.com/?a=1&amp;b=" rel="nofollow">https://example.com/?a=1&amp;b=</a>'
    )
  })
})
