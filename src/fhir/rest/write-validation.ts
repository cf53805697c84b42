/**
 * Validating what the REST writes store (create, update, and the entries of batches and transactions) with the
 * engine `$import` uses, judging as an import does (AS_STORED), so whatever imports strictly can also be
 * created one resource at a time, and nothing a strict import refuses gets in through REST.
 * Errors answer as R4 has it: 400 when the content is not valid FHIR (structure, types, formats, required
 * elements, bound codes), 422 when it is but breaks a rule (invariants, business rules). Warnings never block.
 * As in an import, strict answers errors only (best-practice warnings such as dom-6, "should have narrative",
 * would otherwise ride on nearly every write; `$validate` reports them), and warn answers every issue.
 * A Subscription is also held to what delivery can serve (src/events/subscription-rules.ts), in every mode:
 * its endpoint rule guards the server's own requests, which MEDGEN_VALIDATE_WRITES does not get to turn off.
 * @see https://hl7.org/fhir/R4/http.html#create
 */
import type { OperationOutcomeIssue, Resource, Subscription } from 'fhir/r4.js';
import { OperationOutcomeError, outcome } from '../outcomes.js';
import type { WriteValidation } from '../../config.js';
import { acceptSubscription } from '../../events/subscription-rules.js';
import { assertDocumentSize } from '../../store/document-limit.js';
import { AS_STORED, validateResource } from '../../validation/validate-resource.js';

/** Rule violations: the content is valid FHIR but breaks a constraint, 422. Every other error code is 400. */
const RULE_CODES = new Set<string>(['invariant', 'business-rule']);

const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';

/** 400 when any error is about the content's validity as FHIR, 422 when all of them are rule violations. */
export function statusOfErrors(issues: OperationOutcomeIssue[]): 400 | 422 {
  return issues.some((i) => isError(i) && !RULE_CODES.has(i.code)) ? 400 : 422;
}

/** An engine issue (rooted at the resource type) placed at a Bundle entry: `Bundle.entry[2].resource.birthDate`. */
export function atEntry(i: OperationOutcomeIssue, where: string): OperationOutcomeIssue {
  if (!i.expression) return { ...i, expression: [`${where}.resource`] };
  return { ...i, expression: i.expression.map((e) => `${where}.resource${e.replace(/^[A-Za-z]+/, '')}`) };
}

const asWarning = (i: OperationOutcomeIssue) => (isError(i) ? { ...i, severity: 'warning' as const } : i);

/**
 * The issues to answer for a resource about to be written, as the mode has them: strict throws a 400 or 422
 * carrying the errors when there are any, and answers nothing else; warn answers every issue, errors as
 * warnings. What is returned never blocks the write. A Subscription is checked in every mode and its status
 * settled on the resource itself (`requested` is stored `active`); `subscriptionEndpoints` are
 * MEDGEN_SUBSCRIPTION_ENDPOINTS' prefixes (empty or absent: the default rule).
 */
export function checkWrite(mode: WriteValidation, resource: Resource, subscriptionEndpoints: readonly string[] = []): OperationOutcomeIssue[] {
  if (resource.resourceType === 'Subscription') acceptSubscription(resource as Subscription, subscriptionEndpoints);
  if (mode === 'off') return [];
  // A resource too large for the stores is refused before it is walked: validating megabytes of text costs far
  // more than the 413 the store would answer anyway. Measuring is one JSON.stringify: 10 µs for a Synthea-style
  // Patient on 2 busy cores, against about 56 µs to validate it.
  assertDocumentSize(resource.resourceType, resource.id ?? '', JSON.stringify(resource), null);
  const issues = validateResource(resource, AS_STORED);
  if (mode === 'warn') return issues.map(asWarning);
  const errors = issues.filter(isError);
  if (errors.length > 0) throw new OperationOutcomeError(statusOfErrors(errors), outcome(...errors));
  return [];
}

/**
 * checkWrite for a transaction's resources, by entry (`Bundle.entry[i]`), each issue located there; strict
 * throws one 400 or 422 with the errors of every invalid entry, so nothing of the transaction is written.
 */
export function checkTransactionWrites(
  mode: WriteValidation,
  resources: { where: string; resource: Resource }[],
  subscriptionEndpoints: readonly string[] = [],
): Map<string, OperationOutcomeIssue[]> {
  for (const { where, resource } of resources) {
    if (resource.resourceType !== 'Subscription') continue;
    try {
      acceptSubscription(resource as Subscription, subscriptionEndpoints);
    } catch (err) {
      if (err instanceof OperationOutcomeError) throw new OperationOutcomeError(err.status, outcome(...(err.outcome.issue ?? []).map((i) => atEntry(i, where))));
      throw err;
    }
  }
  const found = new Map<string, OperationOutcomeIssue[]>();
  if (mode === 'off') return found;
  const errors: OperationOutcomeIssue[] = [];
  for (const { where, resource } of resources) {
    const issues = validateResource(resource, AS_STORED);
    if (mode === 'warn' && issues.length > 0) found.set(where, issues.map((i) => atEntry(asWarning(i), where)));
    if (mode === 'strict') for (const i of issues) if (isError(i)) errors.push(atEntry(i, where));
  }
  if (errors.length > 0) throw new OperationOutcomeError(statusOfErrors(errors), outcome(...errors));
  return found;
}

/** At most this many issues are named in a `Warning` header; the OperationOutcome holds them all. */
const HEADER_ISSUES = 5;

/** A `Warning: 299` header value (RFC 7234 §5.5, as the DICOMweb router uses) naming non-blocking issues. */
export function warningHeader(issues: OperationOutcomeIssue[]): string {
  const named = issues.slice(0, HEADER_ISSUES).map((i) => {
    const text = `${i.diagnostics ?? i.code}${i.expression?.length ? ` (at ${i.expression.join(', ')})` : ''}`;
    return `299 medgen-data "${text.slice(0, 300).replace(/[^\x20-\x7e]|"|\\/g, '?')}"`;
  });
  if (issues.length > HEADER_ISSUES) named.push(`299 medgen-data "and ${issues.length - HEADER_ISSUES} more issues"`);
  return named.join(', ');
}
