/**
 * OperationOutcome construction and the one error type thrown across the code base.
 * Every error that reaches a client is an OperationOutcome; the HTTP status travels with it.
 * @see https://hl7.org/fhir/R4/operationoutcome.html
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';

export type IssueSeverity = OperationOutcomeIssue['severity'];
export type IssueCode = OperationOutcomeIssue['code'];

/** An OperationOutcome paired with the HTTP status it should be answered with. */
export class OperationOutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    /** Headers the answer must carry, such as the `Allow` of a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue?.[0]?.diagnostics ?? 'error');
    this.name = 'OperationOutcomeError';
  }
}

export function issue(
  severity: IssueSeverity,
  code: IssueCode,
  diagnostics: string,
  expression?: string | string[],
): OperationOutcomeIssue {
  const result: OperationOutcomeIssue = { severity, code, diagnostics };
  if (expression !== undefined) result.expression = Array.isArray(expression) ? expression : [expression];
  return result;
}

export function outcome(...issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

function fail(status: number, code: IssueCode, message: string, expression?: string | string[]): OperationOutcomeError {
  return new OperationOutcomeError(status, outcome(issue('error', code, message, expression)));
}

export const badRequest = (message: string, expression?: string | string[]) => fail(400, 'invalid', message, expression);
export const unauthorized = (message: string) => fail(401, 'login', message);
export const forbidden = (message: string) => fail(403, 'forbidden', message);
export const notFound = (message: string, expression?: string) => fail(404, 'not-found', message, expression);
/** A 405 names the methods the address does take in `Allow`, as RFC 9110 §15.5.6 requires. */
export const notAllowed = (message: string, allow: string[]) =>
  new OperationOutcomeError(405, outcome(issue('error', 'not-supported', message)), { Allow: allow.join(', ') });
export const conflict = (message: string, expression?: string) => fail(409, 'conflict', message, expression);
export const gone = (message: string) => fail(410, 'deleted', message);
export const preconditionFailed = (message: string, expression?: string) => fail(412, 'conflict', message, expression);
export const tooLarge = (message: string) => fail(413, 'too-costly', message);
export const notAcceptable = (message: string) => fail(406, 'not-supported', message);
export const unsupportedMediaType = (message: string) => fail(415, 'not-supported', message);
export const unprocessable = (message: string, expression?: string | string[]) => fail(422, 'processing', message, expression);
export const serverError = (message: string) => fail(500, 'exception', message);

/** An informational outcome for successful operations that have nothing else to return. */
export const allOk = (message = 'All OK'): OperationOutcome => outcome(issue('information', 'informational', message));

/** Whether an outcome carries an error or fatal issue. */
export function hasErrors(o: OperationOutcome): boolean {
  return (o.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** Turns anything thrown into an OperationOutcomeError, keeping the ones that already are. */
export function toOperationOutcomeError(err: unknown): OperationOutcomeError {
  if (err instanceof OperationOutcomeError) return err;
  return serverError(err instanceof Error ? err.message : String(err));
}
