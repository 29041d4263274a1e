import { Schema } from "effect"
import { ApiTokenId, UserId } from "./Ids.ts"
import { Timestamp } from "./Timestamp.ts"

/** Every signed-in user is an editor; moderators also remove; admins also manage categories, users, deprecation. */
export const Role = Schema.Literal("editor", "moderator", "admin")
export type Role = typeof Role.Type

export const ROLE_RANK: Record<Role, number> = { editor: 1, moderator: 2, admin: 3 }

export class User extends Schema.Class<User>("User")({
  id: UserId,
  username: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.@+-]{1,150}$/)),
  email: Schema.NullOr(Schema.String),
  role: Role,
  is_active: Schema.Boolean,
  created: Timestamp,
  last_login: Schema.NullOr(Timestamp)
}) {}

/** An API token. Only a hash of the key is stored; the key is shown once, when the token is made. */
export class ApiToken extends Schema.Class<ApiToken>("ApiToken")({
  id: ApiTokenId,
  user: UserId,
  name: Schema.String,
  /** The first characters of the key, to tell tokens apart in listings. */
  prefix: Schema.String,
  hash: Schema.String,
  created: Timestamp,
  last_used: Schema.NullOr(Timestamp),
  revoked: Schema.NullOr(Timestamp)
}) {}
