/**
 * `createDataManagementRouter`: the whole FHIR API as an Express router a host app mounts under any path.
 * Dependencies are explicit (no module singletons), so two routers over two stores can live in one process.
 * Every route funnels into the same dispatcher the batch engine uses.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../src/config.js';
import type { FileArea } from '../src/files/file-area.js';
import type { FileStore } from '../src/files/file-store.js';
import { openFileStore } from '../src/files/open-file-store.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import { createJobManager } from '../src/jobs/create-job-manager.js';
import type { JobManager } from '../src/jobs/job-manager.js';
import { dispatch } from '../src/fhir/rest/dispatch.js';
import type { FhirContext, FhirRequest } from '../src/fhir/rest/types.js';
import { badRequest } from '../src/fhir/outcomes.js';
import { REQUEST_ID } from '../src/lineage/source-uri.js';
import type { Logger } from '../src/logger.js';
import { createSubscriptionWorker, type SubscriptionWorker } from '../src/events/subscription-worker.js';
import { DEFAULT_MATCH_THRESHOLDS } from '../src/match/match-grade.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { changeStream } from './change-stream.js';
import { bearerAuth } from './auth.js';
import { errorHandler } from './error-handler.js';
import { localizeDicomwebEndpoint } from '../src/imaging/endpoint-address.js';
import { dicomwebBaseFor } from '../src/imaging/endpoint-resource.js';
import { assertAcceptable } from './accept.js';
import { FORM_TYPE, mediaType, readFormBody, readJsonBody } from './read-body.js';
import { sendFhir } from './send.js';

export interface DataManagementRouterOptions {
  store: ResourceStore;
  files: FileArea;
  /** A host app may leave out `validateWrites` (REST writes are then validated strictly) and the file and job settings (the defaults). */
  config: Pick<Config, 'apiKeys' | 'bodyLimitBytes' | 'dataDir' | 'mongodbUri' | 'mongodbDb'> & Partial<Pick<Config, 'validateWrites' | 'filesUrl' | 'backupUrl' | 'jobConcurrency' | 'jobLeaseMs' | 'jobRetentionDays' | 'deidKey' | 'matchThreshold' | 'possibleMatchThreshold' | 'subscriptionEndpoints' | 'subscriptionHorizonMs' | 'subscriptionSecret'>>;
  logger: Logger;
  operations?: FhirOperation[];
  /** Where job files live; by default the one MEDGEN_FILES_URL names (`config.filesUrl`), else the data folder. */
  fileStore?: FileStore;
  /** Asynchronous jobs; by default a manager over the store and `fileStore`, which takes up pending jobs. Pass one to close it. */
  jobs?: JobManager;
  /** Subscription delivery; by default a worker over the store, closed by the router's `close`. Pass one to close it yourself. */
  subscriptions?: SubscriptionWorker;
}

/** The router, and `close` to stop what it started itself (the subscription worker when none was passed). */
export type DataManagementRouter = Router & { close(): Promise<void> };

/** The FHIR base as the client addressed it: scheme, host and the mount path. */
function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

/** Path segments and query from the raw URL, so a host app's query parser cannot turn keys into objects. */
function parseUrl(req: Request): { segments: string[]; query: URLSearchParams } {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  try {
    return {
      segments: path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s)),
      query: new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)),
    };
  } catch {
    throw badRequest('The request URL is not validly encoded');
  }
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The client's X-Request-Id when it is a short safe token (it goes into meta.source), else a fresh one. */
function requestIdOf(req: Request): string {
  const given = header(req, 'x-request-id');
  return given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
}

export function createDataManagementRouter(options: DataManagementRouterOptions): DataManagementRouter {
  const { store, config, logger } = options;
  const operations = new Map((options.operations ?? []).map((op) => [op.code, op]));
  const jobs = options.jobs ?? createJobManager({ fileStore: options.fileStore ?? openFileStore(config.filesUrl, config.dataDir), store, config, logger });
  const ownWorker = options.subscriptions
    ? undefined
    : createSubscriptionWorker({ store, logger, endpoints: config.subscriptionEndpoints, horizonMs: config.subscriptionHorizonMs, secret: config.subscriptionSecret, leaseMs: config.jobLeaseMs });
  const router = express.Router();
  const matchThresholds = { match: config.matchThreshold ?? DEFAULT_MATCH_THRESHOLDS.match, possible: config.possibleMatchThreshold ?? DEFAULT_MATCH_THRESHOLDS.possible };
  const isPublic = (req: Request) => req.method === 'GET' && /^\/metadata\/?(\?|$)/.test(req.url);
  if (logger.isLevelEnabled('debug')) {
    router.use((req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        logger.debug({ method: req.method, url: req.originalUrl, status: res.statusCode, ms }, 'request');
      });
      next();
    });
  }
  if (config.apiKeys.length > 0) router.use(bearerAuth(config.apiKeys, isPublic));
  router.get('/_changes', changeStream(store, logger));

  router.use(async (req: Request, res: Response) => {
    // Set first, so that an error answer echoes it too.
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    const { segments, query } = parseUrl(req);
    const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    const last = segments.at(-1) ?? '';
    const streams = hasBody && last.startsWith('$') && operations.get(last.slice(1))?.streamsBody === true;
    // A search posted as a form: its parameters join those of the URL, as R4 has them combined.
    const formSearch = req.method === 'POST' && last === '_search' && mediaType(req) === FORM_TYPE;
    if (formSearch) for (const [name, value] of await readFormBody(req, config.bodyLimitBytes)) query.append(name, value);
    assertAcceptable(req, query);
    const body = hasBody && !streams && !formSearch ? await readJsonBody(req, config.bodyLimitBytes) : undefined;
    const fhirRequest: FhirRequest = {
      method: req.method,
      segments,
      query,
      body,
      bodyStream: streams ? req : undefined,
      contentType: mediaType(req),
      headers: { ifMatch: header(req, 'if-match'), ifNoneExist: header(req, 'if-none-exist'), prefer: header(req, 'prefer') },
    };
    const ctx: FhirContext = { store, baseUrl: baseUrlOf(req), logger, operations, jobs, bodyLimitBytes: config.bodyLimitBytes, validateWrites: config.validateWrites ?? 'strict', deidKey: config.deidKey, matchThresholds, requestId, subscriptionEndpoints: config.subscriptionEndpoints };
    const response = await dispatch(ctx, fhirRequest);
    if (response.body) response.body = localizeDicomwebEndpoint(response.body, dicomwebBaseFor(ctx.baseUrl));
    sendFhir(req, res, response);
  });
  router.use(errorHandler(logger));
  return Object.assign(router, { close: async () => ownWorker?.close() });
}
