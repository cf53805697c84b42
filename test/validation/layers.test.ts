import { readFileSync } from 'node:fs';
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { businessRules } from '../../src/validation/business-rules.js';
import { loincCheckDigitValid, verhoeffValid } from '../../src/validation/code-formats.js';
import { validateTogether } from '../../src/validation/validate-bundle.js';
import { validateResource } from '../../src/validation/validate-resource.js';

interface Expect { code: string; expression: string; rule?: string }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/validation/broken.json', import.meta.url), 'utf8')) as {
  single: { name: string; resource: unknown; expect: Expect }[];
  together: { name: string; resources: unknown[]; expect: Expect }[];
  clean: unknown[];
};
const matches = (e: Expect) => (i: OperationOutcomeIssue) => i.code === e.code && i.expression?.[0] === e.expression && (!e.rule || (i.diagnostics ?? '').startsWith(`${e.rule}:`));

describe('the broken fixtures trigger each layer and rule at the right expression', () => {
  it.each(fixtures.single.map((f) => [f.name, f] as const))('%s', (_n, f) => {
    expect(validateResource(f.resource).filter(matches(f.expect))).toHaveLength(1);
  });
  it.each(fixtures.together.map((f) => [f.name, f] as const))('%s (with its patient and encounter)', async (_n, f) => {
    const results = await validateTogether(f.resources);
    expect(results[2].issues.filter(matches(f.expect))).toHaveLength(1);
  });
  it('covers every rule of schemas/business-rules.json', () => {
    const covered = new Set([...fixtures.single, ...fixtures.together].map((f) => f.expect.rule));
    expect(businessRules().map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
  it('a clean patient, encounter and observation trigger nothing', async () => {
    const results = await validateTogether(fixtures.clean);
    expect(results.flatMap((r) => r.issues)).toEqual([]);
  });
});

describe('code formats and depth', () => {
  it('checks SNOMED Verhoeff and LOINC mod-10 check digits', () => {
    expect(verhoeffValid('38341003')).toBe(true);
    expect(verhoeffValid('38341004')).toBe(false);
    expect(loincCheckDigitValid('8867-4')).toBe(true);
    expect(loincCheckDigitValid('8867-5')).toBe(false);
  });
  it('stops at absurd nesting with a fatal issue instead of overflowing the stack', () => {
    let node: Record<string, unknown> = { url: 'x', valueString: 'y' };
    for (let i = 0; i < 10_000; i++) node = { url: 'x', extension: [node] };
    expect(validateResource({ resourceType: 'Patient', extension: [node] })[0]).toMatchObject({ severity: 'fatal', code: 'too-costly' });
  });
});
