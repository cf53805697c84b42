/**
 * `import --store mongo`: the strict import of the bench data into a MongoDB store (MONGODB_URI), against
 * the driver's insertMany of the same finished documents in the same run (insert-many-replay.ts). Both run
 * after a warm-up import into another database; all of them are the run's own (mongo-bench-run.ts). The
 * result names the server (from buildInfo), since MongoDB and FerretDB (a MongoDB wire-protocol server over
 * SQLite) differ by orders of magnitude on the same queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { createImportContext } from '../src/import/import-context.js';
import { runImportOf } from '../src/import/run-import.js';
import { createLogger } from '../src/logger.js';
import { serverFeatures } from '../src/store/mongo/server-features.js';
import { benchDataDir } from './bench-data.js';
import { peakRss, readyValidators, warmUp } from './import-steps.js';
import { insertManyReplay, recordDocuments } from './insert-many-replay.js';
import { startMongoBenchRun } from './mongo-bench-run.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

/** "FerretDB v1.24.2" or "MongoDB 7.0.14": FerretDB names itself in buildInfo, next to the MongoDB version it mimics. */
async function serverName(db: Db): Promise<string> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${String(info.version)}`;
}

/**
 * Patients of the generated data (unless `--count N` or `--data DIR`) and of the warm-up: fewer than the SQLite
 * bench's 200 and 20, since FerretDB v1.24.2 writes about 600 documents/s (so 50 patients, 10,891 resources,
 * import in about 20 s) and every lookup there scans the whole collection, so the few an import still makes
 * grow with the store.
 */
const PATIENTS = 50;
const WARM_UP_PATIENTS = 10;

function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (uri) return uri;
  process.stderr.write('import --store mongo needs MONGODB_URI (e.g. eval "$(tools/ferretdb/start.sh)" for FerretDB)\n');
  process.exit(2);
}

export async function benchMongoImport(args: string[]): Promise<BenchResult[]> {
  const uri = mongoUri();
  const generated = !args.includes('--data');
  const data = await benchDataDir(args, PATIENTS);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-mongo-'));
  const run = await startMongoBenchRun(uri, () => {
    fs.rmSync(work, { recursive: true, force: true });
    if (generated) fs.rmSync(data, { recursive: true, force: true });
  });
  try {
    const server = await serverName(run.client.db('admin'));
    const { maxBulkOps } = await serverFeatures(run.client.db('admin'));
    await readyValidators();
    await warmUp(work, await run.openStore('warm'), WARM_UP_PATIENTS);

    const store = await run.openStore('import');
    const calls = recordDocuments(store);
    const ctx = createImportContext({ store, mode: 'strict', logger: createLogger('warn') });
    const rss = peakRss();
    const start = process.hrtime.bigint();
    const summary = await runImportOf(ctx, { kind: 'paths', paths: [data] });
    const importSeconds = secondsSince(start);
    const peak = rss.stop();
    await store.close();
    if (summary.failed > 0) process.stderr.write(`import bench: ${summary.failed} entries failed, e.g. ${JSON.stringify(summary.failures[0]).slice(0, 300)}\n`);

    const baseline = await insertManyReplay(run.db('import'), calls, maxBulkOps);
    const items = summary.created + summary.updated + summary.unchanged + summary.failed;
    const result = benchResult('import', 'resources', items, importSeconds, 'insertMany of the same documents', baseline.resources / baseline.seconds, peak);
    return [{ ...result, server }];
  } finally {
    await run.end();
  }
}
