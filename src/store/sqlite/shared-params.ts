/**
 * Search parameters whose index rows are kept under one parameter id for every resource type, the pseudo-type
 * `*`, instead of one id per type: `_source` (meta.source). Its values are unique per resource and share their
 * job's and file's prefix, so with one id an import's rows sit side by side in the (pid, value) index whatever
 * their types; with an id per type they fell into some twenty places of it, each a page the import's transaction
 * dirtied and the WAL wrote again (an import of 48,000 generated resources with lineage wrote 2,335 MB instead of
 * 2,423, and ran at 0.93 of the same import without lineage instead of 0.87). A search still names its type: the
 * rows it finds are of resources it then filters by type.
 */

/** The params-table type the shared parameters are recorded under. */
export const ANY_TYPE = '*';

const SHARED = new Set(['_source']);

/** The params-table type that (type, code) is indexed under. */
export const indexedType = (type: string, code: string): string => (SHARED.has(code) ? ANY_TYPE : type);

/** Codes indexed under ANY_TYPE, for the migration that moves rows stored per type before (schema.ts). */
export const sharedCodes = (): string[] => [...SHARED];
