/**
 * Just enough of PEP 440 for scoring: parsing and ordering versions, and testing a `requires_python`
 * specifier set against a version, as `packaging`'s `SpecifierSet.contains(v, prereleases=True)` does.
 */

export interface Version {
  readonly epoch: number
  readonly release: ReadonlyArray<number>
  /** Pre-release phase: 0 = a, 1 = b, 2 = rc. */
  readonly pre: readonly [number, number] | null
  readonly post: number | null
  readonly dev: number | null
  readonly local: string | null
}

// packaging's VERSION_PATTERN, anchored.
const VERSION =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

const PHASE: Record<string, number> = { alpha: 0, a: 0, beta: 1, b: 1, preview: 2, pre: 2, c: 2, rc: 2 }

export const parseVersion = (input: string): Version | null => {
  const m = VERSION.exec(input)
  if (m === null) return null
  const [, epoch, release, phase, preN, implicitPost, postWord, postN, devWord, devN, local] = m
  return {
    epoch: Number(epoch ?? 0),
    release: (release ?? "0").split(".").map(Number),
    pre: phase === undefined ? null : [PHASE[phase.toLowerCase()] ?? 2, Number(preN ?? 0)],
    post: implicitPost !== undefined ? Number(implicitPost) : postWord !== undefined ? Number(postN ?? 0) : null,
    dev: devWord !== undefined ? Number(devN ?? 0) : null,
    local: local === undefined ? null : local.toLowerCase().replace(/[-_]/g, ".")
  }
}

/** A pre-release or a development release. */
export const isPrerelease = (v: Version): boolean => v.pre !== null || v.dev !== null

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0)

const compareRelease = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = compareNumbers(a[i] ?? 0, b[i] ?? 0)
    if (c !== 0) return c
  }
  return 0
}

// packaging's _cmpkey: a dev release without pre/post sorts before every pre-release of its release.
const preKey = (v: Version): readonly [number, number] =>
  v.pre !== null ? v.pre : v.post === null && v.dev !== null ? [-Infinity, 0] : [Infinity, 0]

const compareLocal = (a: string | null, b: string | null): number => {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  const as = a.split("."),
    bs = b.split(".")
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i],
      y = bs[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const xn = /^\d+$/.test(x),
      yn = /^\d+$/.test(y)
    const c = xn && yn ? compareNumbers(Number(x), Number(y)) : xn ? 1 : yn ? -1 : x < y ? -1 : x > y ? 1 : 0
    if (c !== 0) return c
  }
  return 0
}

/** Orders two versions as PEP 440 does. */
export const compareVersions = (a: Version, b: Version, withLocal = true): number => {
  const e = compareNumbers(a.epoch, b.epoch)
  if (e !== 0) return e
  const r = compareRelease(a.release, b.release)
  if (r !== 0) return r
  const [ap, an] = preKey(a),
    [bp, bn] = preKey(b)
  const p = compareNumbers(ap, bp) || compareNumbers(an, bn)
  if (p !== 0) return p
  const post = compareNumbers(a.post ?? -Infinity, b.post ?? -Infinity)
  if (post !== 0) return post
  const dev = compareNumbers(a.dev ?? Infinity, b.dev ?? Infinity)
  if (dev !== 0) return dev
  return withLocal ? compareLocal(a.local, b.local) : 0
}

const baseOf = (v: Version): Version => ({
  epoch: v.epoch,
  release: v.release,
  pre: null,
  post: null,
  dev: null,
  local: null
})

type Test = (v: Version) => boolean

const prefixMatch = (prefix: Version, v: Version): boolean =>
  prefix.epoch === v.epoch && prefix.release.every((n, i) => (v.release[i] ?? 0) === n)

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*(\S+)$/

const clause = (text: string): Test | null => {
  const m = CLAUSE.exec(text)
  if (m === null) return null
  const op = m[1] as string
  const raw = m[2] as string
  if (op === "===") return (v) => raw.toLowerCase() === formatVersion(v).toLowerCase()
  const wildcard = raw.endsWith(".*")
  if (wildcard && op !== "==" && op !== "!=") return null
  const spec = parseVersion(wildcard ? raw.slice(0, -2) : raw)
  if (spec === null) return null
  if (wildcard) {
    if (isPrerelease(spec) || spec.post !== null || spec.local !== null) return null
    return op === "==" ? (v) => prefixMatch(spec, v) : (v) => !prefixMatch(spec, v)
  }
  if (spec.local !== null && op !== "==" && op !== "!=") return null
  const eq = (v: Version) => compareVersions(spec.local === null ? { ...v, local: null } : v, spec) === 0
  switch (op) {
    case "==":
      return eq
    case "!=":
      return (v) => !eq(v)
    case "<=":
      return (v) => compareVersions(v, spec, false) <= 0
    case ">=":
      return (v) => compareVersions(v, spec, false) >= 0
    case "<":
      // Excludes pre-releases of the specified version unless it is one itself.
      return (v) =>
        compareVersions(v, spec, false) < 0 &&
        (isPrerelease(spec) || !isPrerelease(v) || compareVersions(baseOf(v), baseOf(spec)) !== 0)
    case ">":
      // Excludes post-releases and local versions of the specified version unless it is one itself.
      return (v) =>
        compareVersions(v, spec, false) > 0 &&
        (spec.post !== null || v.post === null || compareVersions(baseOf(v), baseOf(spec)) !== 0) &&
        (v.local === null || compareVersions({ ...v, local: null }, spec) !== 0)
    default: {
      // ~=X.Y[.Z]: >= X.Y[.Z] and == X[.Y].*
      if (spec.release.length < 2) return null
      const prefix: Version = { ...baseOf(spec), release: spec.release.slice(0, -1) }
      return (v) => compareVersions(v, spec, false) >= 0 && prefixMatch(prefix, v)
    }
  }
}

/** A specifier set as a predicate, or null when it does not parse (packaging's `InvalidSpecifier`). */
export const parseSpecifierSet = (input: string): Test | null => {
  const parts = input
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  const tests: Array<Test> = []
  for (const part of parts) {
    const t = clause(part)
    if (t === null) return null
    tests.push(t)
  }
  return (v) => tests.every((t) => t(v))
}

export const formatVersion = (v: Version): string => {
  const phase = ["a", "b", "rc"]
  return (
    (v.epoch !== 0 ? `${v.epoch}!` : "") +
    v.release.join(".") +
    (v.pre !== null ? `${phase[v.pre[0]] ?? "rc"}${v.pre[1]}` : "") +
    (v.post !== null ? `.post${v.post}` : "") +
    (v.dev !== null ? `.dev${v.dev}` : "") +
    (v.local !== null ? `+${v.local}` : "")
  )
}
