/**
 * The report of a validation run (CLI `validate`, maintenance task `validate`): totals, issues grouped by
 * layer and rule with a few examples each, and quality figures per resource type.
 * @see https://hl7.org/fhir/R4/validation.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';

export interface RuleGroup {
  layer: string;
  rule: string;
  severity: string;
  count: number;
  byType: Record<string, number>;
  examples: { resource: string; expression?: string; diagnostics?: string }[];
}

export interface ValidationReport {
  resources: number;
  valid: number;
  errors: number;
  warnings: number;
  byType: Record<string, { resources: number; valid: number; validShare: number }>;
  issues: RuleGroup[];
  quality: { validShare: number; referenceIntegrity: number; codingValidity: number };
  references: { checked: number; missing: number };
}

/** Which layer an issue comes from, by its code. */
export function layerOf(i: OperationOutcomeIssue): string {
  if (i.code === 'not-found' || /reference/i.test(i.diagnostics ?? '')) return 'references';
  if (i.code === 'code-invalid' || (i.code === 'informational' && /value set/i.test(i.diagnostics ?? ''))) return 'terminology';
  if (i.code === 'invariant') return 'invariants';
  if (i.code === 'business-rule') return 'business-rules';
  if (i.code === 'required' || (i.code === 'structure' && /Only one type/.test(i.diagnostics ?? ''))) return 'elements';
  return 'structure';
}

/** Accumulates issues resource by resource into a ValidationReport. */
export class ReportBuilder {
  private readonly report: ValidationReport = { resources: 0, valid: 0, errors: 0, warnings: 0, byType: {}, issues: [], quality: { validShare: 1, referenceIntegrity: 1, codingValidity: 1 }, references: { checked: 0, missing: 0 } };
  private readonly groups = new Map<string, RuleGroup>();
  private codingInvalid = 0;

  add(resourceType: string, id: string | undefined, issues: OperationOutcomeIssue[], referencesChecked = 0): void {
    const r = this.report;
    r.resources++;
    const t = (r.byType[resourceType] ??= { resources: 0, valid: 0, validShare: 1 });
    t.resources++;
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
    r.errors += errors;
    r.warnings += issues.filter((i) => i.severity === 'warning').length;
    if (errors === 0) {
      r.valid++;
      t.valid++;
    }
    r.references.checked += referencesChecked;
    r.references.missing += issues.filter((i) => i.code === 'not-found').length;
    if (issues.some((i) => i.code === 'code-invalid')) this.codingInvalid++;
    for (const i of issues) {
      if (i.severity === 'information') continue;
      const rule = /^([a-z]+-[a-z0-9-]+):/.exec(i.diagnostics ?? '')?.[1] ?? (i.diagnostics ?? '').replace(/'[^']*'|"[^"]*"/g, '…').slice(0, 60);
      const layer = layerOf(i);
      const key = `${layer}|${rule}|${i.severity}`;
      let g = this.groups.get(key);
      if (!g) this.groups.set(key, (g = { layer, rule, severity: i.severity, count: 0, byType: {}, examples: [] }));
      g.count++;
      g.byType[resourceType] = (g.byType[resourceType] ?? 0) + 1;
      if (g.examples.length < 3) g.examples.push({ resource: `${resourceType}/${id ?? '?'}`, expression: i.expression?.[0], diagnostics: i.diagnostics });
    }
  }

  finish(): ValidationReport {
    const r = this.report;
    for (const t of Object.values(r.byType)) t.validShare = t.resources ? t.valid / t.resources : 1;
    r.issues = [...this.groups.values()].sort((a, b) => a.layer.localeCompare(b.layer) || b.count - a.count);
    r.quality = {
      validShare: r.resources ? r.valid / r.resources : 1,
      referenceIntegrity: r.references.checked ? 1 - r.references.missing / r.references.checked : 1,
      codingValidity: r.resources ? 1 - this.codingInvalid / r.resources : 1,
    };
    return r;
  }
}

/** A readable summary of a report. */
export function summarize(r: ValidationReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${r.resources} resources, ${r.valid} valid (${pct(r.quality.validShare)}), ${r.errors} errors, ${r.warnings} warnings`,
    `reference integrity ${pct(r.quality.referenceIntegrity)} (${r.references.missing} missing of ${r.references.checked}); coding validity ${pct(r.quality.codingValidity)}`,
    ...Object.entries(r.byType).map(([t, s]) => `  ${t}: ${s.valid}/${s.resources} valid`),
    ...r.issues.map((g) => `  [${g.layer}] ${g.severity} ${g.rule}: ${g.count}${g.examples[0] ? ` e.g. ${g.examples[0].resource} at ${g.examples[0].expression ?? '-'}` : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
