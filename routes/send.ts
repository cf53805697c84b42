/**
 * The adapter from handler results (FhirResponse, OperationOutcomeError) to HTTP responses, always
 * `application/fhir+json`.
 */
import type { Response } from 'express';
import type { OperationOutcomeError } from '../src/fhir/outcomes.js';
import type { FhirResponse } from '../src/fhir/rest/types.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function sendFhir(res: Response, response: FhirResponse, headOnly = false): void {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', FHIR_JSON);
  const text = JSON.stringify(response.body);
  if (headOnly) {
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end();
    return;
  }
  res.send(text);
}

export function sendOutcome(res: Response, error: OperationOutcomeError): void {
  res.status(error.status).setHeader('Content-Type', FHIR_JSON);
  res.send(JSON.stringify(error.outcome));
}
