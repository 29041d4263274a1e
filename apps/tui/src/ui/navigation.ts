/**
 * The dashboard's key handling as a pure step function: the list cursor, the filter being typed, and
 * the command a key asks of the data controller. Pure so that several keys arriving in one read of the
 * terminal (key repeat, a paste) are applied one after another, each seeing the previous one's result.
 */
import type { Key as InkKey } from "ink"

export interface Navigation {
  /** Index into the rows that pass the filter. */
  readonly selected: number
  /** First row on screen. */
  readonly top: number
  /** The applied filter on the page's titles ("" for none). */
  readonly filter: string
  /** The filter being typed, or null when not typing one. */
  readonly draft: string | null
}

export const initialNavigation: Navigation = { selected: 0, top: 0, filter: "", draft: null }

type Special = "up" | "down" | "home" | "end" | "pageUp" | "pageDown" | "enter" | "escape" | "backspace"

export type KeyPress = { readonly _tag: Special } | { readonly _tag: "char"; readonly char: string }

export type Command =
  | { readonly _tag: "quit" | "reload" | "nextPage" | "previousPage" | "back" }
  /** Open the page row at `index` (an index into the whole page, not the filtered rows). */
  | { readonly _tag: "open"; readonly index: number }

export interface Screen {
  readonly detailOpen: boolean
  /** Titles of the loaded page, in order. */
  readonly titles: ReadonlyArray<string>
  /** Rows of the list that fit on screen. */
  readonly height: number
}

/** Indices of the page rows whose title contains `filter` (case-insensitive). */
export const matching = (titles: ReadonlyArray<string>, filter: string): Array<number> => {
  const needle = filter.trim().toLowerCase()
  const out: Array<number> = []
  titles.forEach((t, i) => {
    if (needle === "" || t.toLowerCase().includes(needle)) out.push(i)
  })
  return out
}

/** The first row to show so that `selected` is on screen, moving the window as little as possible from `top`. */
export const windowStart = (top: number, selected: number, height: number, length: number) => {
  const h = Math.max(1, height)
  let start = Math.min(top, selected)
  if (selected >= start + h) start = selected - h + 1
  return Math.max(0, Math.min(start, Math.max(0, length - h)))
}

const special = (_tag: Special): KeyPress => ({ _tag })

/** Ink's view of one read from the terminal as key presses (plain text is one press per character). */
export const keyPresses = (input: string, key: InkKey): Array<KeyPress> => {
  // With the kitty keyboard protocol a key also reports its release: act on the press only.
  if (key.eventType === "release") return []
  if (key.upArrow) return [special("up")]
  if (key.downArrow) return [special("down")]
  if (key.home) return [special("home")]
  if (key.end) return [special("end")]
  if (key.pageUp) return [special("pageUp")]
  if (key.pageDown) return [special("pageDown")]
  if (key.return) return [special("enter")]
  if (key.escape) return [special("escape")]
  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return [special("backspace")]
  if (key.ctrl || key.meta || key.tab || key.leftArrow || key.rightArrow) return []
  return [...input].map((char) =>
    char === "\r" || char === "\n"
      ? special("enter")
      : char === "\x7f" || char === "\b"
        ? special("backspace")
        : { _tag: "char", char }
  )
}

const withFilter = (nav: Navigation, filter: string): Navigation => ({
  ...nav,
  filter,
  draft: null,
  selected: 0,
  top: 0
})

/** The navigation after `press`, and what it asks the data controller to do (if anything). */
export const step = (nav: Navigation, press: KeyPress, screen: Screen): readonly [Navigation, Command | null] => {
  if (nav.draft !== null) {
    switch (press._tag) {
      case "enter":
        return [withFilter(nav, nav.draft), null]
      case "escape":
        return [{ ...nav, draft: null }, null]
      case "backspace":
        return [{ ...nav, draft: nav.draft.slice(0, -1) }, null]
      case "char":
        return [{ ...nav, draft: nav.draft + press.char }, null]
      default:
        return [nav, null]
    }
  }
  if (press._tag === "char" && press.char === "q") return [nav, { _tag: "quit" }]
  if (press._tag === "char" && press.char === "r") return [nav, { _tag: "reload" }]
  if (screen.detailOpen) return [nav, press._tag === "escape" || press._tag === "backspace" ? { _tag: "back" } : null]

  const rows = matching(screen.titles, nav.filter)
  const moveTo = (index: number): Navigation => {
    const selected = Math.max(0, Math.min(index, rows.length - 1))
    return { ...nav, selected, top: windowStart(nav.top, selected, screen.height, rows.length) }
  }
  const key = press._tag === "char" ? press.char : press._tag
  switch (key) {
    case "down":
    case "j":
      return [moveTo(nav.selected + 1), null]
    case "up":
    case "k":
      return [moveTo(nav.selected - 1), null]
    case "home":
    case "g":
      return [moveTo(0), null]
    case "end":
    case "G":
      return [moveTo(rows.length - 1), null]
    case "pageDown":
    case "n":
      return [nav, { _tag: "nextPage" }]
    case "pageUp":
    case "p":
      return [nav, { _tag: "previousPage" }]
    case "enter": {
      const index = rows[nav.selected]
      return [nav, index === undefined ? null : { _tag: "open", index }]
    }
    case "/":
      return [{ ...nav, draft: nav.filter }, null]
    case "escape":
      return [nav.filter === "" ? nav : withFilter(nav, ""), null]
    default:
      return [nav, null]
  }
}
