/**
 * The standalone server (`npm start`, `medgen-data serve`): the FHIR router at /fhir, `/health`, JSON 404s
 * elsewhere, and a graceful shutdown that lets in-flight requests finish before the store closes.
 */
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { createEnhanceImagingOperation } from '../operations/enhance-imaging.js';
import { bearerAuth } from '../routes/auth.js';
import { cors } from '../routes/cors.js';
import { createDataManagementRouter } from '../routes/create-router.js';
import { createDicomwebRouter } from '../routes/dicomweb-router.js';
import { createSubscriptionWorker, type SubscriptionWorker } from './events/subscription-worker.js';
import { errorHandler } from '../routes/error-handler.js';
import { type Config, isLoopbackHost } from './config.js';
import { FileArea } from './files/file-area.js';
import type { FileStore } from './files/file-store.js';
import { LocalFileStore } from './files/local-file-store.js';
import { openFileStore } from './files/open-file-store.js';
import { notFound } from './fhir/outcomes.js';
import type { Logger } from './logger.js';
import { operations } from '../operations/index.js';
import { createJobManager } from './jobs/create-job-manager.js';
import type { JobManager } from './jobs/job-manager.js';
import { migrateAtStart } from './maintenance/migrate-at-start.js';
import { parseSchedules, startSchedules } from './maintenance/schedules.js';
import { openStore } from './store/open-store.js';
import type { ResourceStore } from './store/resource-store.js';

export interface AppDependencies {
  store: ResourceStore;
  files: FileArea;
  /** Where DICOM instances and job files live (MEDGEN_FILES_URL); the data folder when left out. */
  fileStore?: FileStore;
  config: Config;
  logger: Logger;
  jobs?: JobManager;
  /** Subscription delivery; when left out the FHIR router starts its own. */
  subscriptions?: SubscriptionWorker;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.get('/health', async (_req, res) => {
    res.json({ status: 'ok', store: deps.store.kind });
  });
  if (deps.config.corsOrigins.length > 0) app.use(['/fhir', '/dicomweb'], cors(deps.config.corsOrigins));
  // $enhance-imaging writes the DICOM files that /dicomweb serves, so both are made over the same file store.
  const fileStore = deps.fileStore ?? new LocalFileStore(deps.config.dataDir);
  app.use('/fhir', createDataManagementRouter({ ...deps, operations: [...operations, createEnhanceImagingOperation(fileStore)] }));
  if (deps.config.apiKeys.length > 0) app.use('/dicomweb', bearerAuth(deps.config.apiKeys, () => false));
  app.use('/dicomweb', createDicomwebRouter({ ...deps, fileStore }));
  app.use((req, _res, next) => next(notFound(`No route for ${req.method} ${req.path.slice(0, 200)}`)));
  app.use(errorHandler(deps.logger));
  return app;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Refuses a non-loopback HOST without API keys (SPEC) and invalid MEDGEN_SCHEDULE_* expressions, opens the
 * store, applies pending migrations, starts the maintenance schedules and listens.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  if (config.apiKeys.length === 0 && !isLoopbackHost(config.host)) {
    throw new Error(`Refusing to listen on ${config.host} without MEDGEN_API_KEYS: set keys or use a loopback HOST such as 127.0.0.1`);
  }
  const schedules = parseSchedules(process.env);
  const fileStore = openFileStore(config.filesUrl, config.dataDir);
  await fileStore.check();
  const store = await openStore(config);
  // A start that fails after the store is open closes it, or its connection would keep the process alive.
  await migrateAtStart({ store, config, logger }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const files = new FileArea(config.dataDir);
  const jobs = createJobManager({ fileStore, store, config, logger });
  const cron = startSchedules(schedules, (task) => jobs.submit('maintenance', { task }));
  const subscriptions = createSubscriptionWorker({
    store,
    logger,
    endpoints: config.subscriptionEndpoints,
    horizonMs: config.subscriptionHorizonMs,
    secret: config.subscriptionSecret,
    leaseMs: config.jobLeaseMs,
  });
  const app = createApp({ store, files, fileStore, config, logger, jobs, subscriptions });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  }).catch(async (err: unknown) => {
    cron.stop();
    await subscriptions.close();
    await jobs.close();
    await store.close();
    throw err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, store: store.kind }, 'medgen-data listening');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      cron.stop();
      await subscriptions.close();
      await jobs.close();
      await store.close();
      logger.info('medgen-data stopped');
    })());
  return { server, url, close };
}
