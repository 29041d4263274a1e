/**
 * The refresh engine as one layer over a `SqlClient`: the `Refresher` with its `RefreshStore`, `PyPI`,
 * every `RepoHosts` adapter and one shared `Http` (one quota and one set of counters per host in the
 * process). The operator CLI, the server's scheduler and the API's "refresh this package" all build it.
 *
 *     Refresh.layer                       // upstreams and tokens from the environment
 *     Refresh.layerWith({ pypi, hosts })  // explicit (tests, the benchmark, the simulator)
 */
import type { SqlClient } from "@effect/sql"
import { Config, type ConfigError, Effect, Layer, Option } from "effect"
import { RefreshStore } from "../Store/Refresh.ts"
import { Http, HttpSettings, type HttpSettingsShape } from "./Http.ts"
import * as PyPI from "./PyPI.ts"
import { Refresher } from "./Refresher.ts"
import * as RepoHosts from "./RepoHosts.ts"
import type { SimHost } from "./Simulator.ts"

export interface RefreshConfig {
  readonly pypi: PyPI.PyPIConfig
  readonly hosts: RepoHosts.RepoHostsConfig
  /** Per-host HTTP policies; the defaults of `HttpSettings` when absent. */
  readonly http?: HttpSettingsShape | undefined
}

/** The upstreams and their tokens from the environment (PACKGRID_*_API, PACKGRID_PYPI_URL, GITHUB_TOKEN, GITLAB_TOKEN). */
export const RefreshConfig: Config.Config<RefreshConfig> = Config.all({
  pypi: PyPI.PyPIConfig,
  hosts: RepoHosts.RepoHostsConfig
})

/** What the layer provides. */
export type RefreshServices = Refresher | RefreshStore | Http

/** The refresh engine with an explicit configuration. */
export const layerWith = (config: RefreshConfig): Layer.Layer<RefreshServices, never, SqlClient.SqlClient> => {
  const http =
    config.http === undefined
      ? Http.Default
      : Http.Default.pipe(Layer.provide(Layer.succeed(HttpSettings, config.http)))
  const adapters = Layer.mergeAll(PyPI.layerWith(config.pypi), RepoHosts.layerWith(config.hosts))
  const parts = Layer.mergeAll(adapters, RefreshStore.Default).pipe(Layer.provideMerge(http))
  return Refresher.Default.pipe(Layer.provideMerge(parts))
}

/** The refresh engine configured from the environment. */
export const layer: Layer.Layer<RefreshServices, ConfigError.ConfigError, SqlClient.SqlClient> = Layer.unwrapEffect(
  Effect.map(RefreshConfig, layerWith)
)

/** Every upstream base pointed at the simulator's (`sim.baseUrls`), no tokens: for tests and benchmarks. */
export const configFor = (baseUrls: Readonly<Record<SimHost, string>>, http?: HttpSettingsShape): RefreshConfig => ({
  pypi: { baseUrl: baseUrls.pypi },
  hosts: {
    github: { baseUrl: baseUrls.github, token: Option.none() },
    gitlab: { baseUrl: baseUrls.gitlab, token: Option.none() },
    bitbucket: { baseUrl: baseUrls.bitbucket },
    forgejo: { codebergUrl: baseUrls.codeberg }
  },
  ...(http === undefined ? {} : { http })
})
