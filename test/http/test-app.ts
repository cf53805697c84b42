/** A real app over a real SQLite store in a temporary directory, for supertest. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export interface TestApp {
  app: Express;
  store: ResourceStore;
  close(): Promise<void>;
}

export async function makeTestApp(overrides: ConfigOverrides = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-http-'));
  const config = loadConfig({}, { dataDir, ...overrides });
  const store = await openStore(config);
  const files = new FileArea(dataDir);
  const logger = createLogger('silent');
  const jobs = createJobManager({ fileStore: new LocalFileStore(config.dataDir), store, config, logger });
  const app = createApp({ store, files, config, logger, jobs });
  return {
    app,
    store,
    close: async () => {
      await jobs.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const FHIR_JSON = 'application/fhir+json';

export function patient(family: string, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Patient',
    name: [{ family, given: ['Ann'] }],
    gender: 'female',
    birthDate: '1970-05-06',
    ...extra,
  };
}
