/** `packgrid import FILE`, `packgrid export FILE`, `packgrid migrate`. */
import { Effect } from "effect"
import { fromMillis } from "@packgrid/core/Domain/Timestamp"
import { readFile, rename, writeFile } from "node:fs/promises"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import { migrate } from "@packgrid/core/Store/Migrations"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { Scores } from "@packgrid/core/Store/Scores"
import { UsageError, userPath, withStore } from "../cli.ts"
import { summaryLine } from "./score.ts"

const readJson = async (file: string): Promise<unknown> => {
  let text: string
  try {
    text = await readFile(file, "utf8")
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`)
  }
}

export const importCommand = async (url: string, fileArg: string | undefined, out: (line: string) => void) => {
  if (fileArg === undefined) throw new UsageError("usage: packgrid import FILE")
  const file = userPath(fileArg)
  const input = await readJson(file)
  const started = performance.now()
  const { scored, summary } = await withStore(
    url,
    Effect.zipRight(
      prepare(),
      Effect.gen(function* () {
        const summary = yield* Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(input))
        const imported = performance.now()
        // The file's scores are as of its snapshot: score everything as of now, as the server will.
        const scored = yield* Effect.flatMap(Scores, (s) => s.recompute({ asOf: fromMillis(Date.now()) }))
        return { summary, scored: { ...scored, ms: Math.round(performance.now() - imported) } }
      })
    )
  )
  out(
    `imported ${file}: ${summary.categories} categories, ${summary.packages} packages, ${summary.grids} grids, ` +
      `${summary.memberships} grid memberships, ${summary.releases} releases in ${Math.round(performance.now() - started - scored.ms)} ms`
  )
  out(summaryLine(scored, scored.ms))
}

export const exportCommand = async (url: string, fileArg: string | undefined, out: (line: string) => void) => {
  if (fileArg === undefined) throw new UsageError("usage: packgrid export FILE")
  const file = userPath(fileArg)
  const today = new Date().toISOString().slice(0, 10)
  const catalogue = await withStore(
    url,
    Effect.zipRight(
      migrate,
      Effect.flatMap(CatalogueStore, (s) => s.exportCatalogue(today))
    )
  )
  // Written beside the target, then renamed: a failed export never leaves half a file.
  const partial = `${file}.partial`
  await writeFile(partial, `${JSON.stringify(catalogue, null, 1)}\n`)
  await rename(partial, file)
  out(
    `exported ${catalogue.packages.length} packages, ${catalogue.categories.length} categories, ${catalogue.grids.length} grids to ${file}`
  )
}

export const migrateCommand = async (url: string, out: (line: string) => void) => {
  await withStore(url, prepare())
  out("the database schema is up to date")
}
