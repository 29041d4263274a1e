/** Every repository over one database: the layer an app builds once per process. */
import { Layer } from "effect"
import { CatalogueStore } from "./CatalogueStore.ts"
import { Categories } from "./Categories.ts"
import { Community } from "./Community.ts"
import * as Database from "./Database.ts"
import { Grids } from "./Grids.ts"
import { Packages } from "./Packages.ts"
import { Scores } from "./Scores.ts"
import { Search } from "./Search.ts"
import { Users } from "./Users.ts"

/** The repositories, given a `SqlClient` (tests provide their own database). */
export const repositories = Layer.mergeAll(
  Packages.Default,
  Categories.Default,
  Grids.Default,
  Community.Default,
  CatalogueStore.Default,
  Users.Default,
  Scores.Default,
  Search.Default
)

/** The repositories and the database named by `url`. */
export const layer = (url: string) => repositories.pipe(Layer.provideMerge(Database.layerFromUrl(url)))
