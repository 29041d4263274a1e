/** Repository URLs: one canonical spelling per repository, and the host that serves it. */
import { Either, ParseResult, Schema } from "effect"

export const RepoHost = Schema.Literal("github", "gitlab", "bitbucket", "codeberg", "forgejo", "other")
export type RepoHost = typeof RepoHost.Type

const KNOWN_HOSTS: Record<string, RepoHost> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "bitbucket.org": "bitbucket",
  "codeberg.org": "codeberg"
}

// Path segments after which a URL points inside a repository rather than at it.
const PATH_MARKERS = new Set([
  "tree",
  "blob",
  "commit",
  "commits",
  "compare",
  "releases",
  "pull",
  "pulls",
  "issues",
  "src",
  "raw",
  "merge_requests",
  "tags",
  "-",
  "milestone",
  "wiki",
  "settings"
])

/**
 * Normalises what a person pastes (https, http, `git@host:path`, bare `host/path`) to
 * `https://host/owner/repo`: host lower-cased and without `www.`, no `.git`, no trailing slash, no
 * query. The path keeps its case: unlike the reference we do not lower-case it, since GitLab, Gitea and
 * Bitbucket paths are case-sensitive for some API calls and the owner's own spelling is what people expect.
 * GitLab keeps nested groups; other hosts keep `owner/repo`.
 */
export const normalizeRepoUrl = (input: string): Either.Either<string, string> => {
  let s = input.trim()
  if (s === "") return Either.left("Enter a repository URL.")
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(s)
  if (scp !== null) s = `https://${scp[1]}/${scp[2]}`
  else if (/^ssh:\/\//i.test(s)) s = s.replace(/^ssh:\/\/(?:[^@/]+@)?/i, "https://")
  else if (/^git:\/\//i.test(s)) s = s.replace(/^git:\/\//i, "https://")
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return Either.left(`"${input}" is not a URL.`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return Either.left(`"${input}" is not an http(s) URL.`)
  const host = url.hostname.toLowerCase().replace(/^www\./, "")
  if (!host.includes(".") && host !== "localhost") return Either.left(`"${input}" has no host name.`)
  const segments: Array<string> = []
  for (const raw of url.pathname.split("/")) {
    if (raw === "") continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return Either.left(`"${input}" is not a URL.`)
    }
    // Decoded and without `.git`, as the next normalisation would see it (`%74ree`, `tree.git`).
    if (segments.length >= 2 && PATH_MARKERS.has(segment.replace(/(?:\.git)+$/i, ""))) break
    segments.push(segment)
  }
  const keep = KNOWN_HOSTS[host] === "gitlab" || !(host in KNOWN_HOSTS) ? segments.length : 2
  const path = segments.slice(0, keep)
  const last = path.length - 1
  if (last >= 0) path[last] = path[last]!.replace(/(?:\.git)+$/i, "")
  if (path.length < 2 || path.some((p) => p === "" || p === "." || p === "..")) {
    return Either.left(`"${input}" does not name a repository: expected https://host/owner/repo.`)
  }
  // 443 is the default of the https URL we write, so the next normalisation would drop it.
  const port = url.port === "" || url.port === "443" ? "" : `:${url.port}`
  return Either.right(`https://${host}${port}/${path.map(encodeURIComponent).join("/")}`)
}

/** The host that serves `url`: a host chosen by the editor wins (self-hosted Forgejo, GitLab), else detection. */
export const detectRepoHost = (url: string, chosen?: RepoHost | "" | null): RepoHost => {
  if (chosen !== undefined && chosen !== null && chosen !== "") return chosen
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, "")
  } catch {
    return "other"
  }
  return KNOWN_HOSTS[host] ?? "other"
}

/** `owner/repo` (or `group/sub/repo` on GitLab) of a normalised URL. */
export const repoPath = (url: string): string => new URL(url).pathname.replace(/^\/|\/$/g, "")

/** A repository URL, normalised on decode. */
export const RepoUrl = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (s, _, ast) =>
    Either.match(normalizeRepoUrl(s), {
      onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, s, message)),
      onRight: ParseResult.succeed
    }),
  encode: ParseResult.succeed
}).annotations({ identifier: "RepoUrl", description: "repository URL, normalised to https://host/owner/repo" })
