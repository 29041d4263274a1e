/** The one runtime of the server process: the store's layer and the refresh engine, built once. */
import type { SqlClient } from "@effect/sql"
import { Layer, ManagedRuntime } from "effect"
import * as Refresh from "@packgrid/core/Refresh/Layer"
import * as Store from "@packgrid/core/Store/Store"

export type AppServices = Layer.Layer.Success<typeof Store.repositories> | SqlClient.SqlClient | Refresh.RefreshServices
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, unknown>

/** The server's layers over `databaseUrl`; the refresh's upstreams and tokens come from the environment. */
export const makeRuntime = (databaseUrl: string): AppRuntime =>
  ManagedRuntime.make(Refresh.layer.pipe(Layer.provideMerge(Store.layer(databaseUrl))))
