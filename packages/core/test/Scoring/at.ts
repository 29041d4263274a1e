import { Either } from "effect"
import { parseTimestamp, type Timestamp } from "../../src/Domain/Timestamp.ts"
import { DAY } from "../../src/Scoring/internal/Calendar.ts"

/** An ISO 8601 date or date-time (a bare date is midnight UTC) as a Timestamp. */
export const at = (iso: string): Timestamp => Either.getOrThrowWith(parseTimestamp(iso), (m) => new Error(m))

/** `days` days before `t` (fractional days allowed). */
export const daysBefore = (t: Timestamp, days: number): Timestamp => (t - Math.round(days * DAY)) as Timestamp
