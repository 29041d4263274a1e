const numberFormat = new Intl.NumberFormat("en-US")

// The date is read in the zone the API wrote it in (PACKGRID_TIME_ZONE), so every viewer sees the
// same calendar day as the reference site, whatever their own zone.
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" })

export const MISSING = "—"

/** 1778 → "1,778"; null → "—". */
export function formatNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? MISSING : numberFormat.format(value)
}

/** "2026-01-05T15:45:59-05:00" → "Jan 5, 2026"; null or unparseable → "—". */
export function formatDate(iso: string | null): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return MISSING
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (match === null) return MISSING
  const [, year, month, day] = match
  return dateFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))))
}

/** The pagination label: (20, 20, 57) → "21–40 of 57". */
export function formatRange(offset: number, shown: number, count: number): string {
  if (shown === 0) return `0 of ${formatNumber(count)}`
  return `${formatNumber(offset + 1)}–${formatNumber(offset + shown)} of ${formatNumber(count)}`
}

/** "1 participant", "103 participants". */
export function plural(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? "" : "s"}`
}
