/**
 * Time in the generator: plain epoch milliseconds (UTC), formatted the way Synthea writes FHIR dateTimes
 * (`2011-07-24T15:32:17+00:00`). Nothing reads the wall clock; the caller passes the reference date.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The mean Gregorian year, for ages. */
export const YEAR = 365.2425 * DAY;

/** `YYYY-MM-DDThh:mm:ss+00:00`. */
export function dateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** `YYYY-MM-DDThh:mm:ss.sss+00:00`, Synthea's form for `issued` instants. */
export function instant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}+00:00`;
}

/** `YYYY-MM-DD`. */
export function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch ms of a `YYYY-MM-DD` date at 00:00 UTC, or NaN when it is not a real date. */
export function parseDate(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return NaN;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || date(ms) !== value ? NaN : ms;
}

/** Age in (fractional) years at `at` for someone born at `birth`. */
export const ageAt = (birth: number, at: number) => (at - birth) / YEAR;
