/**
 * The resource types a backup reads. countByType() only names types with live resources, but a backup
 * must also keep the history of types whose every resource was deleted, so the R4 type list is added:
 * asking an empty type for its history is one indexed lookup.
 */
import { resourceTypes } from '../search/search-parameters.js';
import type { ResourceStore } from '../store/resource-store.js';

export async function typesWithHistory(store: ResourceStore): Promise<string[]> {
  return [...new Set([...Object.keys(await store.countByType()), ...resourceTypes()])].sort();
}
