import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

// The Express API serves dist/ at "/" and owns /api/*; in dev, Vite stands in for it and forwards /api.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" }
  }
})
