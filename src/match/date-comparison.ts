/**
 * Comparing birth dates (`YYYY-MM-DD`). Levels, best first: exact; day and month transposed (a US and a
 * European reading of the same date); one digit off (a single keying error, and also how generated twins
 * differ, so the weight of this level comes from the data, not from us); different.
 */
export const BIRTH_DATE_LEVELS = ['exact', 'transposed', 'one-digit', 'different'] as const;

/** The level index, or -1 when either date is missing. */
export function compareBirthDate(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return -1;
  if (a === b) return 0;
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7)) return 1;
  let differing = 0;
  for (let i = 0; i < a.length && differing < 2; i++) if (a[i] !== b[i]) differing++;
  return differing === 1 ? 2 : 3;
}

/** The date with day and month swapped, when that is another date ("2001-03-12" → "2001-12-03"). */
export function transposeDate(date: string): string | undefined {
  const [y, m, d] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)];
  const swapped = `${y}-${d}-${m}`;
  if (m === d || Number(d) > 12) return undefined;
  const t = new Date(`${swapped}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== swapped ? undefined : swapped;
}

/** Year and the two other parts in order: equal for equal dates and for transposed ones (blocking). */
export function birthDateBlock(date: string): string {
  const [y, m, d] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)];
  return m <= d ? `${y}-${m}-${d}` : `${y}-${d}-${m}`;
}
