import { readFileSync } from "node:fs"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Http } from "../../src/Refresh/Http.ts"
import * as PyPIModule from "../../src/Refresh/PyPI.ts"
import { PyPI, type PypiFetch, PypiJson, pypiFactsOf } from "../../src/Refresh/PyPI.ts"
import { defaultFixturesDir } from "../../src/Refresh/Simulator.ts"
import type { FetchState } from "../../src/Refresh/RepoHost.ts"
import { Schema } from "effect"
import { failure, httpLayer, run, us, useSimulator } from "./support.ts"

const sim = useSimulator()

const fetchPypi = (name: string, previous: FetchState | null = null) =>
  Effect.gen(function* () {
    const pypi = yield* PyPI
    const result = yield* pypi.fetch(name, previous)
    return { result, stats: yield* Effect.flatMap(Http, (http) => http.stats("pypi")) }
  }).pipe(Effect.provide(PyPIModule.layerWith({ baseUrl: sim().baseUrls.pypi }).pipe(Layer.provideMerge(httpLayer()))))

const facts = (r: PypiFetch) => {
  if (r._tag !== "Fetched") throw new Error("expected facts")
  return r.facts
}

describe("PyPI, from djangopackages' recorded JSON", () => {
  it("reads Django 4.0.2: licences, Requires-Python, Python 3, status, docs link, upload time, releases", async () => {
    const { result, stats } = await run(fetchPypi("django"))
    const django = facts(result)
    expect(django).toMatchObject({
      name: "Django",
      version: "4.0.2",
      license: "BSD-3-Clause",
      licenses: ["BSD-3-Clause", "BSD License"],
      requires_python: ">=3.8",
      supports_python3: true,
      development_status: 5,
      documentation_url: "https://docs.djangoproject.com/",
      upload_time: us("2022-02-01T07:56:23Z") + 36_066,
      vulnerabilities: [],
      last_serial: 12752573
    })
    expect(django.releases).toHaveLength(294)
    // Oldest first; the 7 versions without files (no upload time) come before them.
    expect(django.releases.slice(0, 7).every((r) => r.upload_time === null)).toBe(true)
    expect(django.releases[7]).toMatchObject({
      number: "1.2",
      upload_time: us("2010-05-17T20:04:28Z") + 174_094,
      yanked: false
    })
    expect(django.releases.at(-1)!.number).toBe("4.0.2")
    expect(django.classifiers).toContain("Framework :: Django")
    // "django" is answered with a 301 to the canonical "Django", which is followed.
    expect(sim().requests.map((r) => `${r.status} ${r.path}`)).toEqual([
      "301 /pypi/django/json",
      "200 /pypi/Django/json"
    ])
    expect(stats.requests).toBe(2)
  })

  it("reads the other recorded projects", async () => {
    const expected = {
      djangorestframework: {
        version: "3.13.1",
        licenses: ["BSD", "BSD License"],
        requires_python: ">=3.6",
        documentation_url: null,
        development_status: 5
      },
      wagtail: {
        version: "2.16.1",
        licenses: ["BSD", "BSD License"],
        requires_python: ">=3.7",
        supports_python3: true
      },
      "django-crispy-forms": { version: "1.14.0", licenses: ["MIT", "MIT License"], requires_python: ">=3.7" },
      // An empty `license` is skipped: the classifier alone names it. No status classifier: 0.
      nango: {
        version: "0.1.2",
        licenses: ["MIT License"],
        license: "MIT License",
        development_status: 0,
        supports_python3: true
      },
      "django-minify-html": {
        version: "1.0.0",
        licenses: ["MIT", "MIT License"],
        upload_time: us("2021-12-28T10:37:18Z") + 583_101
      }
    }
    for (const [name, want] of Object.entries(expected)) {
      const { result } = await run(fetchPypi(name))
      expect(facts(result), name).toMatchObject(want)
    }
  })

  it("reads the warehouse documentation's release example", () => {
    const recording = JSON.parse(
      readFileSync(`${defaultFixturesDir}/pypi/warehouse_doc_release_sampleproject_4.0.0.json`, "utf8")
    )
    const sample = pypiFactsOf(Schema.decodeUnknownSync(PypiJson)(recording.body))
    expect(sample).toMatchObject({
      name: "sampleproject",
      version: "4.0.0",
      development_status: 3,
      supports_python3: true,
      requires_python: ">=3.9",
      documentation_url: null,
      upload_time: us("2024-11-06T22:37:09Z") + 220_617
    })
  })

  it("accepts a stored legacy PyPI URL", async () => {
    const { result } = await run(fetchPypi("https://pypi.python.org/pypi/wagtail/"))
    expect(facts(result).name).toBe("wagtail")
  })

  it("fails MalformedResponse on an empty document ({} recorded for django-fett)", async () => {
    expect((await failure(fetchPypi("django-fett")))._tag).toBe("MalformedResponse")
  })

  it("fails UpstreamNotFound for an unknown project (the reference then clears pypi_url)", async () => {
    expect((await failure(fetchPypi("this-project-does-not-exist-xyz")))._tag).toBe("UpstreamNotFound")
  })
})

describe("PyPI, conditional and advisories", () => {
  it("revalidates with the ETag: a re-run is one 304", async () => {
    const first = await run(fetchPypi("Django"))
    if (first.result._tag !== "Fetched") throw new Error("expected facts")
    sim().reset()
    const again = await run(fetchPypi("Django", first.result.state))
    expect(again.result._tag).toBe("NotModified")
    expect(again.stats).toMatchObject({ requests: 1, notModified: 1 })
  })

  it("keeps the validators across the canonical-name redirect", async () => {
    const first = await run(fetchPypi("django"))
    if (first.result._tag !== "Fetched") throw new Error("expected facts")
    sim().reset()
    const again = await run(fetchPypi("django", first.result.state))
    expect(again.result._tag).toBe("NotModified")
    expect(sim().requests.map((r) => r.status)).toEqual([301, 304])
  })

  it("reads the latest release's vulnerabilities (OSV id, aliases, fixed_in, withdrawn)", async () => {
    const doc = JSON.parse(readFileSync(`${defaultFixturesDir}/pypi/djp_pypi-django-minify-html.json`, "utf8"))
    sim().define("pypi", "/pypi/django-minify-html/json", {
      body: {
        ...doc,
        vulnerabilities: [
          {
            id: "PYSEC-2099-1",
            aliases: ["CVE-2099-0001", "GHSA-xxxx-yyyy-zzzz"],
            details: "A made-up advisory for the test.",
            summary: null,
            fixed_in: ["1.0.1"],
            link: "https://osv.dev/vulnerability/PYSEC-2099-1",
            source: "osv",
            withdrawn: null
          },
          {
            id: "PYSEC-2099-2",
            aliases: [],
            summary: "Withdrawn",
            fixed_in: [],
            link: null,
            withdrawn: "2099-01-02T03:04:05.123456Z"
          }
        ]
      }
    })
    const { result } = await run(fetchPypi("django-minify-html"))
    expect(facts(result).vulnerabilities).toEqual([
      {
        id: "PYSEC-2099-1",
        aliases: ["CVE-2099-0001", "GHSA-xxxx-yyyy-zzzz"],
        summary: null,
        fixed_in: ["1.0.1"],
        link: "https://osv.dev/vulnerability/PYSEC-2099-1",
        withdrawn: null
      },
      {
        id: "PYSEC-2099-2",
        aliases: [],
        summary: "Withdrawn",
        fixed_in: [],
        link: null,
        withdrawn: us("2099-01-02T03:04:05Z") + 123_456
      }
    ])
  })

  it("marks a release yanked when all its files are", async () => {
    const doc = JSON.parse(readFileSync(`${defaultFixturesDir}/pypi/djp_pypi-nango.json`, "utf8"))
    const releases = { ...doc.releases, "0.1.2": doc.releases["0.1.2"].map((f: object) => ({ ...f, yanked: true })) }
    sim().define("pypi", "/pypi/nango/json", { body: { ...doc, releases } })
    const { result } = await run(fetchPypi("nango"))
    const nango = facts(result)
    expect(nango.releases.find((r) => r.number === "0.1.2")!.yanked).toBe(true)
    expect(nango.releases.filter((r) => r.yanked)).toHaveLength(1)
  })
})
