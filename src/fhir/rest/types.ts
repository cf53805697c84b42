/**
 * A FHIR interaction as plain data, independent of Express: the HTTP router and the batch/transaction
 * engine build these and hand them to the same dispatcher, and handlers return responses as data too
 * (they never write HTTP themselves; one adapter does).
 * @see https://hl7.org/fhir/R4/http.html
 */
import type { Resource } from 'fhir/r4.js';
import type { Logger } from '../../logger.js';
import type { ResourceStore } from '../../store/resource-store.js';
import type { FhirOperation } from './operation.js';

export interface FhirRequest {
  method: string;
  /** Path below the FHIR base, without leading slash: `Patient/123/_history/2`. Segments are decoded. */
  segments: string[];
  query: URLSearchParams;
  body?: unknown;
  headers: {
    ifMatch?: string;
    ifNoneExist?: string;
    prefer?: string;
  };
}

export interface FhirResponse {
  status: number;
  body?: Resource;
  headers?: Record<string, string>;
}

export interface FhirContext {
  store: ResourceStore;
  /** Absolute URL of the FHIR base as the client sees it, without trailing slash. */
  baseUrl: string;
  logger: Logger;
  /** The operations this server offers, by code (without `$`). */
  operations: ReadonlyMap<string, FhirOperation>;
}
