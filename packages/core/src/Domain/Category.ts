import { Schema } from "effect"
import { CategoryId } from "./Ids.ts"
import { Slug } from "./Slug.ts"
import { Timestamp } from "./Timestamp.ts"

/** A package's kind of installation (App, Framework, Project, Other). */
export class Category extends Schema.Class<Category>("Category")({
  id: CategoryId,
  slug: Slug,
  title: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(50)),
  title_plural: Schema.String.pipe(Schema.maxLength(50)),
  description: Schema.String,
  show_pypi: Schema.Boolean,
  created: Timestamp,
  modified: Timestamp
}) {}
