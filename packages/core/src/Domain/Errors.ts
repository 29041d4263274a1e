/**
 * The domain's failures. Each is tagged so that callers can match on it; the API maps them to HTTP in
 * one table (apps/api), the CLI to messages. None of them carries a raw SQL error to a user.
 */
import { ParseResult, Schema } from "effect"

export const Entity = Schema.Literal("Package", "Category", "Grid", "Feature", "Element", "User", "ApiToken", "Release")
export type Entity = typeof Entity.Type

/** No row matches the lookup. The message is DRF's. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Entity,
  key: Schema.Union(Schema.String, Schema.Number)
}) {
  override get message() {
    return `No ${this.entity} matches the given query.`
  }
}

/** A unique field (slug, repo URL, username) already belongs to another row. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  entity: Entity,
  field: Schema.String,
  value: Schema.String
}) {
  override get message() {
    return `${this.entity.toLowerCase()} with this ${this.field} already exists.`
  }
}

/** A row cannot be deleted while another row still points at it. */
export class StillReferenced extends Schema.TaggedError<StillReferenced>()("StillReferenced", {
  entity: Entity,
  key: Schema.Union(Schema.String, Schema.Number),
  by: Schema.String
}) {
  override get message() {
    return `This ${this.entity.toLowerCase()} cannot be deleted: ${this.by} still refers to it.`
  }
}

/** One field's problem: `path` is the field (dotted for nested ones), empty for the whole value. */
export const FieldIssue = Schema.Struct({ path: Schema.String, message: Schema.String })
export type FieldIssue = typeof FieldIssue.Type

/** Input that does not meet the domain's rules, with every problem found, per field. */
export class Invalid extends Schema.TaggedError<Invalid>()("Invalid", {
  issues: Schema.Array(FieldIssue)
}) {
  override get message() {
    return this.issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")
  }
}

/** Every problem of a failed Schema decode as `Invalid`, one issue per field path. */
export const invalidOf = (e: ParseResult.ParseError): Invalid =>
  new Invalid({
    issues: ParseResult.ArrayFormatter.formatErrorSync(e).map((i) => ({ path: i.path.join("."), message: i.message }))
  })

/** A catalogue file that cannot be imported; `record` names the offending record, e.g. `packages[12] (slug "x")`. */
export class CatalogueInvalid extends Schema.TaggedError<CatalogueInvalid>()("CatalogueInvalid", {
  problems: Schema.Array(Schema.Struct({ record: Schema.String, field: Schema.String, reason: Schema.String }))
}) {
  override get message() {
    const shown = this.problems
      .slice(0, 20)
      .map((p) => `${p.record}${p.field === "" ? "" : `.${p.field}`}: ${p.reason}`)
    const more = this.problems.length > 20 ? [`… and ${this.problems.length - 20} more`] : []
    return [`The catalogue was not imported (nothing was written):`, ...shown, ...more].join("\n  ")
  }
}

/** The caller is not signed in, or the credentials are wrong. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  reason: Schema.String
}) {
  override get message() {
    return this.reason
  }
}

/** The caller is signed in but the role does not allow the action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", { action: Schema.String }) {
  override get message() {
    return "You do not have permission to perform this action."
  }
}

/** A conditional write whose `If-Match` no longer matches: someone else changed the row first. */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>()("PreconditionFailed", {
  entity: Entity,
  key: Schema.Union(Schema.String, Schema.Number)
}) {
  override get message() {
    return `The ${this.entity.toLowerCase()} was changed by someone else; fetch it again and retry.`
  }
}

/** The database could not be reached or answered with an error we did not expect. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  reason: Schema.String
}) {
  override get message() {
    return `The database failed: ${this.reason}`
  }
}
