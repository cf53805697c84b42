/**
 * Search parameters whose index rows repeat rows of other parameters of the same resource, read off the R4
 * expressions: a union of other parameters (Observation `combo-code` is `code | component-code`) and a
 * reference restricted to one target type (`patient` is `subject.where(resolve() is Patient)`). The SQLite
 * store leaves out an alias row that a base row repeats, and searches an alias over its own rows and its
 * bases' (search-sql.ts), which answers exactly what storing every row did. On Synthea data these rows were
 * about a sixth of all index rows. Alias rows no base repeats are kept: `patient` on an absolute URL
 * (`http://…/Patient/1`) has no `subject` row naming type Patient.
 * @see https://hl7.org/fhir/R4/searchparameter-registry.html
 */
import { splitUnion } from '../../search/fhirpath-union.js';
import { searchParametersFor } from '../../search/search-parameters.js';

/** A parameter whose rows stand in for an alias's; with `targetType`, only rows naming that type do. */
export interface AliasBase {
  code: string;
  targetType?: string;
}

export type ParamAliases = ReadonlyMap<string, readonly AliasBase[]>;

const RESOLVE_IS = /^(.+)\.where\(resolve\(\) is ([A-Za-z]+)\)$/;
const INDEXED = new Set(['token', 'string', 'date', 'reference', 'number', 'quantity', 'uri']);
const byType = new Map<string, ParamAliases>();

interface Param {
  code: string;
  type: string;
  branches: string[];
}

/** Bases of a union alias: other parameters, each a subset of its branches, that together cover them all. */
function unionBases(p: Param, primaries: Param[]): AliasBase[] | undefined {
  const own = new Set(p.branches);
  const candidates = primaries
    .filter((q) => q.code !== p.code && q.type === p.type && q.branches.length < p.branches.length && q.branches.every((b) => own.has(b)))
    .sort((a, b) => b.branches.length - a.branches.length);
  const left = new Set(own);
  const bases: AliasBase[] = [];
  for (const q of candidates) {
    if (!q.branches.some((b) => left.has(b))) continue;
    bases.push({ code: q.code });
    for (const b of q.branches) left.delete(b);
  }
  return left.size === 0 ? bases : undefined;
}

function derive(resourceType: string): ParamAliases {
  const params: Param[] = [...searchParametersFor(resourceType).values()]
    .filter((p) => INDEXED.has(p.type) && p.expression)
    .map((p) => ({ code: p.code, type: p.type, branches: splitUnion(p.expression) }))
    .sort((a, b) => a.branches.length - b.branches.length || Number(RESOLVE_IS.test(a.branches[0])) - Number(RESOLVE_IS.test(b.branches[0])));
  // Fewest branches first, restricted references after plain ones, and only non-aliases serve as bases:
  // an alias standing on another alias would lose the rows that one left out.
  const aliases = new Map<string, AliasBase[]>();
  const primaries: Param[] = [];
  for (const p of params) {
    const restricted = p.type === 'reference' && p.branches.length === 1 ? RESOLVE_IS.exec(p.branches[0]) : null;
    const base = restricted ? primaries.find((q) => q.type === 'reference' && q.branches.length === 1 && q.branches[0] === restricted[1]) : undefined;
    const bases = restricted ? base && [{ code: base.code, targetType: restricted[2] }] : p.branches.length > 1 ? unionBases(p, primaries) : undefined;
    if (bases) aliases.set(p.code, bases);
    else primaries.push(p);
  }
  return aliases;
}

/** The aliases among the search parameters of `resourceType`, by code. */
export function paramAliases(resourceType: string): ParamAliases {
  let aliases = byType.get(resourceType);
  if (aliases === undefined) byType.set(resourceType, (aliases = derive(resourceType)));
  return aliases;
}
