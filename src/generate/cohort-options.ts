/**
 * A cohort among the generator's parameters (`cohort` in GenerateOptions): its population fields (count,
 * state, city, sex, ages) become the ordinary parameters, which are then checked as always, and its
 * requirements are resolved against them. A field may come from the spec or from a parameter, not both: a
 * `count` beside a cohort that has one is refused rather than one silently winning. A parameter the spec
 * supplied is blamed by its place in the spec (`cohort.age.min`, not `minAge`).
 */
import { OperationOutcomeError, badRequest } from '../fhir/outcomes.js';
import { resolveCohort } from './cohort-requirements.js';
import { parseCohortSpec, type CohortSpec } from './cohort-spec.js';
import type { GenerateOptions, ResolvedOptions } from './options.js';

type Population = 'count' | 'state' | 'city' | 'gender' | 'minAge' | 'maxAge';

/** The spec's population as parameters, keyed by parameter, with the spec path each came from. */
function populationOf(spec: CohortSpec): [Population, string | number, string][] {
  const fields: [Population, string | number | undefined, string][] = [
    ['count', spec.count, 'count'],
    ['state', spec.state, 'state'],
    ['city', spec.city, 'city'],
    ['gender', typeof spec.sex === 'string' ? spec.sex : undefined, 'sex'],
    ['minAge', spec.age?.min, 'age.min'],
    ['maxAge', spec.age?.max, 'age.max'],
  ];
  return fields.filter((f): f is [Population, string | number, string] => f[1] !== undefined);
}

/**
 * Resolves parameters that carry a cohort. `resolvePlain` is resolveOptions itself, called without the
 * cohort (passed in, so that this module and options.ts do not import each other).
 */
export function resolveCohortOptions(input: GenerateOptions, resolvePlain: (input: GenerateOptions) => ResolvedOptions): ResolvedOptions {
  const spec = parseCohortSpec(input.cohort);
  const { cohort: _cohort, ...plain } = input;
  const fromSpec = populationOf(spec);
  for (const [param, , path] of fromSpec) {
    const given = plain[param];
    if (given !== undefined && given !== '') throw badRequest(`${param} is given both as a parameter and in the cohort (cohort.${path}): keep one`, [param, `cohort.${path}`]);
  }
  if (typeof spec.sex === 'object' && plain.gender) throw badRequest('gender is given both as a parameter and in the cohort (cohort.sex): keep one', ['gender', 'cohort.sex']);
  if (spec.age?.min !== undefined && spec.age.max !== undefined && spec.age.min > spec.age.max) {
    throw badRequest(`cohort.age: min (${spec.age.min}) is above max (${spec.age.max}): the age range is empty`, 'cohort.age');
  }
  let options: ResolvedOptions;
  try {
    options = resolvePlain({ ...plain, ...Object.fromEntries(fromSpec.map(([param, value]) => [param, value])) });
  } catch (err) {
    const at = err instanceof OperationOutcomeError ? fromSpec.find(([param]) => err.outcome.issue[0]?.expression?.[0] === param) : undefined;
    if (!at) throw err;
    throw badRequest(`cohort.${at[2]}: ${(err as OperationOutcomeError).message}`, `cohort.${at[2]}`);
  }
  return { ...options, cohort: resolveCohort(spec, options) };
}
