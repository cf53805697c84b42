/**
 * Dates as FHIR writes them (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then for a dateTime or instant `Thh:mm:ss[.f]` and
 * a zone), generalised to their year or shifted by whole days. Both work on the written text, so a value
 * keeps its precision and zone: a shift moves the calendar date and leaves the time and offset as they were,
 * which moves the instant by exactly that many days and keeps every interval between shifted values.
 * @see https://hl7.org/fhir/R4/datatypes.html#dateTime
 */

export type DateType = 'date' | 'dateTime' | 'instant';

export const DATE_TYPES: ReadonlySet<string> = new Set<DateType>(['date', 'dateTime', 'instant']);

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$/;

/**
 * The year alone; an instant must keep full precision, so it becomes the first instant of its year (UTC).
 * Undefined when the value is no date, to be removed rather than passed on.
 */
export function generaliseDate(value: string, type: DateType): string | undefined {
  const m = DATE.exec(value);
  if (m === null) return undefined;
  return type === 'instant' ? `${m[1]}-01-01T00:00:00Z` : m[1];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The calendar day `days` after year-month-day, however many month and year ends lie between. */
function addDays(year: number, month: number, day: number, days: number): Date {
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  d.setUTCFullYear(year, month - 1, day + days);
  return d;
}

/**
 * The value moved by `days`, at its own precision. A year or a year-month has no day to move: its middle
 * (2 July, the 15th) moves, and the result keeps the year or year-month it lands in. Undefined when the value
 * is no date or would leave the four-digit years.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const m = DATE.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const d = addDays(year, m[2] === undefined ? 7 : Number(m[2]), m[2] === undefined ? 2 : m[3] === undefined ? 15 : Number(m[3]), days);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return undefined;
  if (m[2] === undefined) return pad(y, 4);
  if (m[3] === undefined) return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}`;
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}${m[4] ?? ''}`;
}

/** The year of a date, or undefined when the value is no date. */
export function yearOf(value: string): number | undefined {
  const m = DATE.exec(value);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Whole years from `birth` to `at` (both as written, zones ignored: a day's difference cannot change the
 * answer to "over 89" enough to matter). A partial birth date counts from its earliest day, the oldest the
 * person can be.
 */
export function yearsBetween(birth: string, at: string): number | undefined {
  const b = DATE.exec(birth);
  const a = DATE.exec(at);
  if (b === null || a === null) return undefined;
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? 1), Number(b[3] ?? 1)];
  const [ay, am, ad] = [Number(a[1]), Number(a[2] ?? 12), Number(a[3] ?? 31)];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}
