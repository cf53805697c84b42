/**
 * A change as readers outside the store see it (the `_changes` stream, notifications): what happened to which
 * version, without the content, which a reader fetches if it wants it.
 */
import type { ChangeEvent } from '../store/resource-store.js';

export type ChangeAction = 'create' | 'update' | 'delete';

export interface ChangeSummary {
  seq: number;
  action: ChangeAction;
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
}

/** Version 1 is a create; a deletion's version has no content; every other version is an update. */
export function actionOf(change: Pick<ChangeEvent, 'deleted' | 'versionId'>): ChangeAction {
  if (change.deleted) return 'delete';
  return change.versionId === '1' ? 'create' : 'update';
}

export function summarize(change: ChangeEvent): ChangeSummary {
  const { seq, resourceType, id, versionId, lastUpdated } = change;
  return { seq, action: actionOf(change), resourceType, id, versionId, lastUpdated };
}
