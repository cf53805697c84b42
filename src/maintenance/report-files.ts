/**
 * Where the maintenance tasks `validate` and `statistics` put their reports: the file store under `reports/`
 * (the data folder's `reports/` by default, the bucket when MEDGEN_FILES_URL names one), so that the report of a
 * task that ran on any replica can be read from every one of them.
 */
import { openFileStore } from '../files/open-file-store.js';
import type { MaintenanceDeps } from './maintenance-deps.js';

const REPORTS = 'reports';

/** Writes each file as `reports/<name>`; where each one is: its path for the local folder, else its URL in the bucket. */
export async function saveReports(deps: MaintenanceDeps, files: { name: string; body: string }[]): Promise<string[]> {
  const store = openFileStore(deps.config.filesUrl, deps.config.dataDir);
  const written: string[] = [];
  for (const { name, body } of files) {
    const key = `${REPORTS}/${name}`;
    await store.write(key, body, { signal: deps.signal, contentType: name.endsWith('.html') ? 'text/html; charset=utf-8' : name.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8' });
    written.push(store.localPath(key) ?? `${store.location.replace(/\/$/, '')}/${key}`);
  }
  return written;
}
