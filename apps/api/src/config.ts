/** The server's configuration, read once from the environment; every variable has a working default. */
import { Config, ConfigError, Effect, Either } from "effect"
import { isValidTimeZone } from "@packgrid/core/Domain/Timestamp"
import { parseInterval } from "@packgrid/core/Refresh/Interval"
import { DEFAULT_DATABASE_URL } from "@packgrid/core/Store/Database"

export interface ServerConfig {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /** Base for absolute hyperlinks; `undefined` means "from the request's Host". */
  readonly publicUrl: string | undefined
  readonly timeZone: string
  /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
  readonly corsOrigins: ReadonlyArray<string>
  /** The largest request body accepted, as the body parser reads it (e.g. `100kb`). */
  readonly bodyLimit: string
  /** How often the server runs a refresh of the stale packages (`PACKGRID_REFRESH_INTERVAL`); off when absent. */
  readonly refreshIntervalMillis?: number | undefined
}

export const ServerConfig: Config.Config<ServerConfig> = Config.all({
  // 0 takes any free port (the log says which): Config.port refuses it.
  port: Config.integer("PORT").pipe(
    Config.validate({
      message: "Expected a port number from 0 (any free port) to 65535",
      validation: (n) => n >= 0 && n <= 65535
    }),
    Config.withDefault(8000)
  ),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  databaseUrl: Config.string("PACKGRID_DATABASE_URL").pipe(Config.withDefault(DEFAULT_DATABASE_URL)),
  publicUrl: Config.string("PACKGRID_PUBLIC_URL").pipe(
    Config.mapOrFail((s) => {
      const trimmed = s.trim().replace(/\/+$/, "")
      return /^https?:\/\/[^/]+(\/.*)?$/.test(trimmed)
        ? Either.right(trimmed)
        : Either.left(ConfigError.InvalidData([], `PACKGRID_PUBLIC_URL must be an http(s) URL, got "${s}"`))
    }),
    Config.option,
    Config.map((o) => (o._tag === "Some" ? o.value : undefined))
  ),
  corsOrigins: Config.string("PACKGRID_CORS_ORIGINS").pipe(
    Config.withDefault(""),
    Config.map((s) =>
      s
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter((o) => o !== "")
    )
  ),
  bodyLimit: Config.string("PACKGRID_BODY_LIMIT").pipe(Config.withDefault("100kb")),
  refreshIntervalMillis: Config.string("PACKGRID_REFRESH_INTERVAL").pipe(
    Config.mapOrFail((s) =>
      Either.mapLeft(parseInterval(s), (message) =>
        ConfigError.InvalidData([], `PACKGRID_REFRESH_INTERVAL: ${message} (or leave it unset for no scheduler)`)
      )
    ),
    Config.option,
    Config.map((o) => (o._tag === "Some" ? o.value : undefined))
  ),
  timeZone: Config.string("PACKGRID_TIME_ZONE").pipe(
    Config.withDefault("America/New_York"),
    Config.validate({
      message: "PACKGRID_TIME_ZONE must be an IANA time zone such as America/New_York or UTC",
      validation: isValidTimeZone
    })
  )
})

export const loadConfig = Effect.gen(function* () {
  return yield* ServerConfig
})
