/**
 * What a subscription's criteria may not use although a search may: a subscription matches one changed
 * resource at a time, in memory, so parameters that shape a result set (sorting, paging, includes, summaries),
 * follow references to other resources (chains, `_has`) or need a text index (`_text`, `_content`) have no
 * meaning there or cannot be evaluated. Each is refused with a 400 naming the parameter, at
 * `Subscription.criteria`, instead of being ignored, which would widen what the subscription hears.
 * @see https://hl7.org/fhir/R4/subscription.html
 * @see https://hl7.org/fhir/R4/search.html
 */
import { badRequest } from '../fhir/outcomes.js';
import { isIncludeParam } from '../search/parse-includes.js';
import { searchParametersFor } from '../search/search-parameters.js';

export const CRITERIA = 'Subscription.criteria';

/** Parameters that shape the result set of a search, not which resources match. */
const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_summary', '_elements', '_total', '_format', '_pretty', '_contained', '_containedType']);

/** General parameters whose matching needs more than the resource's own index entries. */
const NOT_EVALUABLE: Record<string, string> = {
  _text: 'it searches the narrative as free text',
  _content: 'it searches the whole resource as free text',
  _query: 'it names a named query',
  _filter: 'it is an expression language',
  _list: 'it depends on List resources',
  _type: 'it belongs to searches across types',
};

/** 400 at Subscription.criteria naming `name` when it is a parameter the in-memory matcher cannot use. */
export function checkCriteriaParam(resourceType: string, name: string): void {
  const colon = name.indexOf(':');
  const code = colon < 0 ? name : name.slice(0, colon);
  const refuse = (why: string) => badRequest(`Subscription.criteria: ${why}`, CRITERIA);
  if (isIncludeParam(name)) throw refuse(`${name} is not supported: a subscription notifies about the changed resource only`);
  if (RESULT_PARAMS.has(code)) throw refuse(`${name} is a result parameter; a subscription matches resources one at a time, so it has no meaning there`);
  if (code === '_has') throw refuse(`${name}: reverse chaining (_has) is not supported in subscription criteria`);
  if (name.includes('.')) throw refuse(`${name}: chained parameters are not supported in subscription criteria`);
  const reason = NOT_EVALUABLE[code];
  if (reason !== undefined) throw refuse(`${name} is not supported in subscription criteria: ${reason}`);
  const def = searchParametersFor(resourceType).get(code);
  if (def?.type === 'composite') throw refuse(`${name} is a composite parameter, which is not supported in subscription criteria`);
}
