/**
 * Just enough of PEP 440 to answer the reference's question "does `Requires-Python` admit some Python 3?"
 * the way Python's `packaging` does (`SpecifierSet(s).contains(v, prereleases=True)`): version parsing
 * and ordering, and every specifier operator (`~=`, `==`, `==X.*`, `!=`, `<=`, `>=`, `<`, `>`, `===`).
 * Markers, `LegacyVersion` and candidate filtering are out of scope.
 */
import { Either } from "effect"

/** A parsed PEP 440 version. */
export interface Version {
  readonly epoch: number
  readonly release: ReadonlyArray<number>
  readonly pre: readonly [letter: "a" | "b" | "rc", number: number] | null
  readonly post: number | null
  readonly dev: number | null
  readonly local: string | null
}

const VERSION =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

const PRE_LETTER: Record<string, "a" | "b" | "rc"> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  rc: "rc",
  pre: "rc",
  preview: "rc"
}

/** Parses a version string, or returns undefined when it is not PEP 440. */
export const parseVersion = (input: string): Version | undefined => {
  const m = VERSION.exec(input)
  if (m === null) return undefined
  const [, epoch, release, preL, preN, postImplicit, postL, postN, devL, devN, local] = m
  return {
    epoch: epoch === undefined ? 0 : Number(epoch),
    release: release!.split(".").map(Number),
    pre: preL === undefined ? null : [PRE_LETTER[preL.toLowerCase()]!, Number(preN ?? 0)],
    post: postImplicit !== undefined ? Number(postImplicit) : postL !== undefined ? Number(postN ?? 0) : null,
    dev: devL === undefined ? null : Number(devN ?? 0),
    local: local === undefined ? null : local.toLowerCase().replace(/[-_]/g, ".")
  }
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const

const compareRelease = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

// packaging's _cmpkey: a dev release of a final sorts before its pre-releases; no pre sorts after them.
const preKey = (v: Version): number =>
  v.pre === null ? (v.post === null && v.dev !== null ? -Infinity : Infinity) : PRE_RANK[v.pre[0]] * 1e9 + v.pre[1]

const compareLocal = (a: string | null, b: string | null): number => {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  const pa = a.split("."),
    pb = b.split(".")
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i],
      y = pb[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const xn = /^\d+$/.test(x),
      yn = /^\d+$/.test(y)
    // Numeric segments sort after alphanumeric ones.
    if (xn && yn) {
      const d = Number(x) - Number(y)
      if (d !== 0) return Math.sign(d)
    } else if (xn !== yn) return xn ? 1 : -1
    else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/** PEP 440 ordering: negative, zero or positive. */
export const compareVersions = (a: Version, b: Version): number => {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch)
  const r = compareRelease(a.release, b.release)
  if (r !== 0) return r
  const pa = preKey(a),
    pb = preKey(b)
  if (pa !== pb) return pa < pb ? -1 : 1
  const qa = a.post ?? -Infinity,
    qb = b.post ?? -Infinity
  if (qa !== qb) return qa < qb ? -1 : 1
  const da = a.dev ?? Infinity,
    db = b.dev ?? Infinity
  if (da !== db) return da < db ? -1 : 1
  return compareLocal(a.local, b.local)
}

const withoutLocal = (v: Version): Version => ({ ...v, local: null })
const sameBase = (a: Version, b: Version) => a.epoch === b.epoch && compareRelease(a.release, b.release) === 0

type Operator = "===" | "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">"

/** One clause of a specifier set. */
export interface Specifier {
  readonly operator: Operator
  readonly version: string
}

const RELEASE = String.raw`v?(?:\d+!)?\d+(?:\.\d+)*`
const PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?`
const POST = String.raw`(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?`
const DEV = String.raw`(?:[-_.]?dev[-_.]?\d*)?`
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`

// packaging's Specifier regex, one branch per operator family.
const SPEC_VERSION: Record<Operator, RegExp> = {
  "===": /^[^\s;)]*$/,
  "==": new RegExp(String.raw`^${RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL})$`, "i"),
  "!=": new RegExp(String.raw`^${RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL})$`, "i"),
  "~=": new RegExp(String.raw`^v?(?:\d+!)?\d+(?:\.\d+)+${PRE}${POST}${DEV}$`, "i"),
  "<=": new RegExp(String.raw`^${RELEASE}${PRE}${POST}${DEV}$`, "i"),
  ">=": new RegExp(String.raw`^${RELEASE}${PRE}${POST}${DEV}$`, "i"),
  "<": new RegExp(String.raw`^${RELEASE}${PRE}${POST}${DEV}$`, "i"),
  ">": new RegExp(String.raw`^${RELEASE}${PRE}${POST}${DEV}$`, "i")
}

const OPERATORS: ReadonlyArray<Operator> = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]

/** Parses one specifier such as `>=3.8` or `==3.*`; Left with the reason when `packaging` would raise InvalidSpecifier. */
export const parseSpecifier = (input: string): Either.Either<Specifier, string> => {
  const s = input.trim()
  const operator = OPERATORS.find((op) => s.startsWith(op))
  if (operator === undefined) return Either.left(`"${input}" has no comparison operator`)
  const version = s.slice(operator.length).trim()
  if (version === "" || !SPEC_VERSION[operator].test(version)) {
    return Either.left(`"${input}" is not a valid PEP 440 specifier`)
  }
  return Either.right({ operator, version })
}

/** Parses a comma-separated specifier set; an empty set admits every version. */
export const parseSpecifierSet = (input: string): Either.Either<ReadonlyArray<Specifier>, string> =>
  Either.all(
    input
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(parseSpecifier)
  )

// `==X.*`: the candidate's release, zero-padded, starts with X's release (and epochs agree).
const prefixMatch = (candidate: Version, prefix: string): boolean => {
  const p = parseVersion(prefix)!
  if (p.epoch !== candidate.epoch) return false
  return p.release.every((n, i) => (candidate.release[i] ?? 0) === n)
}

const equal = (candidate: Version, spec: string): boolean => {
  if (spec.endsWith(".*")) return prefixMatch(candidate, spec.slice(0, -2))
  const v = parseVersion(spec)!
  return compareVersions(v.local === null ? withoutLocal(candidate) : candidate, v) === 0
}

/** Whether `candidate` satisfies one specifier (pre-releases allowed, as with `prereleases=True`). */
export const satisfies = (candidate: Version, spec: Specifier, candidateText: string): boolean => {
  switch (spec.operator) {
    case "===":
      return candidateText.trim().toLowerCase() === spec.version.toLowerCase()
    case "==":
      return equal(candidate, spec.version)
    case "!=":
      return !equal(candidate, spec.version)
    case "~=": {
      // packaging builds the `~=` prefix from the text, so a leading "v" never matches anything: keep that.
      if (/^v/i.test(spec.version)) return false
      const v = parseVersion(spec.version)!
      const prefix = v.release.slice(0, -1).join(".")
      const epoch = v.epoch === 0 ? "" : `${v.epoch}!`
      return compareVersions(withoutLocal(candidate), v) >= 0 && prefixMatch(candidate, `${epoch}${prefix}`)
    }
    case "<=":
      return compareVersions(withoutLocal(candidate), parseVersion(spec.version)!) <= 0
    case ">=":
      return compareVersions(withoutLocal(candidate), parseVersion(spec.version)!) >= 0
    case "<": {
      const v = parseVersion(spec.version)!
      if (compareVersions(candidate, v) >= 0) return false
      // `<3.8` does not admit 3.8.0rc1 unless the bound is itself a pre-release.
      return !(
        v.pre === null &&
        v.dev === null &&
        (candidate.pre !== null || candidate.dev !== null) &&
        sameBase(candidate, v)
      )
    }
    case ">": {
      const v = parseVersion(spec.version)!
      if (compareVersions(candidate, v) <= 0) return false
      // `>3.8` admits neither 3.8.post1 (unless the bound is a post-release) nor 3.8+local.
      if (v.post === null && candidate.post !== null && sameBase(candidate, v)) return false
      return !(candidate.local !== null && sameBase(candidate, v))
    }
  }
}

/** `SpecifierSet(set).contains(version, prereleases=True)`. */
export const contains = (set: ReadonlyArray<Specifier>, version: string): boolean => {
  const v = parseVersion(version)
  if (v === undefined) return false
  return set.every((spec) => satisfies(v, spec, version))
}
