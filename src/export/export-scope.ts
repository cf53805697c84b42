/**
 * What an export selects, decided per resource: the patients whose compartments it covers (a Group's members,
 * the `patient` parameter, or every patient), the `_typeFilter` searches (run once, as id sets), the
 * `_elements` kept per type, and with `_deidentify` the de-identified copy written in each resource's place.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html
 */
import type { Group, Resource } from 'fhir/r4.js';
import type { Deidentifier } from '../deidentify/deidentifier.js';
import { notFound, unprocessable } from '../fhir/outcomes.js';
import { selectElements } from '../fhir/resource-subset.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { parseReference } from '../search/parse-reference.js';
import { MAX_COUNT } from '../search/result-params.js';
import type { ResourceStore } from '../store/resource-store.js';
import type { ExportRequest } from './export-request.js';
import { compartmentPatients } from './patient-compartment.js';

/** The patients a Group lists as members: active ones, referenced as `Patient/id`. 404 for an unknown Group. */
export async function groupMembers(store: ResourceStore, id: string): Promise<Set<string>> {
  let group: Group;
  try {
    group = (await store.read('Group', id)) as Group;
  } catch (err) {
    if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 410) throw notFound(`Group/${id} does not exist`, 'Group');
    throw err;
  }
  const members = new Set<string>();
  for (const member of group.member ?? []) {
    if (member.inactive === true) continue;
    const parsed = typeof member.entity?.reference === 'string' ? parseReference(member.entity.reference) : null;
    if (parsed?.type === 'Patient' && parsed.id !== null) members.add(parsed.id);
  }
  if (members.size === 0) throw unprocessable(`Group/${id} has no active Patient members to export`, 'Group.member');
  return members;
}

/** The ids each `_typeFilter` type's searches match (a resource passes when one of its type's searches does). */
export async function typeFilterIds(store: ResourceStore, filters: ExportRequest['typeFilters']): Promise<Map<string, Set<string>>> {
  const ids = new Map<string, Set<string>>();
  for (const [type, queries] of Object.entries(filters ?? {})) {
    const matched = new Set<string>();
    for (const q of queries) {
      const { criteria } = parseSearchQuery(type, new URLSearchParams(q), { strict: true }).query;
      for (let offset = 0; ; offset += MAX_COUNT) {
        const { resources } = await store.search({ resourceType: type, criteria, sort: [], count: MAX_COUNT, offset, summaryCount: false });
        for (const r of resources) matched.add(r.id);
        if (resources.length < MAX_COUNT) break;
      }
    }
    ids.set(type, matched);
  }
  return ids;
}

export class ExportScope {
  private readonly elementsByType = new Map<string, string[] | null>();

  /** `members`: the patients in scope; undefined at the patient level without `patient`: every patient. */
  constructor(
    readonly request: ExportRequest,
    readonly members: Set<string> | undefined,
    private readonly filters: Map<string, Set<string>>,
    readonly deid?: Deidentifier,
  ) {}

  get byPatient(): boolean {
    return this.request.level !== 'system';
  }

  typeWanted(type: string): boolean {
    return this.request.types === undefined || this.request.types.includes(type);
  }

  passesFilter(type: string, id: string): boolean {
    const ids = this.filters.get(type);
    return ids === undefined || ids.has(id);
  }

  changedSince(lastUpdated: string): boolean {
    return this.request.since === undefined || Date.parse(lastUpdated) >= Date.parse(this.request.since);
  }

  patientInScope(id: string): boolean {
    return this.members === undefined || this.members.has(id);
  }

  /** Whether a resource is in the compartment of a patient in scope. */
  inCompartment(resource: Resource): boolean {
    return compartmentPatients(resource).some((p) => this.patientInScope(p));
  }

  /** Whether a resource reached through a reference belongs to no patient out of scope. */
  noOtherPatient(resource: Resource): boolean {
    return compartmentPatients(resource).every((p) => this.patientInScope(p));
  }

  /** The `_elements` that apply to a type, or null when the whole resource is exported. */
  elementsOf(type: string): string[] | null {
    let names = this.elementsByType.get(type);
    if (names === undefined) {
      const all = this.request.elements ?? [];
      const own = all.filter((n) => !n.includes('.') || n.startsWith(`${type}.`));
      names = own.length === 0 ? null : own;
      this.elementsByType.set(type, names);
    }
    return names;
  }

  /**
   * The line exported for a resource: its stored JSON, or the subset `_elements` asks, de-identified when asked.
   * The whole resource names the compartment whose date shift applies: `_elements` may leave out its subject.
   */
  lineOf(type: string, json: string, parsed?: Resource): string {
    const names = this.elementsOf(type);
    if (names === null && this.deid === undefined) return json;
    const resource = parsed ?? (JSON.parse(json) as Resource);
    const kept = names === null ? resource : selectElements(resource, names);
    return JSON.stringify(this.deid === undefined ? kept : this.deid.deidentify(kept, this.deid.patientOf(resource)));
  }
}
