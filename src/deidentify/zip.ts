/**
 * Safe Harbor's ZIP codes: only "the initial three digits of a ZIP code if ... the geographic unit formed by
 * combining all ZIP codes with the same three initial digits contains more than 20,000 people", and 000 for
 * the others (the profile lists those, from the census the rule was last read against).
 * @see https://www.law.cornell.edu/cfr/text/45/164.514
 */

const US_ZIP = /^(\d{3})\d{2}(?:-?\d{4})?$/;

/** The three-digit area, `000` for a restricted one; undefined for a code that is no US ZIP, to be removed. */
export function generaliseZip(code: string, restricted: ReadonlySet<string>): string | undefined {
  const m = US_ZIP.exec(code.trim());
  if (m === null) return undefined;
  return restricted.has(m[1]) ? '000' : m[1];
}
