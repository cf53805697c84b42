/**
 * Reads of single resources and their history.
 * @see https://hl7.org/fhir/R4/http.html#read
 * @see https://hl7.org/fhir/R4/http.html#vread
 * @see https://hl7.org/fhir/R4/http.html#history
 */
import { resourceGone, resourceNotFound } from '../store-errors.js';
import type { RawVersionRecord, StoredResource, VersionRecord } from '../resource-store.js';
import type { Statements, VersionRow } from './statements.js';

/** A versions row as the store contract's VersionRecord. */
export function toVersionRecord(row: VersionRow): VersionRecord {
  const record: VersionRecord = {
    resourceType: row.type,
    id: row.id,
    versionId: String(row.version),
    lastUpdated: new Date(row.last_updated).toISOString(),
    deleted: row.deleted === 1,
  };
  if (row.json !== null) record.resource = JSON.parse(row.json) as StoredResource;
  return record;
}

/** A versions row with its JSON text as stored (backups copy it without parsing). */
export function toRawVersionRecord(row: VersionRow): RawVersionRecord {
  return {
    resourceType: row.type,
    id: row.id,
    versionId: String(row.version),
    lastUpdated: new Date(row.last_updated).toISOString(),
    deleted: row.deleted === 1,
    json: row.json,
  };
}

export function readCurrent(s: Statements, type: string, id: string): StoredResource {
  const cur = s.current.get(type, id);
  if (!cur) throw resourceNotFound(type, id);
  if (cur.deleted) throw resourceGone(type, id);
  return JSON.parse(s.json.get(cur.rid, cur.version) ?? 'null') as StoredResource;
}

export function readVersion(s: Statements, type: string, id: string, versionId: string): StoredResource {
  // Version ids are the store's own integers; anything else cannot name a version.
  const row = /^[1-9]\d{0,15}$/.test(versionId) ? s.version.get(type, id, Number(versionId)) : undefined;
  if (!row) throw resourceNotFound(type, id, versionId);
  if (row.deleted || row.json === null) throw resourceGone(type, id, versionId);
  return JSON.parse(row.json) as StoredResource;
}

export function readHistory(s: Statements, type: string, id: string): VersionRecord[] {
  const rows = s.history.all(type, id);
  if (!rows.length) throw resourceNotFound(type, id);
  return rows.map(toVersionRecord);
}
