// Bundles the operator CLI and the dashboard (and the core, which ships as TypeScript source) to ESM:
// Ink and React 19 use top-level await, so CommonJS is not an option. The native SQLite driver stays
// external (a direct dependency, so Node resolves it), and so does pg's optional native binding.
import { build } from "esbuild"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"

// Ink loads its React DevTools bridge with `await import("./devtools.js")` only when DEV=true, but a
// bundler inlines it, hoisting its static `import "react-devtools-core"` (not installed) to the top of
// the bundle, where it breaks every start. Leaving that one import to run time keeps Ink's own
// fallback: with DEV=true and no react-devtools-core it prints a warning and carries on.
const inkDevtoolsAtRunTime = {
  name: "ink-devtools-at-run-time",
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: "react-devtools-core", external: true } : undefined
    )
  }
}

await build({
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  entryPoints: { packgrid: "src/packgrid.ts", tui: "src/tui.tsx" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  jsx: "automatic",
  external: ["better-sqlite3", "pg-native", "react-devtools-core"],
  plugins: [inkDevtoolsAtRunTime],
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  },
  logLevel: "warning"
})
