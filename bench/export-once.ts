/**
 * One Bulk Data export of an embedded store, run by bench/export.ts in a process of its own so that the peak
 * RSS it reports is the export's, not that of the benchmark that generated and imported the data (loading the
 * import pipeline alone takes 140 MB). Usage: `node --import tsx bench/export-once.ts SQLITE_FILE OUT_DIR
 * [PROFILE]`; prints `{ items, seconds, rssBytes }` with the process's peak RSS.
 */
import { runExport } from '../src/export/run-export.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { secondsSince } from './result.js';

const [file, out, profile] = process.argv.slice(2);
const store = createSqliteStore({ path: file });
const begun = process.hrtime.bigint();
const result = await runExport({ store, request: profile ? { level: 'system', deidentify: profile } : { level: 'system' }, dir: out, deidKey: 'bench-key' });
const seconds = secondsSince(begun);
await store.close();
const items = result.output.reduce((n, f) => n + f.count, 0);
// maxRSS is in kilobytes: the most this process held at any time, the export's peak.
process.stdout.write(`${JSON.stringify({ items, seconds, rssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
