/**
 * Whether two given names are forms of one name (schemas/match/nicknames.json, data so it can be extended
 * without code): "Bill" and "William", or "Bill" and "Will", both forms of William. Two formal names that
 * merely share a short form are not (Christopher and Christine both give "Chris").
 */
import { readFileSync } from 'node:fs';

const FORMS: Record<string, string[]> = JSON.parse(readFileSync(new URL('../../schemas/match/nicknames.json', import.meta.url), 'utf8')).forms;

/** Lower-case name → the lower-case formal names it is a form of, itself included when it is one. */
const FORMAL_OF = new Map<string, Set<string>>();
const formalOf = (name: string) => FORMAL_OF.get(name) ?? FORMAL_OF.set(name, new Set()).get(name)!;
for (const [formal, forms] of Object.entries(FORMS)) {
  const f = formal.toLowerCase();
  formalOf(f).add(f);
  for (const form of forms) formalOf(form.toLowerCase()).add(f);
}

/** Whether lower-case letters-only given names `a` and `b` are the same name under the table (equal names are). */
export function sameNameForms(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = FORMAL_OF.get(a);
  const fb = FORMAL_OF.get(b);
  if (!fa || !fb) return false;
  // A formal name is among its own formal names, so this holds when one is a form of the other, or both of one name.
  for (const f of fa) if (fb.has(f)) return true;
  return false;
}
