/**
 * computeIndex: what one resource contributes to the search and reference indexes, computed on every write.
 * Each parameter's expression is compiled once per resource type into native path plans (compile-path.ts),
 * with fhirpath.js only for the rare expressions the walker does not cover.
 * `_id` and `_lastUpdated` are not indexed: the stores answer them from the resource row.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type { Resource } from 'fhir/r4.js';
import { compileFallback, type FallbackPath } from './fallback-path.js';
import { compilePath, type PathPlan } from './compile-path.js';
import { splitUnion } from './fhirpath-union.js';
import { addIndexValue } from './index-values.js';
import { referenceLinks } from './reference-links.js';
import { searchParametersFor } from './search-parameters.js';
import type { IndexEntries, IndexedParamType } from './types.js';
import { walkPath, type Found } from './walk-path.js';

interface CompiledParam {
  code: string;
  type: IndexedParamType;
  plans: PathPlan[];
  fallbacks: FallbackPath[];
}

const ROW_PARAMS = new Set(['_id', '_lastUpdated']);
const compiledByType = new Map<string, CompiledParam[]>();

/** The indexed parameters of a type with their compiled expressions; exported for the equivalence test. */
export function compiledParams(resourceType: string): CompiledParam[] {
  let compiled = compiledByType.get(resourceType);
  if (compiled !== undefined) return compiled;
  compiled = [];
  for (const def of searchParametersFor(resourceType).values()) {
    if (def.type === 'composite' || def.type === 'special' || def.expression === '' || ROW_PARAMS.has(def.code)) continue;
    const param: CompiledParam = { code: def.code, type: def.type, plans: [], fallbacks: [] };
    for (const branch of splitUnion(def.expression)) {
      const plan = compilePath(branch);
      if (plan !== null) param.plans.push(plan);
      else param.fallbacks.push(compileFallback(branch));
    }
    compiled.push(param);
  }
  compiledByType.set(resourceType, compiled);
  return compiled;
}

// Reused by every call (computeIndex is synchronous); emptied before each parameter.
const found: Found = { values: [], types: [], count: 0 };

/**
 * The index entries of `resource`: values of every indexed search parameter of its type, and every
 * reference it holds (`links`). A resource of an unknown type has only links.
 */
export function computeIndex(resource: Resource): IndexEntries {
  const entries: IndexEntries = { tokens: [], strings: [], dates: [], references: [], numbers: [], uris: [], links: [] };
  let used = 0;
  for (const param of compiledParams(resource.resourceType)) {
    if (found.count > used) used = found.count;
    found.count = 0;
    for (let i = 0; i < param.plans.length; i++) walkPath(param.plans[i], resource, found);
    for (let i = 0; i < param.fallbacks.length; i++) param.fallbacks[i](resource, found);
    for (let i = 0; i < found.count; i++) addIndexValue(entries, param.code, param.type, found.values[i], found.types[i]);
  }
  // Drop the references into this resource, so that it can be collected.
  found.values.fill(undefined, 0, Math.max(used, found.count));
  entries.links = referenceLinks(resource);
  return entries;
}
