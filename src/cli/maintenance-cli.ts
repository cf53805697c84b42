/** Opens the configured store for one maintenance command and closes it afterwards, whatever happens. */
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import type { MaintenanceDeps } from '../maintenance/maintenance-deps.js';
import { openStore } from '../store/open-store.js';

export async function withMaintenanceDeps<T>(config: Config, fn: (deps: MaintenanceDeps) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await fn({ store, config, logger: createLogger('warn') });
  } finally {
    await store.close();
  }
}
