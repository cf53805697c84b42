/**
 * The `$import` answer as a Parameters resource (SPEC): totals, one `type` part per resource type, one
 * `failure` part per failed entry (its index or NDJSON line, file, and OperationOutcome), `warning` parts in
 * lenient mode, references rewritten and resolved, duration and throughput.
 * @see https://hl7.org/fhir/R4/parameters.html
 */
import type { Parameters, ParametersParameter } from 'fhir/r4.js';
import type { ImportFailure, ImportSummary, TypeCounts } from './import-types.js';

const counts = (c: TypeCounts): ParametersParameter[] => [
  { name: 'created', valueInteger: c.created },
  { name: 'updated', valueInteger: c.updated },
  { name: 'unchanged', valueInteger: c.unchanged },
  { name: 'failed', valueInteger: c.failed },
];

function located(name: string, f: ImportFailure): ParametersParameter {
  const part: ParametersParameter[] = [];
  if (f.index !== undefined) part.push({ name: 'index', valueInteger: f.index });
  if (f.line !== undefined) part.push({ name: 'line', valueInteger: f.line });
  if (f.file !== undefined) part.push({ name: 'file', valueString: f.file });
  if (f.resourceType !== undefined) part.push({ name: 'resourceType', valueCode: f.resourceType });
  part.push({ name: 'outcome', resource: f.outcome });
  return { name, part };
}

export function summaryParameters(summary: ImportSummary): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      ...counts(summary),
      ...Object.entries(summary.byType).map(([type, c]) => ({ name: 'type', part: [{ name: 'type', valueCode: type }, ...counts(c)] })),
      ...summary.failures.map((f) => located('failure', f)),
      ...summary.warnings.map((w) => located('warning', w)),
      { name: 'referencesRewritten', valueInteger: summary.references.rewritten },
      { name: 'referencesResolved', valueInteger: summary.references.resolved },
      { name: 'seconds', valueDecimal: Number(summary.seconds.toFixed(3)) },
      { name: 'rate', valueDecimal: Math.round(summary.rate) },
    ],
  };
}

/** The CLI's `--json` form (SPEC): `{created, updated, unchanged, failed, byType, failures: [{index|line, file, outcome}], …}`. */
export function summaryJson(summary: ImportSummary): Record<string, unknown> {
  const strip = ({ index, line, file, resourceType, outcome }: ImportFailure) => ({ index, line, file, resourceType, outcome });
  return { ...summary, failures: summary.failures.map(strip), warnings: summary.warnings.map(strip) };
}
