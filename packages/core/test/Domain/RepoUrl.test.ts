import { Either, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { detectRepoHost, normalizeRepoUrl, RepoUrl, repoPath } from "../../src/Domain/RepoUrl.ts"

const normalized = (input: string): string =>
  Either.getOrThrowWith(normalizeRepoUrl(input), (message) => new Error(message))
const refused = (input: string): string =>
  Either.getOrThrowWith(Either.flip(normalizeRepoUrl(input)), (url) => new Error(`${input} was accepted as ${url}`))

describe("normalizeRepoUrl", () => {
  it("gives https://host/owner/repo for the spellings people paste", () => {
    const cases: Array<[string, string]> = [
      ["https://github.com/dj-stripe/dj-stripe", "https://github.com/dj-stripe/dj-stripe"],
      ["http://github.com/dj-stripe/dj-stripe", "https://github.com/dj-stripe/dj-stripe"],
      ["git@github.com:dj-stripe/dj-stripe.git", "https://github.com/dj-stripe/dj-stripe"],
      ["ssh://git@github.com/dj-stripe/dj-stripe.git", "https://github.com/dj-stripe/dj-stripe"],
      ["git://github.com/dj-stripe/dj-stripe", "https://github.com/dj-stripe/dj-stripe"],
      ["github.com/dj-stripe/dj-stripe", "https://github.com/dj-stripe/dj-stripe"],
      ["https://www.github.com/dj-stripe/dj-stripe", "https://github.com/dj-stripe/dj-stripe"],
      ["https://github.com/dj-stripe/dj-stripe/", "https://github.com/dj-stripe/dj-stripe"],
      ["https://github.com/dj-stripe/dj-stripe.git", "https://github.com/dj-stripe/dj-stripe"],
      ["https://github.com/dj-stripe/dj-stripe?tab=readme#usage", "https://github.com/dj-stripe/dj-stripe"],
      ["  https://github.com/dj-stripe/dj-stripe  ", "https://github.com/dj-stripe/dj-stripe"]
    ]
    for (const [input, expected] of cases) expect(normalized(input), input).toBe(expected)
  })

  it("drops what points inside the repository: tree, blob, src, issues…", () => {
    expect(normalized("https://github.com/encode/django-rest-framework/tree/master/docs")).toBe(
      "https://github.com/encode/django-rest-framework"
    )
    expect(normalized("https://github.com/encode/django-rest-framework/blob/master/README.md")).toBe(
      "https://github.com/encode/django-rest-framework"
    )
    expect(normalized("https://github.com/encode/django-rest-framework/issues/1")).toBe(
      "https://github.com/encode/django-rest-framework"
    )
    expect(normalized("https://bitbucket.org/owner/repo/src/master/")).toBe("https://bitbucket.org/owner/repo")
    expect(normalized("https://gitlab.com/group/sub/repo/-/tree/main")).toBe("https://gitlab.com/group/sub/repo")
    expect(normalized("https://codeberg.org/owner/repo/src/branch/main")).toBe("https://codeberg.org/owner/repo")
  })

  it("keeps GitLab's nested groups, and only owner/repo on GitHub and Bitbucket", () => {
    expect(normalized("https://gitlab.com/group/subgroup/repo")).toBe("https://gitlab.com/group/subgroup/repo")
    expect(normalized("git@gitlab.com:group/subgroup/repo.git")).toBe("https://gitlab.com/group/subgroup/repo")
    expect(normalized("https://github.com/owner/repo/extra")).toBe("https://github.com/owner/repo")
    expect(normalized("https://git.example.org/team/sub/repo")).toBe("https://git.example.org/team/sub/repo")
  })

  it("lower-cases the host and keeps the path's case", () => {
    expect(normalized("https://GitHub.COM/Owner/Repo")).toBe("https://github.com/Owner/Repo")
    expect(normalized("https://WWW.GitLab.com/Group/Repo.GIT")).toBe("https://gitlab.com/Group/Repo")
  })

  it("keeps a port and encodes unusual path characters once", () => {
    expect(normalized("https://git.example.org:8443/owner/repo")).toBe("https://git.example.org:8443/owner/repo")
    expect(normalized("https://github.com/owner/r%20x")).toBe("https://github.com/owner/r%20x")
    expect(normalized("http://git.example.org:443/owner/repo")).toBe("https://git.example.org/owner/repo")
  })

  it("refuses what names no repository, with a message", () => {
    expect(refused("")).toBe("Enter a repository URL.")
    expect(refused("https://github.com/owner")).toBe(
      `"https://github.com/owner" does not name a repository: expected https://host/owner/repo.`
    )
    expect(refused("https://github.com/owner/.git")).toContain("does not name a repository")
    expect(refused("https://github.com/owner/..git")).toContain("does not name a repository")
    expect(refused("ftp://example.org/owner/repo")).toBe(`"ftp://example.org/owner/repo" is not an http(s) URL.`)
    expect(refused("not a url")).toBe(`"not a url" is not a URL.`)
    expect(refused("https://intranet/owner/repo")).toBe(`"https://intranet/owner/repo" has no host name.`)
  })

  it("refuses a malformed percent-escape instead of throwing", () => {
    expect(refused("https://github.com/owner/%zz")).toContain("is not a URL")
  })

  it("is idempotent on a doubled .git suffix", () => {
    const once = normalized("https://github.com/owner/repo.git.git")
    expect(once).toBe("https://github.com/owner/repo")
    expect(normalized(once)).toBe(once)
  })

  it("property: normalising twice gives what normalising once gave", () => {
    const segment = fc.oneof(
      { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "tree",
          "blob",
          "-",
          "src",
          ".git",
          "x.git",
          "x.git.git",
          "tree.git",
          "%74ree",
          "..git",
          "%20",
          "%zz",
          "a%2Fb",
          "~u",
          "é",
          "(x)",
          "@"
        )
      },
      { weight: 1, arbitrary: fc.webSegment() }
    )
    const host = fc.oneof(
      fc.constantFrom(
        "github.com",
        "GitHub.com",
        "www.github.com",
        "gitlab.com",
        "bitbucket.org",
        "codeberg.org",
        "git.example.org",
        "localhost",
        "intranet"
      ),
      fc.domain()
    )
    const url = fc
      .tuple(
        fc.constantFrom("https://", "http://", "", "git@", "ssh://git@", "git://"),
        host,
        fc.option(fc.oneof(fc.constantFrom(80, 443), fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
        fc.array(segment, { maxLength: 6 }),
        fc.constantFrom("", "/", ".git", "?tab=readme", "#top")
      )
      .map(([scheme, h, port, path, tail]) =>
        scheme === "git@"
          ? `git@${h}:${path.join("/")}${tail}`
          : `${scheme}${h}${port === undefined ? "" : `:${port}`}/${path.join("/")}${tail}`
      )
    fc.assert(
      fc.property(fc.oneof(url, fc.webUrl(), fc.string()), (input) => {
        const once = normalizeRepoUrl(input)
        if (Either.isRight(once)) expect(normalizeRepoUrl(once.right)).toEqual(once)
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 3000) }
    )
  })
})

describe("detectRepoHost", () => {
  it("knows the public hosts, and calls the rest other", () => {
    expect(detectRepoHost("https://github.com/o/r")).toBe("github")
    expect(detectRepoHost("https://www.GitHub.com/o/r")).toBe("github")
    expect(detectRepoHost("https://gitlab.com/g/s/r")).toBe("gitlab")
    expect(detectRepoHost("https://bitbucket.org/o/r")).toBe("bitbucket")
    expect(detectRepoHost("https://codeberg.org/o/r")).toBe("codeberg")
    expect(detectRepoHost("https://git.example.org/o/r")).toBe("other")
    expect(detectRepoHost("not a url")).toBe("other")
  })

  it("lets an editor's choice win, and ignores an empty one", () => {
    expect(detectRepoHost("https://git.example.org/o/r", "forgejo")).toBe("forgejo")
    expect(detectRepoHost("https://github.com/o/r", "")).toBe("github")
    expect(detectRepoHost("https://github.com/o/r", null)).toBe("github")
  })
})

describe("RepoUrl schema and repoPath", () => {
  it("normalises on decode and reports the reason on failure", () => {
    const decode = Schema.decodeUnknownEither(RepoUrl)
    expect(decode("git@github.com:o/r.git")).toEqual(Either.right("https://github.com/o/r"))
    const bad = decode("https://github.com/o")
    expect(Either.isLeft(bad) && bad.left.message).toContain("does not name a repository")
  })

  it("gives the owner/repo path, nested groups included", () => {
    expect(repoPath("https://github.com/dj-stripe/dj-stripe")).toBe("dj-stripe/dj-stripe")
    expect(repoPath("https://gitlab.com/group/sub/repo")).toBe("group/sub/repo")
  })
})
