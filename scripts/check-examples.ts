/**
 * `npx tsx scripts/check-examples.ts [folder]`: validates every official R4 example (the npm package
 * hl7.fhir.r4.examples, or the folder given) and lists each file with errors and why. Bundles are
 * validated whole, as the reference validator does, so their entries are checked in place. `--json` prints
 * `{files, resources, rejected: [{file, errors: [{expression, diagnostics}]}]}`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFhirJson } from '../src/validation/parse-json.js';
import { validateResource } from '../src/validation/validate-resource.js';
import { jsonFiles, officialExampleFiles } from './validation-corpus.js';

export interface Rejected {
  file: string;
  errors: { expression?: string; diagnostics?: string }[];
}

/** Validates each file and returns those with errors (severity error or fatal). */
export function checkExamples(files: string[]): { files: number; resources: number; rejected: Rejected[] } {
  const rejected: Rejected[] = [];
  let resources = 0;
  for (const file of files) {
    const parsed = parseFhirJson(readFileSync(file, 'utf8'));
    const entries = (parsed.resource as { entry?: unknown[] } | undefined)?.entry;
    resources += 1 + (Array.isArray(entries) ? entries.length : 0);
    const issues = [...parsed.issues, ...(parsed.resource === undefined ? [] : validateResource(parsed.resource))];
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => ({ expression: i.expression?.[0], diagnostics: i.diagnostics }));
    if (errors.length > 0) rejected.push({ file: path.basename(file), errors });
  }
  return { files: files.length, resources, rejected };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const result = checkExamples(folder ? jsonFiles(folder) : officialExampleFiles());
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`${result.files} files (${result.resources} resources and Bundle entries), ${result.rejected.length} with errors`);
    for (const r of result.rejected) console.log(`${r.file}: ${r.errors.slice(0, 3).map((e) => `${e.expression ?? ''} ${e.diagnostics ?? ''}`).join(' | ')}`);
  }
}
