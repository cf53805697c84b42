/**
 * The store-neutral shapes that connect FHIR search to the stores:
 * - IndexEntries: what a resource contributes to the search, identifier and reference indexes,
 *   computed once per write from the official R4 SearchParameter expressions;
 * - SearchQuery: a parsed search request that each store translates into its own query language.
 * Values are plain data; nothing a client sends becomes an operator in a query.
 * @see https://hl7.org/fhir/R4/search.html
 */

/** The search parameter types that are indexed (composite and special are not). */
export type IndexedParamType = 'token' | 'string' | 'date' | 'reference' | 'number' | 'quantity' | 'uri';

/** A token value: Coding, Identifier, code, boolean, ContactPoint. `system` null when the value has none. */
export interface TokenEntry {
  code: string;
  system: string | null;
  value: string;
}

/** A string value, normalised for matching (lower case, accents removed, whitespace collapsed). */
export interface StringEntry {
  code: string;
  value: string;
}

/** A date, dateTime, instant or Period as an interval in epoch milliseconds, `hi` exclusive. */
export interface DateEntry {
  code: string;
  lo: number;
  hi: number;
}

/** A Reference value; for `Type/id` references `type` and `id`, for others `url` holds the raw reference. */
export interface ReferenceEntry {
  code: string;
  type: string | null;
  id: string | null;
  url: string | null;
}

/** A number or Quantity value; for quantities `system` and `unit` (the code, else the unit text). */
export interface NumberEntry {
  code: string;
  value: number;
  system: string | null;
  unit: string | null;
}

export interface UriEntry {
  code: string;
  value: string;
}

/**
 * One reference found anywhere in a resource (the reference index): `path` is a FHIRPath with indexes
 * such as `Claim.item[0].encounter[0]`. Contained (`#x`) references are not listed.
 */
export interface ReferenceLink {
  path: string;
  targetType: string | null;
  targetId: string | null;
  /** The reference text as written, for references that are not `Type/id` (absolute URLs, urn:, conditional). */
  url: string | null;
}

export interface IndexEntries {
  tokens: TokenEntry[];
  strings: StringEntry[];
  dates: DateEntry[];
  references: ReferenceEntry[];
  numbers: NumberEntry[];
  uris: UriEntry[];
  links: ReferenceLink[];
}

/** Comparison prefixes of number, date and quantity parameters. */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

export type Predicate =
  | { kind: 'token'; system?: string | null; value?: string; not?: boolean }
  | { kind: 'string'; value: string; match: 'prefix' | 'exact' | 'contains' }
  | { kind: 'date'; prefix: Prefix; lo: number; hi: number }
  | { kind: 'reference'; type?: string; id?: string; url?: string }
  | { kind: 'number'; prefix: Prefix; lo: number; hi: number; system?: string | null; unit?: string }
  | { kind: 'uri'; value: string; match: 'exact' | 'below' | 'above' }
  | { kind: 'missing'; missing: boolean };

/**
 * One search parameter of a request: values are ORed (comma), criteria are ANDed (repeated parameters).
 * `param` is the parameter code; `_id` and `_lastUpdated` are answered from the resource row itself.
 */
export interface Criterion {
  param: string;
  type: IndexedParamType | '_id' | '_lastUpdated';
  predicates: Predicate[];
}

export interface SortKey {
  param: string;
  type: IndexedParamType | '_id' | '_lastUpdated';
  descending: boolean;
}

export interface SearchQuery {
  resourceType: string;
  criteria: Criterion[];
  sort: SortKey[];
  count: number;
  offset: number;
  /** Only the total is wanted (`_summary=count`). */
  summaryCount: boolean;
}

export interface SearchResult<T> {
  resources: T[];
  total: number;
}
