/** Request bodies: decoded with the endpoint's Schema, every problem reported per field as DRF does. */
import { Either, ParseResult, Schema } from "effect"
import { groupIssues } from "./errors.ts"

export type FieldErrors = Record<string, Array<string>>

const messageOf = (issue: ParseResult.ArrayFormatterIssue): string => {
  switch (issue._tag) {
    case "Missing":
      return "This field is required."
    case "Unexpected":
      return "Unknown field: it is not one this endpoint accepts."
    default:
      return issue.message
  }
}

/**
 * Decodes `body` with `schema` (PATCH: every field optional). Unknown fields are refused rather than
 * ignored, so a typo in a field name is an error the client sees instead of a silent no-op.
 */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: unknown): Either.Either<A, FieldErrors> => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const got = body === null || body === undefined ? "nothing" : Array.isArray(body) ? "list" : typeof body
    return Either.left({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] })
  }
  const decoded = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(body)
  const schemaIssues = Either.match(decoded, {
    onLeft: (e) =>
      ParseResult.ArrayFormatter.formatErrorSync(e).map((i) => ({
        path: i.path.map(String).join("."),
        message: messageOf(i)
      })),
    onRight: () => []
  })
  const issues = [...schemaIssues, ...nulIssues(body)]
  if (issues.length === 0 && Either.isRight(decoded)) return Either.right(decoded.right)
  const seen = new Set<string>()
  return Either.left(
    groupIssues(
      issues.filter((i) => {
        // A union reports once per member; one message per field is enough.
        const first = !seen.has(i.path)
        seen.add(i.path)
        return first
      })
    )
  )
}

/**
 * DRF's `ProhibitNullCharactersValidator`: a NUL in a text field is refused. PostgreSQL cannot store
 * one, and nothing a person types contains one.
 */
const nulIssues = (body: object) =>
  Object.entries(body)
    .filter(([, v]) => typeof v === "string" && v.includes("\u0000"))
    .map(([path]) => ({ path, message: "Null characters are not allowed." }))
