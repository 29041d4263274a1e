// Bundles the server (and the core, which ships as TypeScript source) to one ESM file. Only the native
// SQLite driver stays external (a direct dependency, so Node resolves it), and pg's optional native binding.
import { build } from "esbuild"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"

await build({
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external: ["better-sqlite3", "pg-native"],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  },
  logLevel: "warning"
})
