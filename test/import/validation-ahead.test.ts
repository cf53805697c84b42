/**
 * Validation ahead in a real worker thread: an import that uses it ends exactly as one validating on its own
 * thread, and the import falls back to its own validation whenever the worker has no answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { stopValidationWorker, ValidationAhead, warmValidationWorker } from '../../src/import/ahead/validation-ahead.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { unitsOfFiles, listImportFiles } from '../../src/import/file-units.js';
import { runImport, runImportOf } from '../../src/import/run-import.js';
import { pino } from 'pino';
import { createImportContext } from '../../src/import/import-context.js';
import { createLogger } from '../../src/logger.js';
import { storeFixture, type StoreFixture } from './store-fixture.js';
import { patientBundle, patientId, supportBatch } from './synthea-like.js';

const logger = createLogger('silent');
const fixtures: StoreFixture[] = [];
const fixture = () => {
  const f = storeFixture();
  fixtures.push(f);
  return f;
};
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.close();
});
afterAll(() => stopValidationWorker());

const post = (fullUrl: string, resource: object): BundleEntry => ({ fullUrl, resource: resource as Resource, request: { method: 'POST', url: (resource as Resource).resourceType } });

/** Support batch, a valid patient, a patient transaction with an invalid Observation, an NDJSON file with a bad line. */
function writeInput(dir: string): string {
  const input = path.join(dir, 'input');
  fs.mkdirSync(input);
  const write = (name: string, doc: Bundle) => fs.writeFileSync(path.join(input, name), JSON.stringify(doc));
  fs.writeFileSync(path.join(input, 'hospitalInformation1.json'), JSON.stringify(supportBatch()));
  write('a.json', patientBundle(1));
  write('b.json', patientBundle(2, [post('urn:uuid:obs-bad', { resourceType: 'Observation', id: 'obs-bad', status: 'done', code: { text: 'x' }, subject: { reference: `urn:uuid:${patientId(2)}` } })]));
  const lines = [{ resourceType: 'Patient', id: 'nd-1', gender: 'male' }, 'not json', { resourceType: 'Patient', id: 'nd-2', gender: 'nope' }];
  fs.writeFileSync(path.join(input, 'more.ndjson'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return input;
}

test('an import validated ahead in the worker ends exactly as one validated on its own thread', async () => {
  const ahead = fixture();
  const input = writeInput(ahead.dir);
  const warnings: string[] = [];
  const capture = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const withWorker = await runImportOf(createImportContext({ store: ahead.store, mode: 'strict', logger: capture }), { kind: 'paths', paths: [input] });
  // No fallback happened: the worker answered every unit.
  expect(warnings).toEqual([]);
  const alone = fixture();
  const onItsOwn = await runImport(alone.context('strict'), unitsOfFiles(listImportFiles([input])));

  const comparable = (s: typeof withWorker) => ({ ...s, seconds: 0, rate: 0 });
  expect(comparable(withWorker)).toEqual(comparable(onItsOwn));
  expect(withWorker.failed).toBe(7);
  const invalid = withWorker.failures.find((f) => f.index === 4)!;
  expect(invalid.outcome.issue?.some((i) => i.expression?.[0] === 'Observation.status')).toBe(true);
  expect(withWorker.failures.find((f) => f.line === 3)?.outcome.issue?.[0].expression).toEqual(['Patient.gender']);
  expect(await ahead.store.countByType()).toEqual(await alone.store.countByType());
});

test('lenient mode gets the same warnings through the worker', async () => {
  const f = fixture();
  const input = writeInput(f.dir);
  const s = await runImportOf(f.context('lenient'), { kind: 'paths', paths: [input] });
  const other = fixture();
  const t = await runImport(other.context('lenient'), unitsOfFiles(listImportFiles([input])));
  expect(s.warnings).toEqual(t.warnings);
  expect(s.warnings.some((w) => w.outcome.issue?.some((i) => i.expression?.[0] === 'Observation.status' && i.severity === 'warning'))).toBe(true);
});

test('the worker answers unit by unit, and has no answer for a unit it read differently or could not read', async () => {
  const f = fixture();
  const file = path.join(f.dir, 'one.json');
  fs.writeFileSync(file, JSON.stringify(patientBundle(3)));
  await warmValidationWorker(logger);

  const same = new ValidationAhead({ kind: 'json', path: file }, undefined, logger);
  expect((await same.unit(0, 4))?.map((entry) => entry?.issues.filter((i) => i.severity === 'error'))).toEqual([[], [], [], []]);
  expect(await same.unit(1, 1)).toBeUndefined();
  same.close();

  const different = new ValidationAhead({ kind: 'json', path: file }, undefined, logger);
  expect(await different.unit(0, 5)).toBeUndefined();
  expect(await different.unit(1, 1)).toBeUndefined();

  const missing = new ValidationAhead({ kind: 'json', path: path.join(f.dir, 'gone.json') }, undefined, logger);
  expect(await missing.unit(0, 1)).toBeUndefined();
});

test('an input that changed between the two reads is validated again, not trusted', async () => {
  const f = fixture();
  const file = path.join(f.dir, 'first.json');
  fs.writeFileSync(file, JSON.stringify(patientBundle(5)));
  // Same shape, other ids, and an invalid Observation: what the file holds by the time the import reads it.
  const changed = patientBundle(6);
  (changed.entry![2].resource as unknown as { status: string }).status = 'done';
  const s = await runImport(f.context('strict'), unitsOfDocument(changed), { source: { kind: 'json', path: file } });
  expect(s.failed).toBe(4);
  expect(s.failures.find((x) => x.index === 2)?.outcome.issue?.some((i) => i.expression?.[0] === 'Observation.status')).toBe(true);
});

test('an import still completes, with the same result, when the worker is stopped under it', async () => {
  const f = fixture();
  const input = writeInput(f.dir);
  const run = runImportOf(f.context('strict'), { kind: 'paths', paths: [input] });
  await stopValidationWorker();
  const s = await run;
  const other = fixture();
  const t = await runImport(other.context('strict'), unitsOfFiles(listImportFiles([input])));
  expect([s.created, s.failed, s.failures]).toEqual([t.created, t.failed, t.failures]);
  expect(s.failed).toBe(7);
});
