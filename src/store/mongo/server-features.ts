/**
 * What the connected server can do that the store's queries depend on, asked once at connection. FerretDB
 * names itself in `buildInfo` (`ferretdbVersion`). Its v1 line (over SQLite or PostgreSQL) differs in two ways
 * the store must work around, both measured here against v1.24.2:
 * - no working `$elemMatch` on embedded documents (see element-match.ts); FerretDB 2.x, built on
 *   DocumentDB, has it;
 * - an update or delete command of 100 or more statements never answers, and the server then hangs for every
 *   client: each statement holds one of its 100 pooled SQLite connections until the command ends. Bulks are
 *   therefore sent in parts of at most 50 operations (the driver sends each kind of op of a part as one command).
 * @see https://www.mongodb.com/docs/manual/reference/command/buildInfo/
 * @see https://docs.ferretdb.io/migration/compatibility/
 */
import type { Db } from 'mongodb';

export interface ServerFeatures {
  /** Whether the server matches one array element against several conditions (`$elemMatch`). */
  perElementMatch: boolean;
  /** Operations per bulk write command the server takes safely. */
  maxBulkOps: number;
}

const FERRETDB_V1_MAX_BULK_OPS = 50;

export async function serverFeatures(db: Db): Promise<ServerFeatures> {
  const info = await db.admin().command({ buildInfo: 1 });
  const ferretV1 = typeof info.ferretdbVersion === 'string' && /^v?1\./.test(info.ferretdbVersion);
  return ferretV1 ? { perElementMatch: false, maxBulkOps: FERRETDB_V1_MAX_BULK_OPS } : { perElementMatch: true, maxBulkOps: Infinity };
}
