import { Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { validateCatalogue, PackageRecord } from "../src/Catalogue/CatalogueFile.ts"
const file = JSON.parse(readFileSync("/work/main/data/demo/catalogue.json", "utf8"))
for (let i = 0; i < 3; i++) {
  let t = performance.now()
  validateCatalogue(file)
  const v = performance.now() - t
  t = performance.now()
  const d = Schema.decodeUnknownEither(PackageRecord, { errors: "all", onExcessProperty: "ignore" })
  for (const p of file.packages) d(p)
  const p = performance.now() - t
  t = performance.now()
  const is = Schema.is(Schema.encodedSchema(PackageRecord))
  for (const p of file.packages) is(p)
  console.log(`validate ${v.toFixed(0)} decode-packages ${p.toFixed(0)} is-encoded ${(performance.now() - t).toFixed(0)}`)
}
