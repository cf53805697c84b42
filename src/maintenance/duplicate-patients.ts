/**
 * Which patients are the same person: the same identifier (system and value), or the same normalised
 * family and given name, birth date, sex and address (first line, city, 5-digit postal code). Matches are
 * grouped transitively (union-find), so A~B by identifier and B~C by demographics make one group.
 * Patients already merged away (active false with a replaced-by link) take no part.
 */
import type { Patient } from 'fhir/r4.js';
import type { ResourceStore } from '../store/resource-store.js';

/** Lower case, accents and punctuation dropped, spaces collapsed: "O'Brien-Smith " ~ "obrien smith". */
export const normalise = (s: string | undefined) =>
  (s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9 ]+/g, '').replace(/\s+/g, ' ').trim();

function demographicKey(p: Patient): string | undefined {
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  const a = p.address?.[0];
  if (!name?.family || !p.birthDate || !p.gender || !a) return undefined;
  return [normalise(name.family), normalise(name.given?.[0]), p.birthDate, p.gender, normalise(a.line?.[0]), normalise(a.city), (a.postalCode ?? '').slice(0, 5)].join('|');
}

const mergedAway = (p: Patient) => p.active === false && (p.link ?? []).some((l) => l.type === 'replaced-by');

/** Groups of two or more patient ids (each sorted), with the reason each group was formed. */
export async function findDuplicatePatients(store: ResourceStore): Promise<{ ids: string[]; reasons: string[] }[]> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const reasons = new Map<string, Set<string>>();
  const firstWithKey = new Map<string, string>();
  const patients: Patient[] = [];
  for await (const r of store.stream('Patient')) {
    const p = r as Patient & { id: string };
    if (mergedAway(p)) continue;
    patients.push(p);
    parent.set(p.id, p.id);
    const keys = (p.identifier ?? []).filter((i) => i.value).map((i) => `identifier ${i.system ?? ''}|${i.value}`);
    const demo = demographicKey(p);
    if (demo) keys.push(`demographics ${demo}`);
    for (const key of keys) {
      const other = firstWithKey.get(key);
      if (other === undefined) firstWithKey.set(key, p.id);
      else {
        parent.set(find(p.id), find(other));
        (reasons.get(p.id) ?? reasons.set(p.id, new Set()).get(p.id)!).add(key.split(' ')[0] === 'identifier' ? key : 'same name, birth date, sex and address');
      }
    }
  }
  const groups = new Map<string, string[]>();
  for (const p of patients) (groups.get(find(p.id!)) ?? groups.set(find(p.id!), []).get(find(p.id!))!).push(p.id!);
  return [...groups.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => ({ ids: ids.sort(), reasons: [...new Set(ids.flatMap((id) => [...(reasons.get(id) ?? [])]))] }));
}
