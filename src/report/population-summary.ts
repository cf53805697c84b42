/**
 * The short report `full` prints: resources per type, the patients (sex, age groups, states, deaths) and
 * the most frequent conditions, read from the store by streaming.
 */
import type { Condition, Patient } from 'fhir/r4.js';
import type { ResourceStore } from '../store/resource-store.js';

export interface PopulationSummary {
  resources: number;
  byType: Record<string, number>;
  patients: { total: number; deceased: number; bySex: Record<string, number>; byAgeGroup: Record<string, number>; byState: Record<string, number> };
  topConditions: { code: string; display: string; patients: number }[];
}

const AGE_GROUPS = [0, 18, 35, 50, 65, 80];

function ageGroup(birthDate: string | undefined, at: Date): string {
  if (!birthDate) return 'unknown';
  const age = (at.getTime() - Date.parse(birthDate)) / (365.2425 * 86400000);
  const lower = [...AGE_GROUPS].reverse().find((a) => age >= a) ?? 0;
  const upper = AGE_GROUPS[AGE_GROUPS.indexOf(lower) + 1];
  return upper === undefined ? `${lower}+` : `${lower}-${upper - 1}`;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export async function populationSummary(store: ResourceStore, now = new Date()): Promise<PopulationSummary> {
  const byType = await store.countByType();
  const patients = { total: 0, deceased: 0, bySex: {}, byAgeGroup: {}, byState: {} } as PopulationSummary['patients'];
  for await (const r of store.stream('Patient')) {
    const p = r as Patient;
    patients.total++;
    if (p.deceasedDateTime || p.deceasedBoolean) patients.deceased++;
    bump(patients.bySex, p.gender ?? 'unknown');
    bump(patients.byAgeGroup, ageGroup(p.birthDate, p.deceasedDateTime ? new Date(p.deceasedDateTime) : now));
    bump(patients.byState, p.address?.[0]?.state ?? 'unknown');
  }
  const conditions = new Map<string, { display: string; patients: Set<string> }>();
  for await (const r of store.stream('Condition')) {
    const c = r as Condition;
    const coding = c.code?.coding?.[0];
    if (!coding?.code) continue;
    const entry = conditions.get(coding.code) ?? { display: coding.display ?? c.code?.text ?? coding.code, patients: new Set<string>() };
    entry.patients.add(c.subject?.reference ?? '');
    conditions.set(coding.code, entry);
  }
  const topConditions = [...conditions]
    .map(([code, { display, patients: p }]) => ({ code, display, patients: p.size }))
    .sort((a, b) => b.patients - a.patients || a.code.localeCompare(b.code))
    .slice(0, 10);
  return { resources: Object.values(byType).reduce((a, b) => a + b, 0), byType, patients, topConditions };
}

export function formatPopulationSummary(s: PopulationSummary): string {
  const pairs = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `${s.resources} resources: ${Object.entries(s.byType).map(([t, n]) => `${t} ${n}`).join(', ')}`,
    `${s.patients.total} patients (${s.patients.deceased} deceased); sex: ${pairs(s.patients.bySex)}`,
    `  age: ${pairs(s.patients.byAgeGroup)}`,
    `  state: ${pairs(s.patients.byState)}`,
    'top conditions (patients):',
    ...s.topConditions.map((c) => `  ${String(c.patients).padStart(4)}  ${c.display} (SNOMED ${c.code})`),
  ].join('\n');
}
