/**
 * parseSearchQuery: a FHIR R4 search request (the query string of `GET [type]?…`) as a SearchQuery
 * for the stores, with what shapes the answer: includes, `_summary`, `_elements`. Comma-separated values
 * are ORed, repeated parameters ANDed. Unknown parameters, unsupported modifiers, composite/special
 * parameters, chaining, `_has` and the like are ignored and listed, as R4 asks of servers by default, or,
 * with `strict` (`Prefer: handling=strict`), a 400 OperationOutcome naming the parameter. Invalid values
 * (a bad date, a negative `_count`) are a 400 either way.
 * @see https://hl7.org/fhir/R4/search.html
 */
import { badRequest } from '../fhir/outcomes.js';
import type { SummaryMode } from '../fhir/resource-subset.js';
import { isIncludeParam, parseInclude, type IncludeSpec } from './parse-includes.js';
import {
  MODIFIERS, datePredicate, isTypeModifier, missingPredicate, numberPredicate, quantityPredicate,
  referencePredicate, stringPredicate, tokenPredicate, uriPredicate, type ValueContext,
} from './parse-predicates.js';
import { splitUnescaped, unescapeValue } from './query-values.js';
import { DEFAULT_COUNT, QUIET_PARAMS, parseCount, parseElements, parseOffset, parseSort, parseSummary } from './result-params.js';
import type { SearchParameterDef } from './search-parameter.js';
import { searchParametersFor } from './search-parameters.js';
import type { Criterion, IndexedParamType, Predicate, SearchQuery } from './types.js';
import { UnsupportedSearch } from './unsupported.js';

export interface ParseSearchOptions {
  /**
   * Fail on what is not supported instead of ignoring it: `Prefer: handling=strict`, and every query the
   * server builds itself (conditional interactions, imaging), where ignoring a criterion would widen a match.
   * Required so that each caller chooses.
   */
  strict: boolean;
}

export interface ParsedSearch {
  query: SearchQuery;
  /** Why each ignored parameter was ignored, naming it as written (with its modifier). */
  ignored: { param: string; reason: string }[];
  /** `_include` and `_revinclude` values, in request order. */
  includes: IncludeSpec[];
  summary: SummaryMode;
  /** `_elements`, when given. */
  elements?: string[];
  /** The parameters for the `self` and `next` links: as the client wrote them, less ignored ones and `_offset`. */
  linkParams: URLSearchParams;
}

type ValueParser = (raw: string, context: ValueContext) => Predicate;

const PARSERS: Record<IndexedParamType, ValueParser> = {
  token: tokenPredicate,
  string: stringPredicate,
  date: datePredicate,
  reference: referencePredicate,
  number: numberPredicate,
  quantity: quantityPredicate,
  uri: uriPredicate,
};

/** General parameters of the FHIR search API this server does not implement. */
const UNSUPPORTED_GENERAL = new Set(['_contained', '_containedType', '_list', '_filter', '_type']);

const ID_DEF: Pick<SearchParameterDef, 'type'> = { type: 'token' };
const DATE_DEF: Pick<SearchParameterDef, 'type'> = { type: 'date' };

/** One search parameter (not a result parameter) as a Criterion. */
function criterion(name: string, value: string, params: ReadonlyMap<string, SearchParameterDef>): Criterion {
  const colon = name.indexOf(':');
  const code = colon < 0 ? name : name.slice(0, colon);
  const modifier = colon < 0 ? undefined : name.slice(colon + 1);
  if (UNSUPPORTED_GENERAL.has(code)) throw new UnsupportedSearch(name, `${code} is not supported`);
  if (code === '_has' || name.includes('.')) throw new UnsupportedSearch(name, `${name}: chained and reverse-chained (_has) searches are not supported`);
  if (value === '') throw new UnsupportedSearch(name, `Search parameter ${name} has no value`);
  const values = splitUnescaped(value, ',');
  if (code === '_id' || code === '_lastUpdated') {
    if (modifier !== undefined) throw new UnsupportedSearch(name, `Modifier :${modifier} is not supported on ${code}`);
    const context: ValueContext = { name, def: code === '_id' ? ID_DEF : DATE_DEF, modifier };
    const predicates = code === '_id' ? values.map((v) => ({ kind: 'token', value: unescapeValue(v) }) as Predicate) : values.map((v) => datePredicate(v, context));
    return { param: code, type: code, predicates };
  }
  const def = params.get(code);
  if (def === undefined) throw new UnsupportedSearch(name, `Unknown search parameter ${code}`);
  if (def.type === 'composite' || def.type === 'special' || def.expression === '') {
    throw new UnsupportedSearch(name, `Search parameter ${code} (${def.type}) is not supported`);
  }
  const context: ValueContext = { name, def, modifier };
  let parse = PARSERS[def.type];
  if (modifier === 'missing') parse = missingPredicate;
  else if (modifier !== undefined && !MODIFIERS[def.type].includes(modifier) && !(def.type === 'reference' && isTypeModifier(modifier))) {
    throw new UnsupportedSearch(name, `Modifier :${modifier} is not supported on ${def.type} parameter ${code}`);
  }
  return { param: code, type: def.type, predicates: values.map((v) => parse(v, context)) };
}

/**
 * Parses the search parameters of `resourceType` (a known R4 type: the caller checks).
 * Throws an OperationOutcomeError (400, expression = the parameter) for what is invalid or unsupported.
 */
export function parseSearchQuery(resourceType: string, params: URLSearchParams, options: ParseSearchOptions): ParsedSearch {
  const definitions = searchParametersFor(resourceType);
  const query: SearchQuery = { resourceType, criteria: [], sort: [], count: DEFAULT_COUNT, offset: 0, summaryCount: false };
  const parsed: ParsedSearch = { query, ignored: [], includes: [], summary: 'false', linkParams: new URLSearchParams() };
  for (const [name, value] of params) {
    try {
      if (name === '_count') query.count = parseCount(value);
      else if (name === '_offset') query.offset = parseOffset(value);
      else if (name === '_sort') query.sort = parseSort(value, definitions);
      else if (name === '_summary') parsed.summary = parseSummary(value);
      else if (name === '_elements') parsed.elements = parseElements(value);
      else if (isIncludeParam(name)) parsed.includes.push(parseInclude(name, value));
      else if (!QUIET_PARAMS.has(name)) query.criteria.push(criterion(name, value, definitions));
      if (name !== '_offset') parsed.linkParams.append(name, value);
    } catch (err) {
      if (!(err instanceof UnsupportedSearch)) throw err;
      if (options.strict) throw badRequest(err.message, err.param);
      parsed.ignored.push({ param: err.param, reason: err.message });
    }
  }
  query.summaryCount = parsed.summary === 'count';
  return parsed;
}
