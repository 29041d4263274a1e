/** `packgrid import FILE`, `packgrid export FILE`, `packgrid migrate`. */
import { Effect } from "effect"
import { readFile, rename, writeFile } from "node:fs/promises"
import { CatalogueStore } from "@packgrid/core/Store/CatalogueStore"
import { migrate } from "@packgrid/core/Store/Migrations"
import { prepare } from "@packgrid/core/Store/Bootstrap"
import { UsageError, userPath, withStore } from "../cli.ts"

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
  const summary = await withStore(
    url,
    Effect.zipRight(
      prepare(),
      Effect.flatMap(CatalogueStore, (s) => s.importCatalogue(input))
    )
  )
  out(
    `imported ${file}: ${summary.categories} categories, ${summary.packages} packages, ${summary.grids} grids, ` +
      `${summary.memberships} grid memberships, ${summary.releases} releases in ${Math.round(performance.now() - started)} ms`
  )
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
