import { Schema } from "effect"
import { PackageId } from "./Ids.ts"
import { Timestamp } from "./Timestamp.ts"

/** PyPI's "Development Status" classifiers, as the reference numbers them (0 = unknown). */
export const DevelopmentStatus = Schema.Int.pipe(Schema.between(0, 7))
export type DevelopmentStatus = typeof DevelopmentStatus.Type

export const DEVELOPMENT_STATUS_LABELS = [
  "Unknown",
  "Development Status :: 1 - Planning",
  "Development Status :: 2 - Pre-Alpha",
  "Development Status :: 3 - Alpha",
  "Development Status :: 4 - Beta",
  "Development Status :: 5 - Production/Stable",
  "Development Status :: 6 - Mature",
  "Development Status :: 7 - Inactive"
] as const

/** The status number of an exact classifier label, or undefined (the reference's `status_choices_switch`). */
export const developmentStatusOf = (classifier: string): DevelopmentStatus | undefined => {
  const i = DEVELOPMENT_STATUS_LABELS.indexOf(classifier as (typeof DEVELOPMENT_STATUS_LABELS)[number])
  return i > 0 ? i : undefined
}

/** One version of a package on PyPI. */
export class Release extends Schema.Class<Release>("Release")({
  package: PackageId,
  number: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  upload_time: Schema.NullOr(Timestamp),
  licenses: Schema.Array(Schema.String),
  development_status: DevelopmentStatus,
  requires_python: Schema.NullOr(Schema.String),
  yanked: Schema.Boolean
}) {}
