/**
 * A resource's versions as readers must see them, from its history documents and its resource document. The
 * resource document is the truth (apply-changes.ts): a history document above its version is a stray (a write
 * that was undone, or a clear() cut short) and is not a version; the current version's history document may be
 * missing for a moment (or until the next write, after a crash between the two writes), and is then the
 * resource document itself.
 */
import { type HistoryDoc, type ResourceDoc, toHistoryDoc } from './documents.js';

/** The versions of one resource, newest first; none when the resource document is absent. */
export function storedVersions(current: ResourceDoc | null, history: HistoryDoc[]): HistoryDoc[] {
  if (current === null) return [];
  const kept = history.filter((h) => h.v < current.v);
  return [toHistoryDoc(current), ...kept.sort((a, b) => b.v - a.v)];
}

/** Version `v` of a resource, given its history document for `v` (null: none stored). */
export function storedVersion(current: ResourceDoc | null, v: number, doc: HistoryDoc | null): HistoryDoc | null {
  if (current === null || v > current.v) return null;
  return v === current.v ? toHistoryDoc(current) : doc;
}
