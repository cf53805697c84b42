/**
 * Validate-all: streams every stored resource through every layer, reference targets included (an error
 * here, as the store should hold a consistent graph), and writes the report as JSON and a readable summary.
 * Used by `medgen-data validate` without files and by the maintenance task `validate`.
 * @see https://hl7.org/fhir/R4/validation.html
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findReferences } from '../fhir/references.js';
import type { ResourceStore } from '../store/resource-store.js';
import { checkReferenceTargets } from './reference-targets.js';
import { AS_STORED, validateResource } from './validate-resource.js';
import { ReportBuilder, summarize, type ValidationReport } from './validation-report.js';

/** Validates the whole store; with `outDir`, writes validation-report.json and validation-report.txt there. */
export async function validateAll(store: ResourceStore, outDir?: string): Promise<ValidationReport & { files?: string[] }> {
  const types = Object.keys(await store.countByType()).sort();
  // Ids first, so each reference check is a set lookup rather than a store read.
  const present = new Set<string>();
  for (const type of types) for await (const r of store.stream(type)) present.add(`${type}/${r.id}`);
  const builder = new ReportBuilder();
  for (const type of types) {
    for await (const resource of store.stream(type)) {
      const issues = validateResource(resource, AS_STORED);
      issues.push(...(await checkReferenceTargets(resource, (t, id) => present.has(`${t}/${id}`), 'error')));
      builder.add(type, resource.id, issues, findReferences(resource, type, true).length);
    }
  }
  const report: ValidationReport & { files?: string[] } = builder.finish();
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    report.files = validationReportFiles(report).map(({ name, body }) => {
      writeFileSync(path.join(outDir, name), body);
      return path.join(outDir, name);
    });
  }
  return report;
}

/** The report's files by name: validation-report.json, and validation-report.txt to read. */
export function validationReportFiles(report: ValidationReport): { name: string; body: string }[] {
  return [
    { name: 'validation-report.json', body: `${JSON.stringify(report, null, 2)}\n` },
    { name: 'validation-report.txt', body: summarize(report) },
  ];
}
