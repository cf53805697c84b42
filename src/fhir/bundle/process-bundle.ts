/**
 * `POST [base]` with a transaction or batch Bundle.
 * @see https://hl7.org/fhir/R4/http.html#transaction
 */
import type { Bundle } from 'fhir/r4.js';
import { badRequest, toOperationOutcomeError } from '../outcomes.js';
import { asResource } from '../resource-body.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../rest/types.js';
import { processBatch } from './batch.js';
import { parseEntryRequest } from './entry-request.js';
import { processTransaction } from './transaction.js';

export async function processBundle(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const bundle = asResource(req.body, 'Bundle') as Bundle;
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') {
    throw badRequest(`POST to the base takes a transaction or batch Bundle, not "${String(bundle.type).slice(0, 40)}"`, 'Bundle.type');
  }
  const raw: unknown = bundle.entry ?? [];
  if (!Array.isArray(raw)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  if (bundle.type === 'transaction') {
    const entries = raw.map((entry, index) => parseEntryRequest(entry, index, ctx.baseUrl));
    return { status: 200, body: await processTransaction(ctx, req, entries) };
  }
  const entries = raw.map((entry, index) => {
    try {
      return parseEntryRequest(entry, index, ctx.baseUrl);
    } catch (err) {
      return toOperationOutcomeError(err);
    }
  });
  return { status: 200, body: await processBatch(ctx, req, entries) };
}
