/**
 * The statistics and quality report (`medgen-data report`, task `statistics`): the population summary
 * (counts, sex, age, state, top conditions) plus an age pyramid, completeness of US Core must-support
 * elements per type, and the validation summary (reference integrity, coding validity, errors).
 * @see https://hl7.org/fhir/us/core/STU6.1/must-support.html
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Patient } from 'fhir/r4.js';
import type { ResourceStore } from '../store/resource-store.js';
import { validateAll } from '../validation/validate-all.js';
import { populationSummary } from './population-summary.js';
import { renderReportHtml } from './report-html.js';

/** Must-support top-level elements per type (US Core profiles, the elements a generator can fill). */
const MUST_SUPPORT: Record<string, string[]> = {
  Patient: ['identifier', 'name', 'gender', 'birthDate', 'address', 'telecom', 'communication'],
  Observation: ['status', 'category', 'code', 'subject', 'effective', 'value'],
  Condition: ['clinicalStatus', 'verificationStatus', 'category', 'code', 'subject', 'onset'],
  Encounter: ['identifier', 'status', 'class', 'type', 'subject', 'participant', 'period', 'reasonCode'],
  Procedure: ['status', 'code', 'subject', 'performed'],
  MedicationRequest: ['status', 'intent', 'medication', 'subject', 'authoredOn', 'requester'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrence', 'primarySource'],
  AllergyIntolerance: ['clinicalStatus', 'verificationStatus', 'code', 'patient', 'reaction'],
  DiagnosticReport: ['status', 'category', 'code', 'subject', 'effective', 'issued', 'result'],
};

/** Whether `element` (or a choice `element[x]`, e.g. valueQuantity for value) is present. */
const has = (r: Record<string, unknown>, element: string) => Object.keys(r).some((k) => k === element || (k.startsWith(element) && /^[A-Z]/.test(k.slice(element.length))));

export interface QualityReport {
  generated: string;
  resources: number;
  byType: Record<string, number>;
  demographics: { patients: number; deceased: number; bySex: Record<string, number>; byState: Record<string, number>; pyramid: { band: string; male: number; female: number; other: number }[] };
  topConditions: { code: string; display: string; patients: number }[];
  completeness: { resourceType: string; resources: number; share: number; elements: Record<string, number> }[];
  quality: { validShare: number; referenceIntegrity: number; codingValidity: number };
  validation: { resources: number; errors: number; warnings: number; missingReferences: number };
}

const BANDS = Array.from({ length: 10 }, (_, i) => (i < 9 ? `${i * 10}-${i * 10 + 9}` : '90+'));

export async function qualityReport(store: ResourceStore, now = new Date()): Promise<QualityReport> {
  const summary = await populationSummary(store, now);
  const pyramid = BANDS.map((band) => ({ band, male: 0, female: 0, other: 0 }));
  for await (const r of store.stream('Patient')) {
    const p = r as Patient;
    if (!p.birthDate) continue;
    const end = p.deceasedDateTime ? new Date(p.deceasedDateTime) : now;
    const age = Math.max(0, Math.floor((end.getTime() - Date.parse(p.birthDate)) / (365.2425 * 86400000)));
    const row = pyramid[Math.min(9, Math.floor(age / 10))];
    if (p.gender === 'male' || p.gender === 'female') row[p.gender]++;
    else row.other++;
  }
  const completeness: QualityReport['completeness'] = [];
  for (const [resourceType, elements] of Object.entries(MUST_SUPPORT)) {
    const present = Object.fromEntries(elements.map((e) => [e, 0]));
    let n = 0;
    for await (const r of store.stream(resourceType)) {
      n++;
      for (const e of elements) if (has(r as unknown as Record<string, unknown>, e)) present[e]++;
    }
    if (n === 0) continue;
    const shares = Object.fromEntries(elements.map((e) => [e, present[e] / n]));
    completeness.push({ resourceType, resources: n, share: Object.values(shares).reduce((a, b) => a + b, 0) / elements.length, elements: shares });
  }
  const v = await validateAll(store);
  return {
    generated: now.toISOString(),
    resources: summary.resources,
    byType: summary.byType,
    demographics: { patients: summary.patients.total, deceased: summary.patients.deceased, bySex: summary.patients.bySex, byState: summary.patients.byState, pyramid },
    topConditions: summary.topConditions,
    completeness,
    quality: v.quality,
    validation: { resources: v.resources, errors: v.errors, warnings: v.warnings, missingReferences: v.references.missing },
  };
}

/** The report's files by name: quality-report.json, and quality-report.html to read. */
export function qualityReportFiles(report: QualityReport): { name: string; body: string }[] {
  return [
    { name: 'quality-report.json', body: `${JSON.stringify(report, null, 2)}\n` },
    { name: 'quality-report.html', body: renderReportHtml(report) },
  ];
}

/** Writes quality-report.json and quality-report.html into `dir` (or the given paths); the paths written. */
export function writeQualityReport(report: QualityReport, dir: string, paths: { json?: string; html?: string } = {}): string[] {
  const [json, html] = qualityReportFiles(report);
  const files: [string, string][] = [
    [paths.json ?? path.join(dir, json.name), json.body],
    [paths.html ?? path.join(dir, html.name), html.body],
  ];
  for (const [file, body] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
  return files.map(([file]) => file);
}
