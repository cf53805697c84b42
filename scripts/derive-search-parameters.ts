/**
 * Derives schemas/search-parameters.json from the official R4 definitions in hl7.fhir.r4.examples:
 * the concrete resource type names (Bundle-resources.json) and, per type, every SearchParameter that applies
 * to it (Bundle-searchParams.json) with its expression restricted to the branches rooted at that type.
 * Parameters on `Resource`/`DomainResource` apply to every type, their expression re-rooted at the type.
 * Composite and special parameters are listed too, so the server can say they are not supported.
 * Run: node --import tsx scripts/derive-search-parameters.ts
 * @see https://hl7.org/fhir/R4/searchparameter-registry.html
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Bundle, SearchParameter, StructureDefinition } from 'fhir/r4.js';
import { branchRoot, splitUnion } from '../src/search/fhirpath-union.js';
import type { SearchParameterDef } from '../src/search/search-parameter.js';

const examples = new URL('../node_modules/hl7.fhir.r4.examples/', import.meta.url);
const output = new URL('../schemas/search-parameters.json', import.meta.url);
const BASES = new Set(['Resource', 'DomainResource']);

function readBundle(name: string): Bundle {
  return JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as Bundle;
}

/** Concrete resource types, and the ones among them that are DomainResources (Bundle, Binary, Parameters are not). */
function resourceTypeNames(): { all: string[]; domain: Set<string> } {
  const concrete = (readBundle('Bundle-resources.json').entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition')
    .filter((sd) => sd.kind === 'resource' && !sd.abstract && sd.derivation === 'specialization');
  const domain = concrete.filter((sd) => sd.baseDefinition?.endsWith('/DomainResource')).map((sd) => sd.type);
  return { all: concrete.map((sd) => sd.type).sort(), domain: new Set(domain) };
}

/** The expression of `sp` as it applies to `type`, or undefined when no branch is rooted there. */
function expressionFor(sp: SearchParameter, type: string, fromBase: boolean): string | undefined {
  if (!sp.expression) return '';
  const branches = splitUnion(sp.expression)
    .map((b) => rootRelative(b, type))
    .filter((b) => branchRoot(b) === (fromBase ? branchRoot(b) : type) && (!fromBase || BASES.has(branchRoot(b))))
    .map((b) => (fromBase ? b.replace(/^(\(*\s*)(Resource|DomainResource)\b/, `$1${type}`) : b));
  return branches.length > 0 ? branches.join(' | ') : undefined;
}

/**
 * R4 has one definition with a relative expression (InsurancePlan-name: `name | alias`); FHIRPath evaluates
 * it against the resource, so it means `InsurancePlan.name | InsurancePlan.alias`.
 */
function rootRelative(branch: string, type: string): string {
  return /^[a-z]/.test(branch) ? `${type}.${branch}` : branch;
}

/**
 * The declared targets, narrowed to what the expression can select when every branch ends in
 * `.where(resolve() is T)`: R4's shared `patient` parameter declares Group and Patient, yet on Observation
 * selects Patient references only, so `patient=123` can only mean Patient/123.
 */
function targetsOf(sp: SearchParameter, expression: string): string[] | undefined {
  if (!sp.target || sp.target.length === 0) return undefined;
  const resolved = splitUnion(expression).map((b) => /\.where\(resolve\(\) is ([A-Za-z]+)\)$/.exec(b)?.[1]);
  const narrowed = resolved.every((t) => t !== undefined) ? sp.target.filter((t) => resolved.includes(t)) : sp.target;
  return [...narrowed].sort();
}

function toDef(sp: SearchParameter, expression: string): SearchParameterDef {
  const def: SearchParameterDef = { code: sp.code, type: sp.type as SearchParameterDef['type'], expression, url: sp.url };
  const targets = targetsOf(sp, expression);
  if (targets) def.targets = targets;
  return def;
}

function derive(): { resourceTypes: string[]; params: Record<string, SearchParameterDef[]> } {
  const { all: resourceTypes, domain } = resourceTypeNames();
  const known = new Set(resourceTypes);
  const params: Record<string, SearchParameterDef[]> = Object.fromEntries(resourceTypes.map((t) => [t, []]));
  const definitions = (readBundle('Bundle-searchParams.json').entry ?? []).map((e) => e.resource as SearchParameter);
  for (const sp of definitions) {
    for (const base of sp.base) {
      const fromBase = BASES.has(base);
      const targets = base === 'Resource' ? resourceTypes : base === 'DomainResource' ? [...domain] : [base];
      for (const type of targets) {
        if (!known.has(type)) throw new Error(`SearchParameter ${sp.id}: unknown base ${type}`);
        const expression = expressionFor(sp, type, fromBase);
        if (expression === undefined) throw new Error(`SearchParameter ${sp.id}: no branch of its expression is rooted at ${type}`);
        params[type].push(toDef(sp, expression));
      }
    }
  }
  for (const list of Object.values(params)) list.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { resourceTypes, params };
}

const { resourceTypes, params } = derive();
// One line per resource type: compact, yet a change shows up as a readable diff.
const lines = resourceTypes.map((t) => `${JSON.stringify(t)}:${JSON.stringify(params[t])}`);
writeFileSync(output, `{"resourceTypes":${JSON.stringify(resourceTypes)},\n"params":{\n${lines.join(',\n')}\n}}\n`);
const total = Object.values(params).reduce((n, l) => n + l.length, 0);
console.log(`${resourceTypes.length} resource types, ${total} parameter entries -> ${output.pathname}`);
