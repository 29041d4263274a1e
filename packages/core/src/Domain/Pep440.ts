/**
 * PEP 440 versions and version specifiers, answering as Python's `packaging` (26.2) does: `Version`
 * parsing, normalised printing and ordering, and `SpecifierSet(s).contains(v, prereleases=True)` for
 * every operator (`~=`, `==`, `==X.*`, `!=`, `<=`, `>=`, `<`, `>`, `===`), quirks included. Markers,
 * `LegacyVersion` and candidate filtering are out of scope. Pure and browser-safe.
 */
import { Either } from "effect"

/** A parsed PEP 440 version (`packaging.version.Version`). */
export interface Version {
  readonly epoch: number
  /** As written, trailing zeros kept: `3.8.0` is `[3, 8, 0]` (they are ignored when comparing). */
  readonly release: ReadonlyArray<number>
  readonly pre: readonly [phase: "a" | "b" | "rc", number: number] | null
  readonly post: number | null
  readonly dev: number | null
  /** Lowercased, `.`-separated, numeric segments without leading zeros; null when there is none. */
  readonly local: string | null
}

// packaging's VERSION_PATTERN, anchored.
const VERSION =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

const PHASE: Record<string, "a" | "b" | "rc"> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  rc: "rc",
  pre: "rc",
  preview: "rc"
}

const DIGITS = /^\d+$/

const normalizeLocal = (local: string): string =>
  local
    .toLowerCase()
    .split(/[-_.]/)
    .map((part) => (DIGITS.test(part) ? part.replace(/^0+(?=\d)/, "") : part))
    .join(".")

/** Parses a version string (surrounding whitespace and a leading "v" allowed); null when it is not PEP 440. */
export const parseVersion = (input: string): Version | null => {
  const m = VERSION.exec(input)
  if (m === null) return null
  const [, epoch, release, phase, preN, implicitPost, postWord, postN, devWord, devN, local] = m
  return {
    epoch: Number(epoch ?? 0),
    release: (release ?? "0").split(".").map(Number),
    pre: phase === undefined ? null : [PHASE[phase.toLowerCase()] ?? "rc", Number(preN ?? 0)],
    post: implicitPost !== undefined ? Number(implicitPost) : postWord !== undefined ? Number(postN ?? 0) : null,
    dev: devWord !== undefined ? Number(devN ?? 0) : null,
    local: local === undefined ? null : normalizeLocal(local)
  }
}

/** A pre-release or a development release (`Version.is_prerelease`). */
export const isPrerelease = (v: Version): boolean => v.pre !== null || v.dev !== null

/** The normalised form, as `str(Version(...))` prints it: `V1.0-ALPHA.1` is `1.0a1`. */
export const formatVersion = (v: Version): string =>
  (v.epoch !== 0 ? `${v.epoch}!` : "") +
  v.release.join(".") +
  (v.pre !== null ? `${v.pre[0]}${v.pre[1]}` : "") +
  (v.post !== null ? `.post${v.post}` : "") +
  (v.dev !== null ? `.dev${v.dev}` : "") +
  (v.local !== null ? `+${v.local}` : "")

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0)

const compareRelease = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = compareNumbers(a[i] ?? 0, b[i] ?? 0)
    if (c !== 0) return c
  }
  return 0
}

const PHASE_RANK = { a: 0, b: 1, rc: 2 } as const

// packaging's _cmpkey: a dev release without pre or post sorts before every pre-release of its release,
// and a version without pre sorts after them.
const preKey = (v: Version): readonly [number, number] =>
  v.pre !== null ? [PHASE_RANK[v.pre[0]], v.pre[1]] : v.post === null && v.dev !== null ? [-Infinity, 0] : [Infinity, 0]

// No local sorts first; numeric segments sort after alphanumeric ones; a longer label wins a tie.
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
    const xn = DIGITS.test(x),
      yn = DIGITS.test(y)
    const c = xn && yn ? compareNumbers(Number(x), Number(y)) : xn ? 1 : yn ? -1 : x < y ? -1 : x > y ? 1 : 0
    if (c !== 0) return c
  }
  return 0
}

export interface CompareOptions {
  /** Whether local labels take part (default true); false compares the public versions only. */
  readonly withLocal?: boolean
}

/** PEP 440 ordering: -1, 0 or 1. */
export const compareVersions = (a: Version, b: Version, options?: CompareOptions): number => {
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
  return (options?.withLocal ?? true) ? compareLocal(a.local, b.local) : 0
}

const publicOf = (v: Version): Version => (v.local === null ? v : { ...v, local: null })

// --- Specifiers ---------------------------------------------------------------------------------------------

export type Operator = "===" | "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">"

/** One clause of a specifier set, as written (the version text is trimmed, not normalised). */
export interface Specifier {
  readonly operator: Operator
  readonly version: string
}

/** A parsed specifier set; empty admits every version. */
export type SpecifierSet = ReadonlyArray<Specifier>

const RELEASE = String.raw`v?(?:\d+!)?\d+(?:\.\d+)*`
const PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?\d*)?`
const POST = String.raw`(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?`
const DEV = String.raw`(?:[-_.]?dev[-_.]?\d*)?`
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`

// packaging's Specifier regex, one branch per operator family.
const EQUALITY = new RegExp(String.raw`^${RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL})$`, "i")
const ORDERING = new RegExp(String.raw`^${RELEASE}${PRE}${POST}${DEV}$`, "i")
const SPEC_VERSION: Record<Operator, RegExp> = {
  "===": /^[^\s;)]*$/,
  "==": EQUALITY,
  "!=": EQUALITY,
  "~=": new RegExp(String.raw`^v?(?:\d+!)?\d+(?:\.\d+)+${PRE}${POST}${DEV}$`, "i"),
  "<=": ORDERING,
  ">=": ORDERING,
  "<": ORDERING,
  ">": ORDERING
}

const OPERATORS: ReadonlyArray<Operator> = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]

/** Parses one specifier such as `>=3.8` or `==3.*`; Left with the reason when `packaging` raises InvalidSpecifier. */
export const parseSpecifier = (input: string): Either.Either<Specifier, string> => {
  const s = input.trim()
  const operator = OPERATORS.find((op) => s.startsWith(op))
  if (operator === undefined) return Either.left(`"${input}" has no comparison operator`)
  const version = s.slice(operator.length).trim()
  // An empty `===` is valid (it matches only the empty string); every other operator needs a version.
  if (!SPEC_VERSION[operator].test(version)) {
    return Either.left(`"${input}" is not a valid PEP 440 specifier`)
  }
  return Either.right({ operator, version })
}

/** Parses a comma-separated specifier set (`SpecifierSet(input)`); empty clauses are skipped. */
export const parseSpecifierSet = (input: string): Either.Either<SpecifierSet, string> =>
  Either.all(
    input
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(parseSpecifier)
  )

// packaging matches `==X.*` (and the `==` half of `~=`) on version text cut into components
// (_version_split, _left_pad): reproduce that rather than compare numbers, so its quirks carry over.
const versionSplit = (text: string): Array<string> => {
  const bang = text.lastIndexOf("!")
  const result = [bang < 0 ? "0" : text.slice(0, bang) || "0"]
  for (const item of text.slice(bang + 1).split(".")) {
    const m = /^(\d+)((?:a|b|c|rc)\d+)$/.exec(item)
    if (m !== null) result.push(m[1]!, m[2]!)
    else result.push(item)
  }
  return result
}

const numericPrefixLength = (split: ReadonlyArray<string>): number => {
  const i = split.findIndex((s) => !DIGITS.test(s))
  return i < 0 ? split.length : i
}

const canonicalize = (text: string): string => {
  const v = parseVersion(text)
  return v === null ? text : formatVersion(v)
}

/** `==prefix.*`: the candidate's public version, zero-padded, starts with the prefix's components. */
const prefixMatch = (candidate: Version, prefix: string): boolean => {
  const spec = versionSplit(canonicalize(prefix))
  const split = versionSplit(formatVersion(publicOf(candidate)))
  const numeric = numericPrefixLength(split)
  const padding = Math.max(0, numericPrefixLength(spec) - numeric)
  const padded = [...split.slice(0, numeric), ...Array<string>(padding).fill("0"), ...split.slice(numeric)]
  return padded.length >= spec.length && spec.every((s, i) => padded[i] === s)
}

const SUFFIXES = ["dev", "a", "b", "rc", "post"]

// `~=X.Y.Z` is `>=X.Y.Z, ==X.Y.*`, the prefix cut from the text: so `~=v3.8` never matches (its prefix
// "v3" is no version), and `~=3.8.c1` means `==3.8.*` ("c1" is not among the suffixes packaging skips).
const compatiblePrefix = (spec: string): string => {
  const split = versionSplit(spec)
  const end = split.findIndex((s) => SUFFIXES.some((p) => s.startsWith(p)))
  const [epoch, ...rest] = (end < 0 ? split : split.slice(0, end)).slice(0, -1)
  return `${epoch ?? ""}!${rest.join(".")}`
}

const equal = (candidate: Version, spec: string): boolean => {
  if (spec.endsWith(".*")) return prefixMatch(candidate, spec.slice(0, -2))
  const v = parseVersion(spec)!
  return compareVersions(v.local === null ? publicOf(candidate) : candidate, v) === 0
}

const compare = (candidate: Version, operator: Exclude<Operator, "===">, spec: string): boolean => {
  switch (operator) {
    case "==":
      return equal(candidate, spec)
    case "!=":
      return !equal(candidate, spec)
    case "~=":
      return (
        compareVersions(candidate, parseVersion(spec)!, { withLocal: false }) >= 0 &&
        prefixMatch(candidate, compatiblePrefix(spec))
      )
    case "<=":
      return compareVersions(candidate, parseVersion(spec)!, { withLocal: false }) <= 0
    case ">=":
      return compareVersions(candidate, parseVersion(spec)!, { withLocal: false }) >= 0
    case "<": {
      const v = parseVersion(spec)!
      if (compareVersions(candidate, v) >= 0) return false
      // `<3.8` admits no pre-release of 3.8 (nothing from 3.8.dev0 up) unless the bound is itself one.
      return isPrerelease(v) || !isPrerelease(candidate) || compareVersions(candidate, { ...v, dev: 0 }) < 0
    }
    case ">": {
      const v = parseVersion(spec)!
      if (compareVersions(candidate, v) <= 0) return false
      // `>3.8` admits no post-release of 3.8 unless the bound is itself one, and no 3.8+local.
      const postBase: Version = { ...candidate, post: null, dev: null, local: null }
      if (v.post === null && candidate.post !== null && compareVersions(postBase, v) === 0) return false
      return candidate.local === null || compareVersions(publicOf(candidate), v) !== 0
    }
  }
}

/**
 * Whether `candidate` satisfies one specifier, pre-releases allowed. `===` compares text, case-insensitively:
 * a string candidate as written, a `Version` as `formatVersion` prints it. A string that is not a version
 * satisfies only `===` with the same text.
 */
export const satisfies = (candidate: Version | string, spec: Specifier): boolean => {
  if (spec.operator === "===") {
    const text = typeof candidate === "string" ? candidate : formatVersion(candidate)
    return text.toLowerCase() === spec.version.toLowerCase()
  }
  const v = typeof candidate === "string" ? parseVersion(candidate) : candidate
  return v !== null && compare(v, spec.operator, spec.version)
}

/** `SpecifierSet(...).contains(candidate, prereleases=True)`: every clause is satisfied. */
export const contains = (set: SpecifierSet, candidate: Version | string): boolean =>
  set.every((spec) => satisfies(candidate, spec))
