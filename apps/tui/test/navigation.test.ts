import { describe, expect, it } from "vitest"
import {
  type Command,
  initialNavigation,
  type KeyPress,
  type Navigation,
  step,
  windowStart
} from "../src/ui/navigation.ts"

const titles = ["django-alpha", "Beta", "django-gamma", "delta", "DJANGO-epsilon"]
const press = (k: string): KeyPress => (k.length === 1 ? { _tag: "char", char: k } : ({ _tag: k } as KeyPress))

/** Applies keys in order, collecting the commands they ask for. */
const run = (
  keys: ReadonlyArray<string>,
  screen = { detailOpen: false, titles, height: 3 },
  from: Navigation = initialNavigation
) => {
  let nav = from
  const commands: Array<Command> = []
  for (const k of keys) {
    const [next, command] = step(nav, press(k), screen)
    nav = next
    if (command !== null) commands.push(command)
  }
  return { nav, commands }
}

describe("step", () => {
  it("moves within the rows and stops at both ends", () => {
    expect(run(["j", "down", "j"]).nav.selected).toBe(3)
    expect(run(["j", "j", "j", "j", "j", "j", "j"]).nav.selected).toBe(4)
    expect(run(["k", "up"]).nav.selected).toBe(0)
    expect(run(["G"]).nav.selected).toBe(4)
    expect(run(["end", "home"]).nav.selected).toBe(0)
  })

  it("scrolls the window only as far as the selection needs", () => {
    expect(run(["j", "j", "j"]).nav.top).toBe(1)
    expect(run(["j", "j", "j", "j", "k", "k"]).nav.top).toBe(2)
    expect(run(["j", "j", "j", "j", "k", "k", "k"]).nav.top).toBe(1)
    expect(windowStart(0, 0, 3, 2)).toBe(0)
  })

  it("filters the page's titles, case-insensitively, and opens the right row", () => {
    const { nav, commands } = run(["j", "/", "d", "j", "a", "x", "backspace", "n", "g", "o", "enter", "j", "enter"])
    expect(nav).toMatchObject({ filter: "django", draft: null, selected: 1 })
    // The second match on the page is "django-gamma", row 2 of the page.
    expect(commands).toEqual([{ _tag: "open", index: 2 }])
  })

  it("keeps the applied filter when a new one is cancelled, and clears it with Escape", () => {
    const applied = run(["/", "b", "e", "enter"]).nav
    expect(run(["/", "z", "escape"], undefined, applied).nav).toMatchObject({ filter: "be", draft: null })
    expect(run(["escape"], undefined, applied).nav).toMatchObject({ filter: "", selected: 0 })
  })

  it("asks for pages, reloads and quitting; q and r are text while typing a filter", () => {
    expect(run(["n", "pageDown", "p", "pageUp", "r", "q"]).commands.map((c) => c._tag)).toEqual([
      "nextPage",
      "nextPage",
      "previousPage",
      "previousPage",
      "reload",
      "quit"
    ])
    expect(run(["/", "q", "r"])).toEqual({ nav: { ...initialNavigation, draft: "qr" }, commands: [] })
  })

  it("in the detail view, Escape and Backspace go back and list keys do nothing", () => {
    const screen = { detailOpen: true, titles, height: 3 }
    expect(run(["j", "enter", "n", "escape", "backspace"], screen).commands).toEqual([
      { _tag: "back" },
      { _tag: "back" }
    ])
    expect(run(["j"], screen).nav.selected).toBe(0)
  })

  it("does not open anything when no row matches", () => {
    expect(run(["/", "z", "z", "enter", "enter"]).commands).toEqual([])
  })
})
