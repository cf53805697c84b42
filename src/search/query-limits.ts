/**
 * Limits on search requests, in one store-neutral place. The parser enforces them before any store sees
 * the query, so both stores refuse the same requests with the same 400 OperationOutcome instead of one
 * store answering and the other failing with a 500. Each limit mirrors a MongoDB limit that the MongoDB
 * store's filter and sort (under store/mongo/) would otherwise run into; the SQLite store has looser limits
 * (a LIKE pattern of at most 50,000 bytes) that these keep it under as well.
 *
 * Values that are not limited here: token, reference, `_id`, date, number and quantity values become
 * equality or range matches on both stores (never a regular expression or a list built from the value),
 * and BSON string values may hold any character, NUL included.
 * @see https://hl7.org/fhir/R4/search.html#errors
 * @see https://www.mongodb.com/docs/manual/reference/limits/
 */
import { badRequest } from '../fhir/outcomes.js';

/**
 * Most `_sort` keys a search takes. MongoDB sorts on at most 32 keys; the MongoDB store sorts each
 * parameter key by two fields (a presence marker, so that resources without a value come last, and the
 * value) and adds `id` as the final tie-break for stable paging: 2 × 15 + 1 = 31 ≤ 32, while 16 keys would
 * be 33.
 * @see https://www.mongodb.com/docs/manual/reference/method/cursor.sort/
 * @see https://www.mongodb.com/docs/manual/reference/operator/aggregation/sort/
 */
export const MAX_SORT_KEYS = 15;

/**
 * Longest string or uri search value, in UTF-16 code units after normalisation. The MongoDB store matches
 * prefix, `:contains` and uri `:below` values with a regular expression of the escaped value; MongoDB refuses
 * a pattern over 32,764 bytes, and long patterns can fail to compile well before that. 4096 code units
 * escape to at most 3 × 4096 + 1 = 12,289 bytes of UTF-8 (a code unit is at most 3 bytes, an escaped ASCII
 * character 2), under 16 KiB. Exact matches are held to the same limit, so a value's length never decides
 * whether one modifier works and another fails.
 * @see https://www.mongodb.com/docs/manual/reference/operator/query/regex/
 */
export const MAX_TEXT_VALUE_LENGTH = 4096;

/**
 * Longest uri `:above` value, in UTF-16 code units. The MongoDB store matches `:above` with an `$in` of every
 * prefix of the value: n code units make n prefixes of up to 3n bytes, about 1.5 n² bytes in all. 1024
 * keeps that list under 1.6 MB for any text (0.5 MB for ASCII), far from the 16 MiB a query document may
 * have; 4096 would allow 25 MB. Canonical URLs, what `:above` is for, are much shorter.
 * @see https://hl7.org/fhir/R4/search.html#uri
 * @see https://www.mongodb.com/docs/manual/reference/limits/#mongodb-limit-BSON-Document-Size
 */
export const MAX_ABOVE_URI_LENGTH = 1024;

/** 400 when a `_sort` value has more than MAX_SORT_KEYS keys. */
export function checkSortKeyCount(count: number): void {
  if (count > MAX_SORT_KEYS) throw badRequest(`_sort has ${count} keys; at most ${MAX_SORT_KEYS} sort keys are supported`, '_sort');
}

/**
 * 400 when a string or uri value (`name` is the parameter as written, with its modifier) is longer than
 * `max` code units or holds a NUL character, which a MongoDB regular expression cannot contain.
 */
export function checkTextValue(name: string, value: string, max: number = MAX_TEXT_VALUE_LENGTH): void {
  if (value.length > max) {
    throw badRequest(`Search parameter ${name}: the value is ${value.length} characters long; at most ${max} characters are supported`, name);
  }
  if (value.includes('\u0000')) throw badRequest(`Search parameter ${name}: the value contains a NUL character (U+0000), which cannot be searched for`, name);
}
