/**
 * The business-rules layer: FHIRPath rules read from the data table schemas/business-rules.json (users may
 * add rows), each compiled once. A rule runs only on resources of its types that have one of its `when`
 * elements or its `code`/`category`, so most resources meet no fhirpath.js call. Rules that `use` another
 * resource (%patient, %encounter) run through checkContextRules, where the caller resolves those.
 * @see https://hl7.org/fhir/R4/fhirpath.html
 */
import { readFileSync } from 'node:fs';
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { issue } from '../fhir/outcomes.js';
import { nativeRule } from './native-rules.js';
import type { WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

export interface BusinessRule {
  id: string;
  severity: 'error' | 'warning' | 'information';
  resourceTypes: string[];
  expression: string;
  message: string;
  location?: string;
  when?: string[];
  code?: string;
  category?: string;
  uses?: ('patient' | 'encounter')[];
}

interface CompiledRule extends BusinessRule {
  evaluate: (resource: unknown, env: Record<string, unknown>) => unknown[];
  /** The native twin (native-rules.ts) of a rule that uses no other resource, when there is one. */
  native?: (resource: Json) => boolean | undefined;
}

let byType: Map<string, CompiledRule[]> | undefined;
/** Per resource type, its own rules and the `*` ones, joined once. */
const joined = new Map<string, CompiledRule[]>();

/** The rules of the table, as loaded (for reports and tests). */
export function businessRules(file = new URL('../../schemas/business-rules.json', import.meta.url)): BusinessRule[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { rules: BusinessRule[] }).rules;
}

function rulesFor(type: string): CompiledRule[] {
  if (!byType) {
    byType = new Map();
    for (const rule of businessRules()) {
      const evaluate = fhirpath.compile(rule.expression, r4) as unknown as CompiledRule['evaluate'];
      const compiled = { ...rule, evaluate, native: rule.uses ? undefined : nativeRule(rule.expression) };
      for (const t of rule.resourceTypes) byType.set(t, [...(byType.get(t) ?? []), compiled]);
    }
  }
  let rules = joined.get(type);
  if (!rules) joined.set(type, (rules = [...(byType.get(type) ?? []), ...(byType.get('*') ?? [])]));
  return rules;
}

function hasCoding(concepts: unknown, systemCode: string): boolean {
  for (const concept of Array.isArray(concepts) ? concepts : [concepts]) {
    const codings = (concept as { coding?: { system?: string; code?: string }[] } | undefined)?.coding;
    if (Array.isArray(codings) && codings.some((c) => `${c?.system}|${c?.code}` === systemCode)) return true;
  }
  return false;
}

function applies(rule: CompiledRule, resource: Json): boolean {
  if (rule.when && !rule.when.some((w) => resource[w] !== undefined)) return false;
  if (rule.code && !hasCoding(resource.code, rule.code)) return false;
  return !rule.category || hasCoding(resource.category, rule.category);
}

function run(rule: CompiledRule, resource: Json, env: Record<string, unknown>, issues: OperationOutcomeIssue[]): void {
  const at = () => (rule.location ? `${String(resource.resourceType)}.${rule.location}` : String(resource.resourceType));
  try {
    const verdict = rule.native?.(resource);
    if (verdict === true) return;
    const result = verdict === false ? [false] : rule.evaluate(resource, { resource, rootResource: resource, ...env });
    if (result.length === 1 && result[0] === false) issues.push(issue(rule.severity, 'business-rule', `${rule.id}: ${rule.message}`, at()));
  } catch (err) {
    issues.push(issue('information', 'exception', `${rule.id} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`, at()));
  }
}

/** Runs the rules that need nothing but the resource. */
export function checkBusinessRules(resource: Json, ctx: WalkContext): void {
  for (const rule of rulesFor(String(resource.resourceType))) {
    if (!rule.uses && applies(rule, resource)) run(rule, resource, {}, ctx.issues);
  }
}

/** The resources a context rule may use, resolved by the caller (from a bundle or the store). */
export interface RuleContext {
  patient?: object;
  encounter?: object;
}

/**
 * Runs the rules that use other resources; a rule whose resources are not all given is skipped.
 * @see https://hl7.org/fhir/R4/fhirpath.html#vars
 */
export function checkContextRules(resource: Json, context: RuleContext): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  for (const rule of rulesFor(String(resource.resourceType))) {
    if (!rule.uses || !rule.uses.every((u) => context[u] !== undefined) || !applies(rule, resource)) continue;
    run(rule, resource, { patient: context.patient, encounter: context.encounter }, issues);
  }
  return issues;
}
