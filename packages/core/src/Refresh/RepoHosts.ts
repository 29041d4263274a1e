/**
 * Every repository host adapter behind one service, chosen by the package's `repo_host`: GitHub, GitLab,
 * Bitbucket, and Forgejo for both Codeberg and self-hosted Forgejo/Gitea. "other" has no adapter (the
 * reference's "unsupported" handler: nothing to fetch).
 */
import { Config, Effect, Layer, Option } from "effect"
import type { RepoHost as RepoHostName } from "../Domain/RepoUrl.ts"
import * as Bitbucket from "./Bitbucket.ts"
import * as Forgejo from "./Forgejo.ts"
import * as GitHub from "./GitHub.ts"
import * as GitLab from "./GitLab.ts"
import type { Http } from "./Http.ts"
import { type RepoHostService, RepoHosts } from "./RepoHost.ts"

export interface RepoHostsConfig {
  readonly github: GitHub.GitHubConfig
  readonly gitlab: GitLab.GitLabConfig
  readonly bitbucket: Bitbucket.BitbucketConfig
  readonly forgejo: Forgejo.ForgejoConfig
}

/** Every adapter's configuration from the environment (PACKGRID_*_API, GITHUB_TOKEN, GITLAB_TOKEN). */
export const RepoHostsConfig: Config.Config<RepoHostsConfig> = Config.all({
  github: GitHub.GitHubConfig,
  gitlab: GitLab.GitLabConfig,
  bitbucket: Bitbucket.BitbucketConfig,
  forgejo: Forgejo.ForgejoConfig
})

export const make = (config: RepoHostsConfig): Effect.Effect<RepoHosts["Type"], never, Http> =>
  Effect.gen(function* () {
    const adapters: Partial<Record<RepoHostName, RepoHostService>> = {}
    adapters.github = yield* GitHub.make(config.github)
    adapters.gitlab = yield* GitLab.make(config.gitlab)
    adapters.bitbucket = yield* Bitbucket.make(config.bitbucket)
    adapters.codeberg = adapters.forgejo = yield* Forgejo.make(config.forgejo)
    return { forHost: (host) => Option.fromNullable(adapters[host]) }
  })

/** The adapters with an explicit configuration. */
export const layerWith = (config: RepoHostsConfig): Layer.Layer<RepoHosts, never, Http> =>
  Layer.effect(RepoHosts, make(config))
