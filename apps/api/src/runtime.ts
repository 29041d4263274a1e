/** The one runtime of the server process: the store's layer, built once. */
import type { SqlClient } from "@effect/sql"
import { ManagedRuntime, type Layer } from "effect"
import * as Store from "@packgrid/core/Store/Store"

export type AppServices = Layer.Layer.Success<typeof Store.repositories> | SqlClient.SqlClient
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, unknown>

export const makeRuntime = (databaseUrl: string): AppRuntime => ManagedRuntime.make(Store.layer(databaseUrl))
