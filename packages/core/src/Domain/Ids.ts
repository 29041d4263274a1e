/** Branded ids: a `PackageId` cannot be passed where a `GridId` is expected. */
import { Schema } from "effect"

const id = <B extends string>(brand: B) =>
  Schema.Number.pipe(
    Schema.int(),
    Schema.positive(),
    Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER),
    Schema.brand(brand)
  )

export const PackageId = id("PackageId")
export type PackageId = typeof PackageId.Type
export const CategoryId = id("CategoryId")
export type CategoryId = typeof CategoryId.Type
export const GridId = id("GridId")
export type GridId = typeof GridId.Type
export const FeatureId = id("FeatureId")
export type FeatureId = typeof FeatureId.Type
export const ElementId = id("ElementId")
export type ElementId = typeof ElementId.Type
export const UserId = id("UserId")
export type UserId = typeof UserId.Type
export const ApiTokenId = id("ApiTokenId")
export type ApiTokenId = typeof ApiTokenId.Type

/** A path segment that is all digits names an id; anything else a slug (the reference's lookup rule). */
export const parseLookup = (segment: string): { readonly id: number } | { readonly slug: string } =>
  /^\d+$/.test(segment) ? { id: Number(segment) } : { slug: segment }
