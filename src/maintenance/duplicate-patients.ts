/**
 * The deterministic first pass of `dedupe`: pairs of patients with the same identifier (system and value), or
 * the same normalised family and given name, birth date, sex and address (first line, city, 5-digit postal
 * code). One pass over the records with a hash of keys; each record is paired with the first record that
 * held the key, which is enough to group them transitively. The matcher then scores these pairs like any
 * other (src/match/store-matches.ts): a pair the scores contradict, such as two people whose licence numbers
 * collide, is reported instead of merged.
 */
import type { Patient } from 'fhir/r4.js';

/** Lower case, accents and punctuation dropped, spaces collapsed: "O'Brien-Smith " ~ "obrien smith". */
const normalise = (s: string | undefined) =>
  (s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9 ]+/g, '').replace(/\s+/g, ' ').trim();

function demographicKey(p: Patient): string | undefined {
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  const a = p.address?.[0];
  if (!name?.family || !p.birthDate || !p.gender || !a) return undefined;
  return [normalise(name.family), normalise(name.given?.[0]), p.birthDate, p.gender, normalise(a.line?.[0]), normalise(a.city), (a.postalCode ?? '').slice(0, 5)].join('|');
}

/** A patient merged away by an earlier dedupe (active false with a replaced-by link): it takes no part. */
export const mergedAway = (p: Patient) => p.active === false && (p.link ?? []).some((l) => l.type === 'replaced-by');

export interface RulePair {
  /** Indexes of the records, as given. */
  left: number;
  right: number;
  reasons: string[];
}

/** The keys the rules pair a patient by: each identifier, and its demographics when complete. */
export function ruleKeys(p: Patient): string[] {
  const keys = (p.identifier ?? []).filter((x) => x.value).map((x) => `identifier ${x.system ?? ''}|${x.value}`);
  const demo = demographicKey(p);
  if (demo) keys.push(`demographics ${demo}`);
  return keys;
}

/** The pairs the rules find, given each record's keys (ruleKeys). */
export function deterministicPairs(keysOfRecords: readonly string[][]): RulePair[] {
  const firstWithKey = new Map<string, number>();
  const pairs = new Map<string, RulePair>();
  keysOfRecords.forEach((keys, i) => {
    for (const key of keys) {
      const other = firstWithKey.get(key);
      if (other === undefined) {
        firstWithKey.set(key, i);
        continue;
      }
      const reason = key.startsWith('identifier ') ? key : 'same name, birth date, sex and address';
      const pair = pairs.get(`${other} ${i}`) ?? pairs.set(`${other} ${i}`, { left: other, right: i, reasons: [] }).get(`${other} ${i}`)!;
      if (!pair.reasons.includes(reason)) pair.reasons.push(reason);
    }
  });
  return [...pairs.values()];
}
