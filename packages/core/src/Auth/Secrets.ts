/**
 * Secrets at rest: API token keys and session ids are stored as SHA-256 hashes (they are long random
 * values, so a fast hash is enough), passwords with scrypt. Comparisons run in constant time.
 */
import { randomBytes, scryptSync, createHash, timingSafeEqual } from "node:crypto"

/** A new API token key: `pgt_` then 40 random hex characters. Shown once, never stored. */
export const newTokenKey = (): string => `pgt_${randomBytes(20).toString("hex")}`

/** A new session id or CSRF token. */
export const newSecret = (): string => randomBytes(32).toString("base64url")

/** The listing prefix of a key: enough to tell tokens apart, useless to an attacker. */
export const keyPrefix = (key: string): string => key.slice(0, 12)

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex")

/** Constant-time equality of two strings (false on different lengths, without early exit on content). */
export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 }

export const hashPassword = (password: string): string => {
  const salt = randomBytes(16)
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p })
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${hash.toString("base64")}`
}

export const verifyPassword = (password: string, stored: string): boolean => {
  const [scheme, n, r, p, salt, hash] = stored.split("$")
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, "base64")
  const actual = scryptSync(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p)
  })
  return timingSafeEqual(actual, expected)
}
