/** The `packgrid` operator CLI. */
import { parseArgs } from "node:util"
import { databaseUrl, UsageError } from "./cli.ts"
import { exportCommand, importCommand, migrateCommand } from "./commands/catalogue.ts"
import { REFRESH_HELP, refreshCommand } from "./commands/refresh.ts"
import { rescoreCommand, scoreCommand } from "./commands/score.ts"
import { tokenCommand, userCommand } from "./commands/users.ts"

const HELP = `packgrid — operate a packgrid catalogue

usage: pnpm packgrid <command> [options]

commands:
  import FILE     load a packgrid-catalogue/1 file (upsert by id; all or nothing)
  export FILE     write the whole catalogue as packgrid-catalogue/1
  migrate         bring the database schema up to date
${REFRESH_HELP}
  score SLUG [--json]
                  explain a package's three scores now: pillars, components, reasons,
                  hints, flags, confidence, the reference's two scores, the history
  rescore [SLUG…] recompute the stored scores (all packages, or those named) and
                  record the day's history; the server does this daily
  user add NAME [--role editor|moderator|admin] [--email E] [--password-stdin]
                  add an account (a password only for the web login)
  user role NAME ROLE, user list
  token create NAME [--name LABEL]   make an API token (shown once)
  token list NAME, token revoke ID

options:
  --database URL  the database (default: $PACKGRID_DATABASE_URL or file:./data/packgrid.sqlite)
  -h, --help      this help
`

const out = (line: string) => process.stdout.write(`${line}\n`)

const main = async (argv: ReadonlyArray<string>) => {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      database: { type: "string" },
      help: { type: "boolean", short: "h" },
      role: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
      json: { type: "boolean" },
      all: { type: "boolean" },
      slug: { type: "string" },
      limit: { type: "string" },
      "stale-hours": { type: "string" },
      "time-budget": { type: "string" },
      "skip-pypi": { type: "boolean" },
      "skip-repo": { type: "boolean" },
      concurrency: { type: "string" },
      worker: { type: "string" },
      lease: { type: "string" },
      "progress-every": { type: "string" }
    }
  })
  const [command, ...rest] = positionals
  if (values.help === true || command === undefined) return out(HELP)
  const url = databaseUrl(values.database)
  switch (command) {
    case "import":
      return importCommand(url, rest[0], out)
    case "export":
      return exportCommand(url, rest[0], out)
    case "migrate":
      return migrateCommand(url, out)
    case "refresh":
      if (rest.length > 0) throw new UsageError(`refresh takes no arguments (use --slug ${rest[0]})`)
      return refreshCommand(
        url,
        {
          all: values.all,
          slug: values.slug,
          limit: values.limit,
          staleHours: values["stale-hours"],
          timeBudget: values["time-budget"],
          skipPypi: values["skip-pypi"],
          skipRepo: values["skip-repo"],
          concurrency: values.concurrency,
          worker: values.worker,
          lease: values.lease,
          progressEvery: values["progress-every"],
          json: values.json
        },
        out
      )
    case "score":
      return scoreCommand(url, rest, { json: values.json }, out)
    case "rescore":
      return rescoreCommand(url, rest, out)
    case "user":
      return userCommand(
        url,
        rest,
        { role: values.role, email: values.email, passwordStdin: values["password-stdin"] },
        out
      )
    case "token":
      return tokenCommand(url, rest, { name: values.name }, out)
    default:
      throw new UsageError(`unknown command "${command}"; see pnpm packgrid --help`)
  }
}

// `pnpm packgrid -- --help` passes the `--` through.
const argv = process.argv.slice(2)
main(argv[0] === "--" ? argv.slice(1) : argv).then(
  () => process.exit(0),
  (e: unknown) => {
    const usage =
      e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    process.stderr.write(`packgrid: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(usage ? 2 : 1)
  }
)
