/**
 * An app over a real store (SQLite in a temporary folder, or a fresh database of a MongoDB server) with a
 * subscription worker paced for tests (rounds every 20 ms, retries from 50 ms), and Subscription bodies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { MongoClient } from 'mongodb';
import type { Subscription } from 'fhir/r4.js';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { PAYLOAD_CONTENT_URL, HEARTBEAT_PERIOD_URL, type PayloadContent } from '../../src/events/subscription-channel.js';
import { createSubscriptionWorker, type SubscriptionWorker, type SubscriptionWorkerOptions } from '../../src/events/subscription-worker.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export const SECRET = 'test-subscription-secret';

export interface SubscriptionApp {
  app: Express;
  store: ResourceStore;
  worker: SubscriptionWorker;
  close(): Promise<void>;
}

let databases = 0;

export interface SubscriptionAppOptions {
  /** A MongoDB server to make a fresh database on; SQLite when absent. */
  mongodbUri?: string;
  /** The worker's pace, horizon and so on, over the tests' defaults. */
  worker?: Partial<SubscriptionWorkerOptions>;
  config?: ConfigOverrides;
}

export async function subscriptionApp(options: SubscriptionAppOptions = {}): Promise<SubscriptionApp> {
  const { mongodbUri } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-subscriptions-'));
  const mongodbDb = `medgen_subscriptions_${process.pid}_${++databases}`;
  const config = loadConfig({}, { ...options.config, dataDir, mongodbUri, mongodbDb, subscriptionSecret: SECRET });
  const store = await openStore(config);
  const logger = createLogger('silent');
  const jobs = createJobManager({ fileStore: new LocalFileStore(dataDir), store, config, logger });
  const subscriptions = createSubscriptionWorker({
    store,
    logger,
    endpoints: config.subscriptionEndpoints,
    secret: SECRET,
    pollMs: 20,
    retryBaseMs: 50,
    retryCapMs: 400,
    timeoutMs: 2000,
    ...options.worker,
  });
  const app = createApp({ store, files: new FileArea(dataDir), config, logger, jobs, subscriptions });
  return {
    app,
    store,
    worker: subscriptions,
    close: async () => {
      await subscriptions.close();
      await jobs.close();
      await store.close();
      if (mongodbUri) {
        const client = await new MongoClient(mongodbUri).connect();
        await client.db(mongodbDb).dropDatabase().finally(() => client.close());
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A rest-hook Subscription body; `content` undefined leaves the payload out (R4: an empty notification). */
export function subscription(criteria: string, endpoint: string, content?: PayloadContent, extra: Partial<Subscription> = {}): Subscription {
  const channel: Record<string, unknown> = { type: 'rest-hook', endpoint };
  if (content) {
    channel.payload = 'application/fhir+json';
    channel._payload = { extension: [{ url: PAYLOAD_CONTENT_URL, valueCode: content }] };
  }
  return { resourceType: 'Subscription', status: 'requested', reason: 'test', criteria, channel: channel as unknown as Subscription['channel'], ...extra };
}

/** A channel extension asking for a heartbeat every `seconds`. */
export const heartbeat = (seconds: number) => ({ url: HEARTBEAT_PERIOD_URL, valueUnsignedInt: seconds });
