// `pnpm tui` runs this file with tsx from the workspace root, where no tsconfig sets `jsx: react-jsx`:
// the pragma (here and in every ui/*.tsx) asks for React's automatic JSX runtime wherever it is compiled.
/** @jsxRuntime automatic */
/** `pnpm tui`: the terminal dashboard, on the server's database or (with --api) a running server. */
import { render } from "ink"
import { parseArgs } from "node:util"
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from "@packgrid/core/Store/Database"
import { apiSource } from "./apiSource.ts"
import type { CatalogueSource } from "./source.ts"
import { storeSource } from "./storeSource.ts"
import { App } from "./ui/App.tsx"

const HELP = `packgrid tui — browse the package catalogue in the terminal

usage: pnpm tui [-- options]

options:
  --database URL  read the database directly (default: $PACKGRID_DATABASE_URL or ${DEFAULT_DATABASE_URL})
  --api URL       read a running server instead, e.g. --api http://127.0.0.1:8000
  -h, --help      this help

keys: ↑/↓ or j/k move · Home/End or g/G ends · PgUp/PgDn or n/p page · Enter open · Esc/Backspace back · / filter · r retry · q quit
`

class UsageError extends Error {}

/** Reads the flags into a source (not yet opened); a bad flag is a `UsageError`. */
const sourceFromArgs = (argv: ReadonlyArray<string>): CatalogueSource | "help" => {
  let values: { api?: string | undefined; database?: string | undefined; help?: boolean | undefined }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { api: { type: "string" }, database: { type: "string" }, help: { type: "boolean", short: "h" } }
    }))
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
  if (values.help === true) return "help"
  if (values.api !== undefined && values.database !== undefined)
    throw new UsageError("give --api or --database, not both")
  if (values.api !== undefined) {
    let url: URL
    try {
      url = new URL(values.api)
    } catch {
      throw new UsageError(`--api "${values.api}" is not a URL; e.g. --api http://127.0.0.1:8000`)
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new UsageError(`--api needs an http:// or https:// URL, not "${values.api}"`)
    return apiSource(url.href)
  }
  const database = values.database ?? process.env.PACKGRID_DATABASE_URL ?? DEFAULT_DATABASE_URL
  const target = parseDatabaseUrl(database)
  if (typeof target === "string") throw new UsageError(`--database: ${target}`)
  return storeSource(database)
}

const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const source = sourceFromArgs(argv)
  if (source === "help") {
    process.stdout.write(HELP)
    return
  }
  try {
    if (!process.stdin.isTTY) throw new Error("the dashboard needs an interactive terminal (stdin is not a TTY)")
    // Migrates the store's schema (never seeds: the dashboard shows what is there).
    await source.open()
    const app = render(<App source={source} />)
    await app.waitUntilExit()
  } finally {
    await source.close()
  }
}

// `pnpm tui -- --api URL` hands the script the `--` too.
const argv = process.argv.slice(2)
main(argv[0] === "--" ? argv.slice(1) : argv).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`packgrid tui: ${e instanceof Error ? e.message : String(e)}\n`)
    if (e instanceof UsageError) process.stderr.write("see pnpm tui -- --help\n")
    process.exit(e instanceof UsageError ? 2 : 1)
  }
)
