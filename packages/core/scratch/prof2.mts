import { readFileSync } from "node:fs"
import { validateCatalogue } from "../src/Catalogue/CatalogueFile.ts"
const file = JSON.parse(readFileSync("/work/main/data/demo/catalogue.json", "utf8"))
const t = performance.now()
validateCatalogue(file)
console.log("cold validate", (performance.now() - t).toFixed(0))
