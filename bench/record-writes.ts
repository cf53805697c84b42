/**
 * The write() calls of a store as the import bench's baselines replay them: each call's results and the ops its
 * `follow` added (an import's Provenance), which the store writes but does not return.
 */
import type { ResourceStore, WriteOp, WriteResult } from '../src/store/resource-store.js';

/**
 * Wraps `store.write` so that `record` sees every call's results and follow ops; `prepare` may change a follow op
 * before the store writes it (give it its id, so the replay knows it).
 */
export function onEachWrite(store: ResourceStore, record: (results: WriteResult[], followed: WriteOp[]) => void, prepare: (op: WriteOp) => WriteOp = (op) => op): void {
  const write = store.write.bind(store);
  store.write = async (ops, options) => {
    let followed: WriteOp[] = [];
    const given = options?.follow;
    const follow = given && ((results: WriteResult[]) => (followed = given(results).map(prepare)));
    const results = await write(ops, { ...options, follow });
    record(results, followed);
    return results;
  };
}
