/**
 * The conditions "index row `x` of idx_ref names this target". A row whose target was stored when the row was
 * written carries the target's rid (`target_rid`), and only (pid, target_rid) indexes it; a row whose target
 * did not exist yet (or is none of ours: an unresolved id) keeps the id alone, indexed by (pid, target_id,
 * target_type). A bulk import's targets are new resources with increasing rids, so its rows append to the end
 * of the rid index instead of landing all over an index of random ids, which rewrote most of that index's
 * pages at every commit: the default benchmark import wrote 30% fewer bytes. A rid names one (type, id) for
 * ever: rows of `resources` are deleted only by clear(), which deletes every index row with them.
 * A target is looked up both ways, as two branches, each with the parameter's condition on `x.pid` of its own:
 * SQLite seeks an index for a branch of an OR only on what that branch itself says.
 */
import type { SqlValue } from './search-predicates.js';

/**
 * Every resource type the store holds, one index seek per type on resources (type, id), for an id searched
 * without its type (`subject=123`): SQLite would otherwise scan the whole table for the id.
 */
const STORED_TYPES = `WITH RECURSIVE t(type) AS (SELECT min(type) FROM resources
  UNION ALL SELECT (SELECT min(type) FROM resources WHERE type > t.type) FROM t WHERE t.type IS NOT NULL)
  SELECT type FROM t WHERE type IS NOT NULL`;

export interface Branch {
  sql: string;
  values: SqlValue[];
}

/** The two conditions on row `x`: by the target's rid, and by its id where no rid was known. */
export function targetConditions(typed: boolean): [byRid: string, byId: string] {
  if (!typed) return [`x.target_rid IN (SELECT rid FROM resources WHERE id = ? AND type IN (${STORED_TYPES}))`, 'x.target_rid IS NULL AND x.target_id = ?'];
  return ['x.target_rid = (SELECT rid FROM resources WHERE type = ? AND id = ?)', 'x.target_rid IS NULL AND x.target_type = ? AND x.target_id = ?'];
}

/** The branches matching rows that name `type/id`, or `id` of any type when the type is not given. */
export function targetBranches(type: string | undefined, id: string): Branch[] {
  const values = type === undefined ? [id] : [type, id];
  return targetConditions(type !== undefined).map((sql) => ({ sql, values }));
}
