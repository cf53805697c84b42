import type { Bundle, Encounter, Resource } from 'fhir/r4.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { runImport } from '../../src/import/run-import.js';
import { processUnit } from '../../src/import/process-unit.js';
import { DeferredEntries } from '../../src/import/deferred-entries.js';
import { createImportContext } from '../../src/import/import-context.js';
import { createLogger } from '../../src/logger.js';
import { storedReferences, storeFixture, type StoreFixture } from './store-fixture.js';
import { NPI, patientBundle, patientId, supportBatch } from './synthea-like.js';

let f: StoreFixture;
beforeEach(() => {
  f = storeFixture();
});
afterEach(() => f.close());

const importDocs = (docs: Bundle[], mode: 'strict' | 'lenient' | 'none' = 'strict', ctx = f.context(mode)) =>
  runImport(ctx, docs.flatMap((d) => [...unitsOfDocument(structuredClone(d))]));

describe('importing Synthea-shaped bundles', () => {
  it('keeps ids, rewrites urn:uuid and resolves conditional references', async () => {
    const s = await importDocs([supportBatch(), patientBundle(1), patientBundle(2)]);
    expect(s.failed).toBe(0);
    expect(s.created).toBe(10);
    expect(s.references.resolved).toBe(6);
    const encounter = (await f.store.search({ resourceType: 'Encounter', criteria: [], sort: [], count: 10, offset: 0, summaryCount: false })).resources[0] as Encounter;
    expect(encounter.subject?.reference).toMatch(/^Patient\/00000000-/);
    expect(encounter.participant?.[0].individual?.reference).toBe('Practitioner/pr-1');
    const refs = await storedReferences(f.store, ['Encounter', 'Observation', 'Claim']);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => r.startsWith('urn:') || r.includes('?'))).toEqual([]);
    expect((await f.store.read('Patient', patientId(1))).id).toBe(patientId(1));
  });

  it('reports everything unchanged on a second import', async () => {
    await importDocs([supportBatch(), patientBundle(1)]);
    const again = await importDocs([supportBatch(), patientBundle(1)]);
    expect([again.created, again.updated, again.failed]).toEqual([0, 0, 0]);
    expect(again.unchanged).toBe(6);
    // One Provenance per unit of the first import (src/lineage); the second wrote nothing, so recorded nothing.
    expect(await f.store.countByType()).toEqual({ Claim: 1, Encounter: 1, Observation: 1, Organization: 1, Patient: 1, Practitioner: 1, Provenance: 2 });
  });

  it('stores a changed resource as a new version', async () => {
    await importDocs([supportBatch(), patientBundle(1)]);
    const changed = patientBundle(1);
    (changed.entry![0].resource as unknown as { gender: string }).gender = 'male';
    const s = await importDocs([changed]);
    expect(s.updated).toBe(1);
    expect((await f.store.read('Patient', patientId(1))).meta.versionId).toBe('2');
  });

  it('keeps the first occurrence when a run repeats a resource with other content', async () => {
    const repeat = patientBundle(2);
    repeat.entry!.push({ fullUrl: 'urn:uuid:org-again', resource: { resourceType: 'Organization', id: 'org-1', name: 'Shorter copy' } as Resource, request: { method: 'POST', url: 'Organization' } });
    const first = await importDocs([supportBatch(), repeat]);
    expect(first.warnings.map((w) => w.outcome.issue?.[0].code)).toEqual(['duplicate']);
    expect((await f.store.read('Organization', 'org-1')).meta.versionId).toBe('1');
    const second = await importDocs([supportBatch(), repeat]);
    expect([second.created, second.updated, second.failed]).toEqual([0, 0, 0]);
  });
});

describe('failures', () => {
  it('a transaction with one invalid entry stores nothing and names the entry', async () => {
    const bad = patientBundle(3, [{ resource: { resourceType: 'Patient', shoeSize: 9 } as never, request: { method: 'POST', url: 'Patient' } }]);
    await importDocs([supportBatch()]);
    const ctx = f.context();
    const failures = await processUnit(ctx, [...unitsOfDocument(bad)][0]);
    expect(failures).toHaveLength(1);
    expect(failures[0].index).toBe(4);
    expect(failures[0].status).toBe(422);
    expect(failures[0].outcome.issue?.[0].expression?.[0]).toMatch(/^Patient\.shoeSize/);
    expect(ctx.tally.summary().failed).toBe(5);
    expect(await f.store.countByType()).toEqual({ Organization: 1, Practitioner: 1, Provenance: 1 });
  });

  it('a batch with one invalid entry stores the others and reports the bad one by index', async () => {
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Patient', id: 'a' }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', id: 'b', birthDate: 'yesterday' } as never, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', id: 'c' }, request: { method: 'POST', url: 'Patient' } },
      ],
    };
    const s = await importDocs([batch]);
    expect(s.created).toBe(2);
    expect(s.failures.map((x) => x.index)).toEqual([2, 1]);
    expect(s.failures.find((x) => x.index === 1)?.outcome.issue?.[0].expression).toEqual(['Patient.birthDate']);
  });

  it('conditional references matching none or several fail with the entry and path', async () => {
    await importDocs([supportBatch()]);
    await f.store.write([{ op: 'put', resource: { resourceType: 'Practitioner', id: 'twin', identifier: [{ system: NPI, value: '9999999991' }] } as Resource & { id: string } }]);
    const s = await importDocs([patientBundle(4)]);
    expect(s.failed).toBe(4);
    expect(s.failures[0].index).toBe(1);
    expect(s.failures[0].outcome.issue?.[0].expression).toEqual(['Encounter.participant[0].individual']);
    expect(s.failures[0].outcome.issue?.[0].diagnostics).toMatch(/more than one/);
  });

  it('a dangling reference is an error in strict mode and a warning in lenient mode', async () => {
    const orphan = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/nobody' } };
    const collection: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: orphan as never }] };
    const strict = await importDocs([collection]);
    expect(strict.failures[0].outcome.issue?.[0]).toMatchObject({ severity: 'error', code: 'not-found', expression: ['Observation.subject'] });
    const lenient = await importDocs([collection], 'lenient');
    expect(lenient.created).toBe(1);
    expect(lenient.warnings[0].outcome.issue?.[0].severity).toBe('warning');
  });

  it('stops at a store read that fails (unreachable, timed out) instead of reporting a dangling reference', async () => {
    const unreachable = Object.create(f.store, { read: { value: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:27017')) } });
    const ctx = createImportContext({ store: unreachable, mode: 'strict', logger: createLogger('silent') });
    const observation = { resourceType: 'Observation', id: 'o2', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/somebody' } };
    const collection: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: observation as never }, { resource: { ...observation, id: 'o3' } as never }] };
    await expect(importDocs([collection], 'strict', ctx)).rejects.toThrow(/ECONNREFUSED/);
    expect(ctx.tally.summary().failed).toBe(0);
  });
});

describe('forward references', () => {
  it('stores an NDJSON-style entry whose target comes later in the input, and still fails a target that never comes', async () => {
    const report = { resourceType: 'DiagnosticReport', id: 'dr', status: 'final', code: { text: 'panel' }, result: [{ reference: 'Observation/later' }] };
    const orphan = { resourceType: 'DiagnosticReport', id: 'dr2', status: 'final', code: { text: 'panel' }, result: [{ reference: 'Observation/never' }] };
    const later = { resourceType: 'Observation', id: 'later', status: 'final', code: { text: 'x' } };
    const ctx = f.context();
    const units = [
      { entries: [{ resource: report, line: 1 }, { resource: orphan, line: 2 }], atomic: false },
      { entries: [{ resource: later, line: 3 }], atomic: false },
    ];
    const s = await runImport(ctx, units);
    expect(s.created).toBe(2);
    expect(s.failures.map((x) => x.line)).toEqual([2]);
    expect((await f.store.read('DiagnosticReport', 'dr')).id).toBe('dr');
  });

  it('reports a deferred entry\'s validation issues once, carried from its first pass (lenient)', async () => {
    const report = { resourceType: 'DiagnosticReport', id: 'dr', status: 'final', code: { text: 'panel' }, result: [{ reference: 'Observation/later' }] };
    const later = { resourceType: 'Observation', id: 'later', status: 'final', code: { text: 'x' }, valueString: 'y' };
    const s = await runImport(f.context('lenient'), [
      { entries: [{ resource: report, line: 1 }], atomic: false },
      { entries: [{ resource: later, line: 2 }], atomic: false },
    ]);
    expect(s.created).toBe(2);
    const onReport = s.warnings.filter((w) => w.line === 1).flatMap((w) => w.outcome.issue ?? []);
    expect(onReport.filter((i) => i.diagnostics?.startsWith('dom-6'))).toHaveLength(1);
    expect(onReport.some((i) => i.code === 'not-found')).toBe(false);
  });

  it('holds deferred entries with their issues and gives both back by position', () => {
    const deferred = new DeferredEntries();
    const warning = { severity: 'warning' as const, code: 'invariant' as const, diagnostics: 'w' };
    expect(deferred.offer({ resource: {}, line: 1 }, { resourceType: 'Patient', id: 'a' }, [warning])).toBe(true);
    expect(deferred.offer({ resource: {}, line: 2 }, { resourceType: 'Patient', id: 'b' }, [])).toBe(true);
    const [only, ...rest] = [...deferred.drain()];
    expect(rest).toEqual([]);
    expect(only.unit.entries.map((e) => (e.resource as { id: string }).id)).toEqual(['a', 'b']);
    expect(only.validated).toEqual([{ key: 'Patient/a', issues: [warning] }, { key: 'Patient/b', issues: [] }]);
    expect(deferred.offer({ resource: {}, line: 3 }, { resourceType: 'Patient', id: 'c' }, [])).toBe(false);
  });

  it('does not defer inside a transaction', async () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/later' } } as Resource, request: { method: 'PUT', url: 'Observation/o' } }] };
    const s = await importDocs([bundle, { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient', id: 'later' }, request: { method: 'PUT', url: 'Patient/later' } }] }]);
    expect(s.failures[0].outcome.issue?.[0].code).toBe('not-found');
    expect(s.created).toBe(1);
  });
});
