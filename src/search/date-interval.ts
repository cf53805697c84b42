/**
 * FHIR date, dateTime and instant values as half-open intervals of epoch milliseconds, by precision:
 * `2020` is all of 2020, `2020-03` all of March, `2020-03-04T10:00:00Z` that second. A value without a
 * time zone is read as UTC. Shared by the index and the query parser so both sides agree.
 * @see https://hl7.org/fhir/R4/search.html#date
 */

export interface Interval {
  lo: number;
  hi: number;
}

/** Bounds for open ends (a Period without start or end); ±Infinity would not survive JSON. */
export const OPEN_LOW = Number.MIN_SAFE_INTEGER;
export const OPEN_HIGH = Number.MAX_SAFE_INTEGER;

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Date.UTC, without its mapping of years 0-99 to 1900-1999. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (year >= 100) return Date.UTC(year, month, day, hour, minute, second, ms);
  const date = new Date(Date.UTC(2000, month, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** The interval a date/dateTime/instant string covers, or null when it is not a valid FHIR date. */
export function dateInterval(value: string): Interval | null {
  const m = DATE_TIME.exec(value);
  if (m === null) return null;
  const year = +m[1];
  if (m[2] === undefined) return { lo: utc(year, 0, 1), hi: utc(year + 1, 0, 1) };
  const month = +m[2];
  if (month < 1 || month > 12) return null;
  if (m[3] === undefined) return { lo: utc(year, month - 1, 1), hi: utc(year, month, 1) };
  const day = +m[3];
  if (day < 1 || day > daysInMonth(year, month)) return null;
  const dayStart = utc(year, month - 1, day);
  if (m[4] === undefined) return { lo: dayStart, hi: dayStart + DAY_MS };
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const zoneHours = +zone.slice(1, 3);
    const zoneMinutes = +zone.slice(4, 6);
    if (zoneHours > 14 || zoneMinutes > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  const fraction = m[7];
  const width = m[6] === undefined ? 60_000 : fraction === undefined ? 1000 : fraction.length >= 3 ? 1 : 10 ** (3 - fraction.length);
  const ms = fraction === undefined ? 0 : +fraction.slice(0, 3).padEnd(3, '0');
  const lo = dayStart + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offset;
  return { lo, hi: lo + width };
}
