/**
 * Validating the resources of a Bundle (or NDJSON file) together: each entry by itself, then the rules that
 * need its patient or encounter, resolved inside the bundle by fullUrl or `Type/id`, and its reference
 * targets (absent from the bundle: `missingSeverity`, as the caller may still find them in a store).
 * @see https://hl7.org/fhir/R4/bundle.html#references
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { checkContextRules } from './business-rules.js';
import { checkReferenceTargets } from './reference-targets.js';
import { AS_STORED, validateResource } from './validate-resource.js';

type Json = Record<string, unknown>;

export interface EntryResult {
  index: number;
  resourceType: string;
  id?: string;
  issues: OperationOutcomeIssue[];
}

/** Validates resources that travel together; `fullUrls[i]` is the fullUrl of `resources[i]`, when any. */
export async function validateTogether(resources: unknown[], fullUrls: (string | undefined)[] = [], missingSeverity: 'error' | 'warning' = 'warning'): Promise<EntryResult[]> {
  const byKey = new Map<string, Json>();
  resources.forEach((r, i) => {
    const res = r as Json | null;
    if (!res || typeof res !== 'object') return;
    if (fullUrls[i]) byKey.set(fullUrls[i]!, res);
    if (typeof res.id === 'string') byKey.set(`${String(res.resourceType)}/${res.id}`, res);
  });
  const resolve = (ref: unknown) => (typeof (ref as { reference?: unknown })?.reference === 'string' ? byKey.get((ref as { reference: string }).reference) : undefined);
  const results: EntryResult[] = [];
  for (let index = 0; index < resources.length; index++) {
    const res = resources[index] as Json;
    const issues = validateResource(res, AS_STORED);
    const resourceType = String(res?.resourceType ?? 'unknown');
    if (!issues.some((i) => i.severity === 'fatal') && res && typeof res === 'object' && typeof res.resourceType === 'string') {
      const encounter = resolve(res.encounter);
      const patient = resolve(res.subject ?? res.patient) ?? resolve(encounter?.subject);
      issues.push(...checkContextRules(res, { patient: patient?.resourceType === 'Patient' ? patient : undefined, encounter }));
      issues.push(...(await checkReferenceTargets(res as { resourceType: string }, (t, id) => byKey.has(`${t}/${id}`), missingSeverity)));
    }
    results.push({ index, resourceType, id: typeof res?.id === 'string' ? res.id : undefined, issues });
  }
  return results;
}

/** The resources of a Bundle with their fullUrls, or the resource alone. */
export function unpack(resource: unknown): { resources: unknown[]; fullUrls: (string | undefined)[] } {
  const r = resource as { resourceType?: string; type?: string; entry?: { resource?: unknown; fullUrl?: string }[] };
  if (r?.resourceType === 'Bundle' && Array.isArray(r.entry) && r.type !== 'document' && r.type !== 'message') {
    return { resources: r.entry.map((e) => e?.resource), fullUrls: r.entry.map((e) => e?.fullUrl) };
  }
  return { resources: [resource], fullUrls: [undefined] };
}
