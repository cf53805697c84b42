/**
 * `npx tsx scripts/conformance.ts <folder>`: runs our validator over a folder in the format of FHIR's
 * fhir-test-cases (expected.json + inputs/) and prints how far it agrees with the HL7 Java reference
 * validator: the error/no-error verdict, and, where both find errors, whether at least one error location is
 * shared. Cases that need a terminology server are reported apart, as informative. `--json` prints the
 * figures as one JSON document; `--list` also names each disagreement.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFhirJson } from '../src/validation/parse-json.js';
import { validateResource } from '../src/validation/validate-resource.js';
import { normaliseExpression } from './conformance-expression.js';
import { referenceExistenceIssues } from './conformance-references.js';

interface Case {
  name: string;
  file: string;
  format: string;
  /** The reference validator's options for the case; those we have an equivalent of are honoured. */
  settings: Record<string, unknown>;
  expected: { errorCount: number; needsTerminologyServer?: boolean; issues: { severity: string; expression?: string | null }[] };
}

/** `security-checks` rejects HTML in strings, `noHtmlInMarkdown` in markdown. */
function htmlSettings(settings: Case['settings']): ('string' | 'markdown')[] {
  return [...(settings['security-checks'] === true ? ['string' as const] : []), ...(settings.noHtmlInMarkdown === true ? ['markdown' as const] : [])];
}

export interface CaseResult {
  name: string;
  terminology: boolean;
  expectedErrors: string[];
  ourErrors: string[];
  verdictAgrees: boolean;
  /** Only when both found errors. */
  locationShared?: boolean;
}

/** Our error locations for one case; unparsable JSON is one error without location, as the reference has. */
async function ourErrorLocations(file: string, settings: Case['settings']): Promise<string[]> {
  const parsed = parseFhirJson(readFileSync(file, 'utf8'), { allowComments: settings['allow-comments'] === true });
  const issues = parsed.resource === undefined ? [] : [...validateResource(parsed.resource, { rejectHtmlIn: htmlSettings(settings), exampleUrls: settings.examples !== false }), ...(await referenceExistenceIssues(parsed.resource, settings))];
  return [...parsed.issues, ...issues]
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => normaliseExpression(i.expression?.[0] ?? ''));
}

export async function runCase(folder: string, c: Case): Promise<CaseResult> {
  const expectedErrors = c.expected.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => normaliseExpression(i.expression ?? ''));
  const ourErrors = await ourErrorLocations(path.join(folder, c.file), c.settings);
  const result: CaseResult = { name: c.name, terminology: c.expected.needsTerminologyServer === true, expectedErrors, ourErrors, verdictAgrees: (c.expected.errorCount > 0) === (ourErrors.length > 0) };
  if (c.expected.errorCount > 0 && ourErrors.length > 0) result.locationShared = ourErrors.some((e) => expectedErrors.includes(e));
  return result;
}

const pct = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);

function summary(results: CaseResult[]) {
  const both = results.filter((r) => r.locationShared !== undefined);
  return {
    cases: results.length,
    verdictAgreement: pct(results.filter((r) => r.verdictAgrees).length, results.length),
    bothFindErrors: both.length,
    sharedLocation: pct(both.filter((r) => r.locationShared).length, both.length),
  };
}

/** Agreement figures for the JSON cases of a test-case folder. */
export async function conformance(folder: string) {
  const cases = (JSON.parse(readFileSync(path.join(folder, 'expected.json'), 'utf8')) as { tests: Case[] }).tests.filter((c) => c.format === 'json');
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(folder, c));
  return { results, noTerminologyServer: summary(results.filter((r) => !r.terminology)), terminologyServer: summary(results.filter((r) => r.terminology)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!folder) {
    process.stderr.write('usage: npx tsx scripts/conformance.ts <folder> [--json] [--list]\n');
    process.exit(2);
  }
  const { results, noTerminologyServer, terminologyServer } = await conformance(folder);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ noTerminologyServer, terminologyServer }));
  } else {
    console.log('Needs no terminology server (the target):', noTerminologyServer);
    console.log('Needs a terminology server (informative):', terminologyServer);
  }
  if (process.argv.includes('--list')) {
    for (const r of results.filter((x) => !x.verdictAgrees || x.locationShared === false)) {
      console.log(`${r.terminology ? '[tx] ' : ''}${r.name}: expected ${JSON.stringify(r.expectedErrors)} ours ${JSON.stringify(r.ourErrors.slice(0, 6))}`);
    }
  }
}
