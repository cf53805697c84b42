/**
 * The FHIRPath invariants of the R4 definitions (schemas/fhir-elements.json), each broken where its context
 * is in the original. Candidate changes: removing optional children the expression names (one, or two for
 * "at least one of" rules), and for rules that compare values a small table of setters (a Period ending
 * before it starts, a Range upside down, …). A candidate is kept only when fhirpath.js confirms that it
 * makes exactly this one constraint fail at this one element and no other. Rule families with a category of
 * their own (dom, txt, att, bdl, ref-1) are left to those.
 * @see https://hl7.org/fhir/R4/conformance-rules.html#constraints
 */
import { readFileSync } from 'node:fs';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { typeDefinition, type ConstraintDef, type ElementsFile } from '../../../src/validation/element-definitions.js';
import { memo, type Category, type Fault, type Site, type Subject } from '../fault.js';
import { edited, getAt, isObject, type Json } from '../json.js';
import { isComplex, walk, type Node } from '../walk.js';
import { BREAKERS, type Change } from './invariant-breakers.js';

const ELSEWHERE = /^(dom-|txt-|att-|bdl-|ref-1$)/;

type Compiled = (node: unknown, env: Record<string, unknown>) => unknown[];
const compiled = new Map<string, Compiled | null>();

function compile(base: string, expression: string): Compiled | null {
  const key = `${base}\n${expression}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, fhirpath.compile({ base, expression } as unknown as string, r4) as unknown as Compiled);
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

/** The error constraints that apply at a node: its type's and its element's. */
function constraintsAt(n: Node): ConstraintDef[] {
  if (n.parent && !isComplex(n)) return [];
  const all = [...(typeDefinition(n.type)?.def.constraints ?? []), ...(n.def?.constraints ?? [])];
  return all.filter((c) => c.severity === 'error' && !c.expression.includes('htmlChecks'));
}

/** Whether the constraint evaluates to false at the value (an evaluation fhirpath.js cannot do is no verdict). */
function fails(c: ConstraintDef, type: string, value: unknown, resource: Json): boolean {
  try {
    const result = compile(type, c.expression)?.(value, { resource, rootResource: resource });
    return result?.length === 1 && result[0] === false;
  } catch {
    return false;
  }
}

/** Constraints that look beyond their element's own subtree. */
const reachesOut = (c: ConstraintDef) => /%resource|%rootResource|descendants\(\)|resolve\(\)/.test(c.expression);

const related = (a: string, b: string) => a === b || (b.startsWith(a) && /^[.[]/.test(b.slice(a.length))) || (a.startsWith(b) && /^[.[]/.test(a.slice(b.length)));

/**
 * `key@path` of the error constraints that fail in the resource among those a change at `focus` can affect:
 * on the focus, its ancestors and its descendants, and the ones that reach out (of which those about
 * contained resources only when the resource has any).
 */
function failures(resource: Json, focus: string): Set<string> {
  const out = new Set<string>();
  const hasContained = Array.isArray(resource.contained);
  for (const n of walk(resource)) {
    const near = related(n.path, focus);
    for (const c of constraintsAt(n)) {
      if (!near && !(reachesOut(c) && (hasContained || !c.expression.includes('contained')))) continue;
      if (fails(c, n.type, n.value, resource)) out.add(`${c.key}@${n.path}`);
    }
  }
  return out;
}

/** Optional children of the node that the expression names (by element name), as their JSON keys. */
function namedChildren(n: Node, c: ConstraintDef): string[] {
  const value = n.value as Json;
  const type = typeDefinition(n.type);
  return Object.keys(value).filter((k) => {
    const p = type?.properties.get(k);
    if (!p || p.def.min > 0 || k === 'id' || k === 'extension' || k === 'modifierExtension') return false;
    return new RegExp(`\\b${p.element.replace('[x]', '')}\\b`).test(c.expression);
  });
}

/** Removal candidates: each named child alone, and pairs of them for rules that ask for one of several. */
function removals(n: Node, c: ConstraintDef): Change[] {
  const keys = namedChildren(n, c);
  const sets = keys.map((k) => [k]);
  if (/\bor\b|count\(\)/.test(c.expression)) for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length && sets.length < 8; j++) sets.push([keys[i], keys[j]]);
  const value = n.value as Json;
  return sets
    .filter((set) => !n.parent || Object.keys(value).some((k) => k !== 'id' && !set.includes(k) && !set.includes(k.slice(1))))
    .map((set) => ({
      id: `remove ${set.join('+')}`,
      apply: (v: Json) => {
        for (const k of set) {
          delete v[k];
          delete v[`_${k}`];
        }
      },
    }));
}

/** The failures around `focus` in the original, once per focus. */
const baseline = (subject: Subject, focus: string) => memo(subject, `invariant-baseline ${focus}`, () => failures(subject.resource, focus));

/** Every candidate of the subject by fault name, made once per subject. */
function candidates(subject: Subject, names: Map<string, string>): Map<string, Site[]> {
  return memo(subject, 'invariant', () => candidatesOf(subject, names));
}

function candidatesOf(subject: Subject, names: Map<string, string>): Map<string, Site[]> {
  const out = new Map<string, Site[]>();
  for (const n of subject.nodes) {
    if (!isObject(n.value)) continue;
    for (const c of constraintsAt(n)) {
      const name = names.get(`${c.key}\n${c.expression}`);
      if (!name) continue;
      const changes = [...removals(n, c), ...(BREAKERS[c.key]?.(n.value) ?? [])];
      const sites = changes.map(
        (change): Site => ({
          target: n.path,
          id: `${n.path}|${change.id}`,
          make: () => {
            const copy = edited(subject.resource, (r) => change.apply(getAt(r, n.at) as Json));
            // The constraint itself first: most candidates fail here, at the cost of one evaluation.
            if (!copy || !fails(c, n.type, getAt(copy, n.at), copy)) return undefined;
            const before = baseline(subject, n.path);
            const added = [...failures(copy, n.path)].filter((f) => !before.has(f));
            return added.length === 1 && added[0] === `${c.key}@${n.path}` ? copy : undefined;
          },
        }),
      );
      out.set(name, [...(out.get(name) ?? []), ...sites]);
    }
  }
  return out;
}


/**
 * One fault per constraint key; a key whose expression differs between types (inv-1 of Task and of
 * Parameters) gets one fault per resource it belongs to (`inv-1:Task`).
 */
function faults(): Fault[] {
  const file = JSON.parse(readFileSync(new URL('../../../schemas/fhir-elements.json', import.meta.url), 'utf8')) as ElementsFile;
  const found: [string, string, string][] = [];
  for (const [type, def] of Object.entries(file.types)) {
    const all = [...(def.constraints ?? []), ...Object.values(def.elements).flatMap((e) => e.constraints ?? [])];
    for (const c of all) if (c.severity === 'error' && !ELSEWHERE.test(c.key) && !c.expression.includes('htmlChecks')) found.push([c.key, c.expression, type.split('.')[0]]);
  }
  const expressions = new Map<string, Set<string>>();
  for (const [key, expression] of found) expressions.set(key, (expressions.get(key) ?? new Set()).add(expression));
  const names = new Map<string, string>();
  for (const [key, expression, owner] of found) names.set(`${key}\n${expression}`, expressions.get(key)!.size > 1 ? `${key}:${owner}` : key);
  return [...new Set(names.values())].sort().map((name) => ({ name, expect: 'error', sites: (s) => candidates(s, names).get(name) ?? [] }));
}

export const invariant: Category = { name: 'invariant', faults: faults() };
