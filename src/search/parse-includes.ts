/**
 * `_include` and `_revinclude` values: `Type:param`, `Type:param:TargetType` or `Type:*`, with the
 * `:iterate` modifier (and its R4 alias `:recurse`) on the parameter name. What names no reference search
 * parameter or no resource type is UnsupportedSearch: ignored and noted, or a 400 under strict handling.
 * @see https://hl7.org/fhir/R4/search.html#include
 */
import { isResourceType } from '../validation/fhir-schema.js';
import { searchParametersFor } from './search-parameters.js';
import { UnsupportedSearch } from './unsupported.js';

export interface IncludeSpec {
  /** `_revinclude`: the resources that reference the found ones, instead of those they reference. */
  reverse: boolean;
  /** Also followed from included resources, not only from matches. */
  iterate: boolean;
  /** The type holding the reference (for `_revinclude` the type of the resources brought in). */
  sourceType: string;
  /** A reference search parameter of sourceType, or `*` for every reference it holds. */
  param: string;
  targetType?: string;
}

/** Whether a query parameter name is `_include` or `_revinclude`, with or without a modifier. */
export function isIncludeParam(name: string): boolean {
  return /^_(rev)?include(:|$)/.test(name);
}

export function parseInclude(name: string, value: string): IncludeSpec {
  const [base, modifier, ...more] = name.split(':');
  if (more.length > 0 || (modifier !== undefined && modifier !== 'iterate' && modifier !== 'recurse')) {
    throw new UnsupportedSearch(name, `${name}: the only modifiers of ${base} are :iterate and :recurse`);
  }
  const [sourceType, param, targetType, ...rest] = value.split(':');
  if (rest.length > 0 || param === undefined || param === '') {
    throw new UnsupportedSearch(name, `${name}=${value}: expected Type:param, Type:param:TargetType or Type:*`);
  }
  if (!isResourceType(sourceType)) throw new UnsupportedSearch(name, `${name}=${value}: ${sourceType} is not an R4 resource type`);
  if (targetType !== undefined && !isResourceType(targetType)) {
    throw new UnsupportedSearch(name, `${name}=${value}: ${targetType} is not an R4 resource type`);
  }
  if (param !== '*') {
    const def = searchParametersFor(sourceType).get(param);
    if (def === undefined || def.type !== 'reference' || def.expression === '') {
      throw new UnsupportedSearch(name, `${name}=${value}: ${param} is not a reference search parameter of ${sourceType}`);
    }
    if (targetType !== undefined && def.targets !== undefined && !def.targets.includes(targetType)) {
      throw new UnsupportedSearch(name, `${name}=${value}: ${sourceType}.${param} does not reference ${targetType}`);
    }
  }
  return { reverse: base === '_revinclude', iterate: modifier !== undefined, sourceType, param, ...(targetType ? { targetType } : {}) };
}
