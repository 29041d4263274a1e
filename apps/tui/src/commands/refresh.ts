/**
 * `packgrid refresh`: fetches PyPI and repository facts for the stale packages (or those the flags
 * name), with a live progress bar on stderr when it is a terminal (a plain line every N packages
 * otherwise) and a summary table on stdout. Failed packages are part of a successful run (exit 0); only
 * a run that cannot go on (the database down) fails. Ctrl-C stops claiming, gives the claims back and
 * prints what was done.
 */
import { Cause, Effect, Either, Exit, Layer, ManagedRuntime, Option } from "effect"
import { formatInterval, parseInterval } from "@packgrid/core/Refresh/Interval"
import * as Refresh from "@packgrid/core/Refresh/Layer"
import { type PackageEvent, Refresher, type RunOptions, type RunSummary } from "@packgrid/core/Refresh/Refresher"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import * as Store from "@packgrid/core/Store/Store"
import { UsageError } from "../cli.ts"

export interface RefreshFlags {
  readonly all?: boolean | undefined
  readonly slug?: string | undefined
  readonly limit?: string | undefined
  readonly staleHours?: string | undefined
  readonly timeBudget?: string | undefined
  readonly skipPypi?: boolean | undefined
  readonly skipRepo?: boolean | undefined
  readonly concurrency?: string | undefined
  readonly worker?: string | undefined
  readonly lease?: string | undefined
  readonly progressEvery?: string | undefined
  readonly json?: boolean | undefined
}

export const REFRESH_HELP = `  refresh         fetch PyPI and repository facts for the stale packages
    [--all]                 every package, stale or not
    [--slug SLUG]           only this package, stale or not
    [--limit N]             at most N packages
    [--stale-hours H]       stale means fetched more than H hours ago (default 24)
    [--time-budget 10m]     stop claiming after this long (90s, 10m, 1h…)
    [--skip-pypi] [--skip-repo]
    [--concurrency N]       packages fetched at once (default 8)
    [--worker NAME]         this worker's name in the claims (several may run at once)
    [--lease 15m]           how long a claim outlives a crashed worker
    [--progress-every N]    without a terminal, a progress line every N packages (default 100)
    [--json]                the summary as JSON`

const positiveInt = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UsageError(`--${flag} must be a positive integer, not "${value}"`)
  return Number(value)
}

const duration = (flag: string, value: string | undefined): number | undefined =>
  value === undefined
    ? undefined
    : Either.getOrElse(parseInterval(value), (message) => {
        throw new UsageError(`--${flag}: ${message}`)
      })

/** The run's options from the command line; a bad value is a usage error (exit 2). */
export const refreshOptions = (flags: RefreshFlags): RunOptions => {
  const staleHours =
    flags.staleHours === undefined
      ? undefined
      : /^\d+(\.\d+)?$/.test(flags.staleHours.trim())
        ? Number(flags.staleHours)
        : (() => {
            throw new UsageError(`--stale-hours must be a number of hours, not "${flags.staleHours}"`)
          })()
  if (flags.all === true && flags.slug !== undefined) throw new UsageError("give --all or --slug, not both")
  if (flags.worker !== undefined && !/^[\w.:@-]{1,64}$/.test(flags.worker))
    throw new UsageError("--worker: letters, digits and . _ : @ - only (at most 64)")
  return {
    all: flags.all,
    slug: flags.slug,
    limit: positiveInt("limit", flags.limit),
    staleHours,
    timeBudgetMillis: duration("time-budget", flags.timeBudget),
    skipPypi: flags.skipPypi,
    skipRepo: flags.skipRepo,
    concurrency: positiveInt("concurrency", flags.concurrency),
    worker: flags.worker ?? "cli",
    leaseMillis: duration("lease", flags.lease)
  }
}

// ---------------------------------------------------------------------------------------------------
// Progress

interface Progress {
  readonly update: (event: PackageEvent) => void
  readonly finish: () => void
}

const rate = (done: number, startedMs: number) => done / Math.max(0.001, (Date.now() - startedMs) / 1000)

/** A bar redrawn in place (at most ten times a second) on a terminal. */
const liveBar = (stream: NodeJS.WriteStream): Progress => {
  const started = Date.now()
  const counts = { fetched: 0, not_modified: 0, failed: 0, deferred: 0, skipped: 0 }
  let last: PackageEvent | undefined
  let drawnAt = 0
  const draw = () => {
    if (last === undefined) return
    const width = 24
    const share = last.total === 0 ? 1 : last.done / last.total
    const filled = Math.round(share * width)
    const perSecond = rate(last.done, started)
    const eta = perSecond > 0 ? ((last.total - last.done) / perSecond) * 1000 : 0
    const line =
      `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${last.done}/${last.total} ${Math.floor(share * 100)}%` +
      ` · ${perSecond.toFixed(1)}/s · fetched ${counts.fetched} · 304 ${counts.not_modified}` +
      (counts.failed > 0 ? ` · failed ${counts.failed}` : "") +
      (counts.deferred > 0 ? ` · deferred ${counts.deferred}` : "") +
      (last.done < last.total ? ` · eta ${formatInterval(eta)}` : "")
    const columns = stream.columns > 0 ? stream.columns : 120
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, columns - 1))}`)
    drawnAt = Date.now()
  }
  return {
    update: (event) => {
      counts[event.status] += 1
      last = event
      if (Date.now() - drawnAt >= 100 || event.done === event.total) draw()
    },
    finish: () => {
      draw()
      if (last !== undefined) stream.write("\n")
    }
  }
}

/** A line every `every` packages (and at the end), for logs and pipes. */
const plainLines = (stream: NodeJS.WritableStream, every: number): Progress => {
  const started = Date.now()
  let failed = 0
  let last: PackageEvent | undefined
  const line = (e: PackageEvent) =>
    stream.write(
      `refresh: ${e.done}/${e.total} packages (${rate(e.done, started).toFixed(1)}/s${failed > 0 ? `, ${failed} failed` : ""})\n`
    )
  return {
    update: (event) => {
      if (event.status === "failed") failed += 1
      last = event
      if (event.done % every === 0 || event.done === event.total) line(event)
    },
    finish: () => {
      if (last !== undefined && last.done % every !== 0 && last.done !== last.total) line(last)
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Summary

const pad = (s: string | number, n: number) => String(s).padEnd(n)
const padStart = (s: string | number, n: number) => String(s).padStart(n)

/** The summary table, as `packgrid refresh` prints it. */
export const summaryLines = (s: RunSummary): Array<string> => {
  const failedTotal = Object.values(s.failed).reduce((a, b) => a + b, 0)
  const lines = [
    `refresh by ${s.worker} in ${formatInterval(s.millis)}${s.outOfTime ? " (time budget spent: the rest waits for the next run)" : ""}`,
    "",
    `  ${pad("packages", 16)} ${padStart(s.total, 7)}`,
    `  ${pad("fetched", 16)} ${padStart(s.fetched, 7)}`,
    `  ${pad("not modified", 16)} ${padStart(s.notModified, 7)}`,
    `  ${pad("failed", 16)} ${padStart(failedTotal, 7)}`
  ]
  for (const [reason, n] of Object.entries(s.failed).sort((a, b) => b[1] - a[1]))
    lines.push(`    ${pad(reason, 30)} ${padStart(n, 5)}`)
  lines.push(
    `  ${pad("deferred", 16)} ${padStart(s.deferred, 7)}${s.deferred > 0 ? `   out of quota (${s.stopped.join(", ")}): still stale` : ""}`,
    `  ${pad("skipped", 16)} ${padStart(s.skipped, 7)}`
  )
  const hosts = Object.keys(s.requests).sort()
  if (hosts.length > 0) {
    const sent = hosts.reduce((a, h) => a + (s.requests[h] ?? 0), 0)
    lines.push(
      "",
      `  ${pad("requests", 16)} ${padStart("sent", 7)} ${padStart("304", 7)}   per package ${(sent / Math.max(1, s.total)).toFixed(2)}`
    )
    for (const h of hosts)
      lines.push(`    ${pad(h, 14)} ${padStart(s.requests[h] ?? 0, 7)} ${padStart(s.notModifiedReplies[h] ?? 0, 7)}`)
  }
  const quotas = Object.entries(s.quota)
  if (quotas.length > 0) {
    lines.push("", "  quota left")
    for (const [h, q] of quotas.sort())
      lines.push(
        `    ${pad(h, 14)} ${padStart(q.remaining ?? "?", 7)}${q.resetAt === null ? "" : `   resets ${new Date(q.resetAt / 1000).toISOString()}`}`
      )
  }
  return lines
}

// ---------------------------------------------------------------------------------------------------

const runError = (cause: Cause.Cause<unknown>): Error => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const e = failure.value
    return new Error(e instanceof Error ? e.message : String(e))
  }
  return new Error(Cause.pretty(cause))
}

export const refreshCommand = async (url: string, flags: RefreshFlags, out: (line: string) => void) => {
  const options = refreshOptions(flags)
  const every = positiveInt("progress-every", flags.progressEvery) ?? 100
  const progress = process.stderr.isTTY ? liveBar(process.stderr) : plainLines(process.stderr, every)
  const runtime = ManagedRuntime.make(Refresh.layer.pipe(Layer.provideMerge(Store.layer(url))))
  // Ctrl-C (or a TERM) interrupts the run: it stops claiming, its claims are given back, the summary is printed.
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  let summary: RunSummary | undefined
  try {
    const exit = await runtime.runPromiseExit(
      Effect.gen(function* () {
        yield* prepare()
        const refresher = yield* Refresher
        return yield* refresher.run({ ...options, onPackage: progress.update })
      }),
      { signal: controller.signal }
    )
    progress.finish()
    if (Exit.isSuccess(exit)) summary = exit.value
    else if (Cause.isInterruptedOnly(exit.cause)) throw new Error("interrupted: the claims were given back")
    else throw runError(exit.cause)
  } finally {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    await runtime.dispose()
  }
  if (flags.json === true) out(JSON.stringify(summary))
  else for (const line of summaryLines(summary)) out(line)
}
