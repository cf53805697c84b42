/**
 * The shape of a FHIR operation (`$validate`, `$import`, …): each lives in one file under operations/ with
 * its OperationDefinition and a handler that returns a response as data.
 * @see https://hl7.org/fhir/R4/operations.html
 */
import type { OperationDefinition } from 'fhir/r4.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

export interface OperationTarget {
  resourceType?: string;
  id?: string;
}

export interface FhirOperation {
  /** The code without `$`, e.g. `validate`; also the OperationDefinition's id. */
  code: string;
  definition: OperationDefinition;
  /** The operation reads the request body itself (`FhirRequest.bodyStream`), e.g. to stream NDJSON. */
  streamsBody?: boolean;
  handler(ctx: FhirContext, req: FhirRequest, target: OperationTarget): Promise<FhirResponse>;
}
