/**
 * Finds the Conditions that call for imaging, with their Patient and Encounter, from the store: for one
 * patient by search, for everyone by one pass over all Conditions (cheaper than a search per patient).
 */
import type { Condition, Encounter, Patient } from 'fhir/r4.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { parseSearchQuery } from '../search/parse-query.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';
import type { StudyTable } from './study-table.js';

type WithId<T> = T & { id: string };

export interface Candidate {
  patient: WithId<Patient>;
  condition: WithId<Condition>;
  encounter?: WithId<Encounter>;
}

const PAGE = 500;

/** Every current resource a search finds, page by page. */
async function searchAll(store: ResourceStore, type: string, params: Record<string, string>): Promise<StoredResource[]> {
  const all: StoredResource[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { query } = parseSearchQuery(type, new URLSearchParams({ ...params, _count: String(PAGE) }), { strict: true });
    const page = await store.search({ ...query, offset });
    all.push(...page.resources);
    if (page.resources.length < PAGE) return all;
  }
}

/** A resource by `Type/id` reference, or undefined when absent or deleted. */
async function readRef<T>(store: ResourceStore, ref: string | undefined, type: string): Promise<WithId<T> | undefined> {
  const match = ref === undefined ? null : new RegExp(`^${type}/([A-Za-z0-9\\-.]{1,64})$`).exec(ref);
  if (!match) return undefined;
  return store.read(type, match[1]).then(
    (r) => r as unknown as WithId<T>,
    (err) => {
      if (err instanceof OperationOutcomeError && (err.status === 404 || err.status === 410)) return undefined;
      throw err;
    },
  );
}

const callsForImaging = (table: StudyTable, c: Condition) => c.code?.coding?.some((coding) => coding.code !== undefined && table.forCondition(coding.code) !== undefined) ?? false;

async function withContext(store: ResourceStore, patient: WithId<Patient>, conditions: WithId<Condition>[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const condition of conditions) out.push({ patient, condition, encounter: await readRef<Encounter>(store, condition.encounter?.reference, 'Encounter') });
  return out;
}

/** Candidates of one patient; a 404/410 OperationOutcomeError when the patient does not exist. */
export async function candidatesOfPatient(store: ResourceStore, table: StudyTable, patientId: string): Promise<Candidate[]> {
  const patient = (await store.read('Patient', patientId)) as unknown as WithId<Patient>;
  const conditions = (await searchAll(store, 'Condition', { patient: `Patient/${patientId}` })) as unknown as WithId<Condition>[];
  return withContext(store, patient, conditions.filter((c) => callsForImaging(table, c)));
}

/** Candidates of every patient, grouped by patient. */
export async function* candidatesOfAll(store: ResourceStore, table: StudyTable): AsyncGenerator<Candidate[]> {
  const byPatient = new Map<string, WithId<Condition>[]>();
  for await (const c of store.stream('Condition')) {
    const condition = c as unknown as WithId<Condition>;
    const ref = condition.subject?.reference;
    if (!ref || !callsForImaging(table, condition)) continue;
    byPatient.set(ref, [...(byPatient.get(ref) ?? []), condition]);
  }
  for (const [ref, conditions] of byPatient) {
    const patient = await readRef<Patient>(store, ref, 'Patient');
    if (patient) yield withContext(store, patient, conditions);
  }
}
