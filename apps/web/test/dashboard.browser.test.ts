/**
 * The dashboard in a real browser against the real server: the app built by Vite, the API started as
 * `pnpm start` starts it (on a throw-away SQLite file with the demo catalogue, on any free port), and
 * Chromium driven through playwright-core. Debian's Chromium (`.ci/run` installs it); CHROMIUM_PATH
 * names another one.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { build } from "vite"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
const webRoot = fileURLToPath(new URL("..", import.meta.url))
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url))

if (!existsSync(CHROMIUM)) {
  console.info(`[packgrid] browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`)
}

/** Starts the server from its source and resolves with the URL it logs once it listens. */
const startServer = (databaseFile: string): Promise<{ url: string; child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
      cwd: repoRoot,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", PACKGRID_DATABASE_URL: `file:${databaseFile}` },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.once("exit", (code) => reject(new Error(`the server exited (${code}): ${stderr}`)))
    createInterface({ input: child.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string }
      if (entry.msg === "listening" && entry.url !== undefined) resolve({ url: entry.url, child })
    })
  })

/** The titles of the list's rows, top to bottom. */
const rowTitles = (page: Page) => page.locator("table.packages tbody th .title").allTextContents()

describe.skipIf(!existsSync(CHROMIUM))("the dashboard in Chromium", { timeout: 30_000 }, () => {
  let dir: string
  let server: { url: string; child: ChildProcess }
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "packgrid-browser-"))
    await build({ root: webRoot, logLevel: "warn" })
    server = await startServer(join(dir, "packgrid.sqlite"))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    })
    page = await browser.newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    server?.child.kill("SIGTERM")
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("opens on the best-scored packages", async () => {
    await page.goto(server.url)
    await page.locator("table.packages tbody tr").first().waitFor()
    const scores = (await page.locator("table.packages .score").allTextContents()).map(Number)
    expect(scores.length).toBe(20)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(await rowTitles(page)).toContain("django")
  })

  it("searches as one types: 'rest framework' puts django-rest-framework first", async () => {
    await page.getByRole("searchbox", { name: "Search packages" }).fill("rest framework")
    await expect.poll(async () => (await rowTitles(page))[0], { timeout: 10_000 }).toBe("django-rest-framework")
  })

  it("opens the package's panel with its score explained", async () => {
    await page.getByRole("link", { name: "Details for django-rest-framework", exact: true }).click()
    expect(page.url()).toMatch(/#\/packages\/drf$/)
    const panel = page.locator("aside.detail")
    await expect.poll(() => panel.locator("#detail-title").textContent()).toBe("django-rest-framework")
    await panel.locator(".score-explanation").waitFor()
    expect(await panel.locator(".score-pillar dt").allTextContents()).toEqual([
      "Maintenance",
      "Compatibility",
      "Adoption",
      "Hygiene",
      "Community"
    ])
    expect(Number(await panel.locator(".score-total").textContent())).toBeGreaterThan(0)
  })

  it("says when nothing matches", async () => {
    await page.getByRole("searchbox", { name: "Search packages" }).fill("zzzzqqqq")
    await expect
      .poll(() => page.getByRole("status").textContent(), { timeout: 10_000 })
      .toBe("Nothing matches “zzzzqqqq”.")
  })
})
