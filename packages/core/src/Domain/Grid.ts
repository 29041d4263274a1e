import { Schema } from "effect"
import { ElementId, FeatureId, GridId, PackageId } from "./Ids.ts"
import { Slug } from "./Slug.ts"
import { Timestamp } from "./Timestamp.ts"

/** A row of a comparison grid. */
export class Feature extends Schema.Class<Feature>("Feature")({
  id: FeatureId,
  grid: GridId,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  description: Schema.String.pipe(Schema.maxLength(1000))
}) {}

/** A cell: what a package offers for a feature. One per (package, feature), unlike the reference. */
export class Element extends Schema.Class<Element>("Element")({
  id: ElementId,
  grid: GridId,
  package: PackageId,
  feature: FeatureId,
  text: Schema.String.pipe(Schema.maxLength(1000))
}) {}

/** A comparison: packages are columns, features rows. */
export class Grid extends Schema.Class<Grid>("Grid")({
  id: GridId,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  description: Schema.String.pipe(Schema.maxLength(1000)),
  is_locked: Schema.Boolean,
  header: Schema.Boolean,
  created: Timestamp,
  modified: Timestamp,
  /** Increments on every write to the grid, its features, members or cells: the API's ETag. */
  revision: Schema.Int.pipe(Schema.positive()),
  /** Member package ids, in the order they joined. */
  packages: Schema.Array(PackageId),
  features: Schema.Array(Feature),
  elements: Schema.Array(Element)
}) {}
