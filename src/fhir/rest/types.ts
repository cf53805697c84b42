/**
 * A FHIR interaction as plain data, independent of Express: the HTTP router and the batch/transaction
 * engine build these and hand them to the same dispatcher, and handlers return responses as data too
 * (they never write HTTP themselves; one adapter does).
 * @see https://hl7.org/fhir/R4/http.html
 */
import type { Readable } from 'node:stream';
import type { OperationOutcomeIssue, Resource } from 'fhir/r4.js';
import type { Logger } from '../../logger.js';
import type { ResourceStore } from '../../store/resource-store.js';
import type { JobManager } from '../../jobs/job-manager.js';
import type { FhirOperation } from './operation.js';
import type { WriteValidation } from '../../config.js';
import type { MatchThresholds } from '../../match/match-grade.js';

export interface FhirRequest {
  method: string;
  /** Path below the FHIR base, without leading slash: `Patient/123/_history/2`. Segments are decoded. */
  segments: string[];
  query: URLSearchParams;
  body?: unknown;
  /** The unread body, for operations that stream it (FhirOperation.streamsBody); `body` is then unset. */
  bodyStream?: Readable;
  /** The request's media type, lower case, without parameters. */
  contentType?: string;
  headers: {
    ifMatch?: string;
    ifNoneExist?: string;
    prefer?: string;
  };
}

export interface FhirResponse {
  status: number;
  /** A FHIR resource, or plain JSON (a job manifest). */
  body?: Resource | Record<string, unknown>;
  headers?: Record<string, string>;
  /** A file to stream as the body instead (a job's NDJSON output). */
  file?: { body: Readable; contentType: string };
  /** Validation issues of a write that did not block it; a batch entry answers them as its `response.outcome`. */
  issues?: OperationOutcomeIssue[];
}

export interface FhirContext {
  store: ResourceStore;
  /** Absolute URL of the FHIR base as the client sees it, without trailing slash. */
  baseUrl: string;
  logger: Logger;
  /** The operations this server offers, by code (without `$`). */
  operations: ReadonlyMap<string, FhirOperation>;
  /** Asynchronous jobs (`Prefer: respond-async`, `/_jobs/{id}`). */
  jobs: JobManager;
  /** Largest JSON body accepted, in bytes (operations that read their own body apply it too). */
  bodyLimitBytes: number;
  /** How REST writes are validated before they are stored (MEDGEN_VALIDATE_WRITES). */
  validateWrites: WriteValidation;
  /** The de-identification key (MEDGEN_DEID_KEY): `_deidentify` is refused without one. */
  deidKey?: string;
  /** `Patient/$match`'s certain and possible thresholds (MEDGEN_MATCH_THRESHOLD, …); the defaults when absent. */
  matchThresholds?: MatchThresholds;
  /** MEDGEN_SUBSCRIPTION_ENDPOINTS: where a Subscription may send notifications (absent or empty: the default rule). */
  subscriptionEndpoints?: readonly string[];
  /** The request's id (X-Request-Id, the client's when safe): REST writes name it in meta.source (src/lineage). */
  requestId: string;
}
