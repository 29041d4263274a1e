// Repository, PyPI and documentation URLs are entered by maintainers: only http(s) ones become links,
// so a stored "javascript:" URL can never run in a visitor's browser.
/** The URL if it is an absolute http(s) URL, else null. */
export function httpUrl(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === "") return null
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null
  } catch {
    return null
  }
}
