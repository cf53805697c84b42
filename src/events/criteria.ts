/**
 * compileCriteria: an R4 Subscription.criteria (`Observation?patient=Patient/123&code=http://loinc.org|8867-4`,
 * or a bare type) read once, when the subscription is created or updated, into a matcher the delivery worker
 * runs on every change of the type. The query goes through the search engine's own parser under strict
 * handling, so criteria mean what the same search means and what the engine refuses is refused here too;
 * on top of that what the in-memory matcher cannot evaluate is refused (criteria-limits.ts). Every refusal is
 * a 400 OperationOutcome at `Subscription.criteria`.
 * @see https://hl7.org/fhir/R4/subscription-definitions.html#Subscription.criteria
 */
import type { Resource } from 'fhir/r4.js';
import { OperationOutcomeError, badRequest, issue, outcome } from '../fhir/outcomes.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { isKnownResourceType } from '../search/search-parameters.js';
import type { Criterion } from '../search/types.js';
import { CRITERIA, checkCriteriaParam } from './criteria-limits.js';
import { matchesCriteria } from './criteria-match.js';
import { containsNeedles, criteriaNeedles, requiredTexts } from './criteria-prefilter.js';

export interface CompiledCriteria {
  resourceType: string;
  /** The criteria as given. */
  text: string;
  /** Whether a stored resource (with id and meta.lastUpdated) is one the criteria's search would find. */
  matches(resource: Resource): boolean;
  /**
   * A cheap necessary condition on the resource's JSON text: false only when `matches` would be false, so a
   * change can be skipped without parsing it.
   */
  mayMatch(json: string): boolean;
  /** Texts the JSON of every match contains, for the store to look for (ResourceStore.changes `containing`). */
  requiredTexts: readonly string[];
}

const TYPE = /^[A-Z][A-Za-z]{0,63}$/;

/** An error of the search parser, said again about the criteria (its expression named the query parameter). */
function repointed(err: OperationOutcomeError): OperationOutcomeError {
  const first = err.outcome.issue?.[0];
  const message = `Subscription.criteria: ${first?.diagnostics ?? err.message}`;
  return new OperationOutcomeError(err.status, outcome(issue(first?.severity ?? 'error', first?.code ?? 'invalid', message, CRITERIA)));
}

function parseCriteria(resourceType: string, query: string): Criterion[] {
  const params = new URLSearchParams(query);
  for (const name of params.keys()) checkCriteriaParam(resourceType, name);
  try {
    return parseSearchQuery(resourceType, params, { strict: true }).query.criteria;
  } catch (err) {
    throw err instanceof OperationOutcomeError ? repointed(err) : err;
  }
}

/**
 * Reads `criteria` (`Type` or `Type?query`, the query as in a search URL) into a matcher; throws a 400
 * OperationOutcomeError at Subscription.criteria for anything the engine or the matcher does not support.
 */
export function compileCriteria(criteria: string): CompiledCriteria {
  const mark = criteria.indexOf('?');
  const resourceType = mark < 0 ? criteria : criteria.slice(0, mark);
  if (!TYPE.test(resourceType) || !isKnownResourceType(resourceType)) {
    const shown = JSON.stringify(resourceType.slice(0, 80));
    throw badRequest(`Subscription.criteria: ${shown} is not an R4 resource type; criteria are Type or Type?search-parameters, e.g. Observation?patient=Patient/123`, CRITERIA);
  }
  const parsed = mark < 0 ? [] : parseCriteria(resourceType, criteria.slice(mark + 1));
  const needles = criteriaNeedles(resourceType, parsed);
  return {
    resourceType,
    text: criteria,
    matches: (resource) => resource.resourceType === resourceType && matchesCriteria(parsed, resource),
    mayMatch: (json) => containsNeedles(needles, json),
    requiredTexts: requiredTexts(needles),
  };
}
