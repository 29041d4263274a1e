/**
 * A vitest `globalSetup` for every package whose tests use `engines()`: says once, at the top of the
 * run, which engines the store suites cover, so a CI log shows that PostgreSQL ran (or why not).
 */
import { enginesLine } from "./TestDatabase.ts"

export default function setup(): void {
  console.info(enginesLine(process.env))
}
