/**
 * `validate`: Synthea resources per second through every resource-local layer (validateResource), against
 * ajv structure-only validation of the same resources (the baseline). Data: `--data DIR` (a folder of
 * Synthea bundles, searched recursively) or the project's own Synthea sample.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { structureValidator } from '../src/validation/fhir-schema.js';
import { validateResource } from '../src/validation/validate-resource.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

function bundles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? bundles(full) : name.endsWith('.json') ? [full] : [];
  });
}

function loadResources(): { resourceType: string }[] {
  const i = process.argv.indexOf('--data');
  const files = i > 0 ? bundles(process.argv[i + 1]) : [new URL('../test/fixtures/validation/synthea-sample.json', import.meta.url).pathname];
  return files.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { entry?: { resource: { resourceType: string } }[] }).entry?.map((e) => e.resource) ?? []);
}

export async function benchValidate(): Promise<BenchResult[]> {
  const base = loadResources();
  // At least 100,000 validations so timing noise stays small on the small sample.
  const rounds = Math.max(1, Math.ceil(100_000 / base.length));
  for (const r of base) validateResource(r);
  let start = process.hrtime.bigint();
  for (let k = 0; k < rounds; k++) for (const r of base) structureValidator(r.resourceType)(r);
  const baselineRate = (base.length * rounds) / secondsSince(start);
  start = process.hrtime.bigint();
  for (let k = 0; k < rounds; k++) for (const r of base) validateResource(r);
  const seconds = secondsSince(start);
  return [benchResult('validate', 'resources', base.length * rounds, seconds, 'ajv structure-only', baselineRate)];
}
