/**
 * The native path walker must select exactly what fhirpath.js selects, with the same FHIR types, for every
 * official R4 example and every search parameter branch it handles. `where(resolve() is T)` cannot run in
 * fhirpath.js without a server (resolve() is asynchronous there), so for those branches fhirpath.js evaluates
 * the path before the filter and the expected values are the References whose literal reference names T.
 * `(X.y as T)` is an error in FHIRPath (and in fhirpath.js) when X.y has more than one item (several
 * useContext values); R5 rewrote these expressions as `X.y.ofType(T)`, which is what the walker does, so
 * fhirpath.js evaluates that form.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { compilePath, type PathPlan } from '../../src/search/compile-path.js';
import { fhirTypeName } from '../../src/search/fallback-path.js';
import { splitUnion } from '../../src/search/fhirpath-union.js';
import { resourceTypes, searchParametersFor } from '../../src/search/search-parameters.js';
import { referenceTypeOf, walkPath, type Found } from '../../src/search/walk-path.js';
import { officialExamples } from './official-examples.js';

interface Branch {
  expression: string;
  plan: PathPlan;
  expected: (resource: object) => { values: unknown[]; types: string[] };
}

const RESOLVE_IS = /\.where\(resolve\(\) is ([A-Za-z]+)\)/;
const PAREN_AS = /^\(([^()]*) as ([A-Za-z]+)\)/;

function fhirpathEvaluator(expression: string): Branch['expected'] {
  const resolveIs = RESOLVE_IS.exec(expression);
  const source = expression.replace(RESOLVE_IS, '').replace(PAREN_AS, '$1.ofType($2)');
  const evaluate = fhirpath.compile(source, r4, { resolveInternalTypes: false });
  return (resource) => {
    const nodes = evaluate(resource) as unknown[];
    const types = fhirpath.types(nodes).map(fhirTypeName);
    const values = fhirpath.resolveInternalTypes(nodes) as unknown[];
    const keep = values.map((v) => {
      if (v === null || v === undefined) return false;
      if (!resolveIs) return true;
      const reference = (v as { reference?: unknown }).reference;
      return typeof reference === 'string' && referenceTypeOf(reference) === resolveIs[1];
    });
    return { values: values.filter((_, i) => keep[i]), types: types.filter((_, i) => keep[i]) };
  };
}

function branchesByType(): { branches: Map<string, Branch[]>; fallbacks: string[] } {
  const branches = new Map<string, Branch[]>();
  const fallbacks = new Set<string>();
  for (const type of resourceTypes()) {
    const list: Branch[] = [];
    for (const def of searchParametersFor(type).values()) {
      if (def.type === 'composite' || def.type === 'special' || def.expression === '') continue;
      for (const expression of splitUnion(def.expression)) {
        const plan = compilePath(expression);
        if (plan === null) fallbacks.add(expression);
        else list.push({ expression, plan, expected: fhirpathEvaluator(expression) });
      }
    }
    branches.set(type, list);
  }
  return { branches, fallbacks: [...fallbacks].sort() };
}

const { branches, fallbacks } = branchesByType();
const examples = officialExamples();

test('the walker handles every R4 search parameter expression but two', () => {
  expect(fallbacks).toEqual([
    'Bundle.entry[0].resource',
    'Patient.deceased.exists() and Patient.deceased != false',
  ]);
  const native = [...branches.values()].reduce((n, l) => n + l.length, 0);
  expect(native).toBeGreaterThan(2500);
});

test('there are enough official examples to make the comparison meaningful', () => {
  expect(examples.length).toBeGreaterThan(5000);
  expect(new Set(examples.map((e) => e.resource.resourceType)).size).toBeGreaterThan(140);
});

test('native values and types equal fhirpath.js on every official example', () => {
  const mismatches: string[] = [];
  let compared = 0;
  let nonEmpty = 0;
  const found: Found = { values: [], types: [], count: 0 };
  for (const { file, resource } of examples) {
    const copy = structuredClone(resource);
    for (const branch of branches.get(resource.resourceType) ?? []) {
      found.count = 0;
      walkPath(branch.plan, resource, found);
      const actual = { values: found.values.slice(0, found.count), types: found.types.slice(0, found.count) };
      const expected = branch.expected(copy);
      compared++;
      if (expected.values.length > 0) nonEmpty++;
      // Compared as JSON: the clone comes from another realm than jest's, so prototypes differ.
      const a = JSON.stringify(actual);
      const e = JSON.stringify(expected);
      if (a !== e) mismatches.push(`${file} ${branch.expression}: native ${a.slice(0, 300)} fhirpath ${e.slice(0, 300)}`);
    }
  }
  expect(mismatches.slice(0, 20)).toEqual([]);
  expect(compared).toBeGreaterThan(100_000);
  expect(nonEmpty).toBeGreaterThan(20_000);
}, 300_000);
