/** Slugs: the stable, URL-safe names of packages, grids and categories. */
import { Schema } from "effect"

export const SLUG_MAX_LENGTH = 50

export const Slug = Schema.String.pipe(
  Schema.minLength(1, { message: () => "This field may not be blank." }),
  Schema.maxLength(SLUG_MAX_LENGTH, {
    message: () => `Ensure this field has no more than ${SLUG_MAX_LENGTH} characters.`
  }),
  Schema.pattern(/^[a-z0-9_-]+$/, {
    message: () => "Enter a valid slug: lower-case letters, digits, underscores or hyphens."
  }),
  // An all-digit slug would be read as an id by every `{id|slug}` route, so it could never be reached.
  Schema.filter((s) => !/^\d+$/.test(s) || "A slug may not be all digits: it would be read as an id."),
  Schema.brand("Slug")
).annotations({ identifier: "Slug" })
export type Slug = typeof Slug.Type

/** Django's `slugify`, then the slug rules: what the add form pre-fills from a title. */
export const slugify = (title: string): string => {
  const s = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/[-\s]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
  return /^\d+$/.test(s) ? `p-${s}`.slice(0, SLUG_MAX_LENGTH) : s
}
