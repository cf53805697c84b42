/**
 * FHIR search prefixes as store-neutral comparisons, so every store answers `date=ge2020` and
 * `value-quantity=lt5.4` alike. A store renders a RangeCondition into its own query language.
 *
 * Dates: both the parameter and the indexed value are half-open intervals [lo, hi) in epoch ms, compared
 * exactly as the R4 prefix table says (eq = the parameter range fully contains the value's range, gt = the range
 * above the parameter overlaps it, sa = it starts at or after the parameter's end, …).
 * Numbers: the indexed value is a point. eq/ne use the parameter's implicit precision range [lo, hi)
 * (`100` is [99.5, 100.5)); gt/lt/ge/le/sa/eb compare with the exact stated value, the middle of that range,
 * as the number section of the spec says ("gt100: values that are greater than exactly 100").
 * ap widens by 10% (of the value, or for dates of the distance to now), the spec's recommendation.
 * @see https://hl7.org/fhir/R4/search.html#prefix
 * @see https://hl7.org/fhir/R4/search.html#number
 */
import type { Prefix } from '../search/types.js';

export type Comparison = '<' | '<=' | '>' | '>=' | '=';

/** `field` is 'lo' / 'hi' for intervals and 'value' for points. */
export type RangeCondition =
  | { field: 'lo' | 'hi' | 'value'; op: Comparison; value: number }
  | { all: RangeCondition[] }
  | { any: RangeCondition[] };

const cmp = (field: 'lo' | 'hi' | 'value', op: Comparison, value: number): RangeCondition => ({ field, op, value });

/** The condition on an indexed interval [lo, hi) for a date parameter with this prefix and range. */
export function dateCondition(prefix: Prefix, lo: number, hi: number, now: number = Date.now()): RangeCondition {
  const within = { all: [cmp('lo', '>=', lo), cmp('hi', '<=', hi)] };
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return { any: [cmp('lo', '<', lo), cmp('hi', '>', hi)] };
    case 'gt':
      return cmp('hi', '>', hi);
    case 'lt':
      return cmp('lo', '<', lo);
    case 'ge':
      return { any: [cmp('hi', '>', hi), within] };
    case 'le':
      return { any: [cmp('lo', '<', lo), within] };
    case 'sa':
      return cmp('lo', '>=', hi);
    case 'eb':
      return cmp('hi', '<=', lo);
    case 'ap': {
      const margin = Math.abs(now - (lo + hi) / 2) * 0.1;
      return { all: [cmp('lo', '<', hi + margin), cmp('hi', '>', lo - margin)] };
    }
  }
}

/** The condition on an indexed number (a point) for a number or quantity parameter. */
export function numberCondition(prefix: Prefix, lo: number, hi: number): RangeCondition {
  const exact = (lo + hi) / 2;
  const inRange = hi > lo ? { all: [cmp('value', '>=', lo), cmp('value', '<', hi)] } : cmp('value', '=', lo);
  switch (prefix) {
    case 'eq':
      return inRange;
    case 'ne':
      return hi > lo ? { any: [cmp('value', '<', lo), cmp('value', '>=', hi)] } : { any: [cmp('value', '<', lo), cmp('value', '>', lo)] };
    case 'gt':
    case 'sa':
      return cmp('value', '>', exact);
    case 'lt':
    case 'eb':
      return cmp('value', '<', exact);
    case 'ge':
      return cmp('value', '>=', exact);
    case 'le':
      return cmp('value', '<=', exact);
    case 'ap': {
      const margin = Math.abs(exact) * 0.1;
      return { all: [cmp('value', '>=', Math.min(lo, exact - margin)), cmp('value', '<=', Math.max(hi, exact + margin))] };
    }
  }
}
