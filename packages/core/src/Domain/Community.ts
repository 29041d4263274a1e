import { Schema } from "effect"
import { PackageId, UserId } from "./Ids.ts"
import { Timestamp } from "./Timestamp.ts"

/** "I use this": one per (package, user). */
export class Usage extends Schema.Class<Usage>("Usage")({
  package: PackageId,
  user: UserId,
  created: Timestamp
}) {}

/** A favourite: one per (package, user), unlike the reference, whose count drifts on re-saves. */
export class Favorite extends Schema.Class<Favorite>("Favorite")({
  package: PackageId,
  user: UserId,
  created: Timestamp
}) {}
