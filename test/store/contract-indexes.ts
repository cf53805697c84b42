/** Contract: the identifier index and the reference index follow every create, update and delete. */
import type { Observation, Patient, Resource } from 'fhir/r4.js';
import { MRN, SSN, condition, encounter, observation, organization, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';

export function indexContract(get: StoreGetter): void {
  beforeEach(async () => {
    await get().write([
      { op: 'create', resource: organization('org-1') },
      { op: 'create', resource: organization('org-2') },
      { op: 'create', resource: patient('pat-1') },
      { op: 'create', resource: patient('pat-2', { identifier: [{ system: SSN, value: 'shared' }] }) },
      { op: 'create', resource: patient('pat-3', { identifier: [{ system: MRN, value: 'shared' }] }) },
      { op: 'create', resource: encounter('enc-1') },
      { op: 'create', resource: observation('obs-1') },
      { op: 'create', resource: condition('cond-1') },
    ]);
  });

  it('findByIdentifier: by system and value, any system with null, never across types', async () => {
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual(['pat-1']);
    expect(await get().findByIdentifier('Patient', SSN, 'mrn-pat-1')).toEqual([]);
    expect(await get().findByIdentifier('Patient', null, 'shared')).toEqual(['pat-2', 'pat-3']);
    expect(await get().findByIdentifier('Patient', MRN, 'shared')).toEqual(['pat-3']);
    expect(await get().findByIdentifier('Organization', MRN, 'mrn-pat-1')).toEqual([]);
    expect(await get().findByIdentifier('Organization', null, 'synthea-org-2')).toEqual(['org-2']);
  });

  it('findByIdentifiers answers as findByIdentifier does for each identifier, in their order, across types', async () => {
    const wanted = [
      { system: MRN, value: 'mrn-pat-1' },
      { system: null, value: 'shared' },
      { system: SSN, value: 'mrn-pat-1' },
      { system: MRN, value: 'shared' },
      { system: null, value: 'synthea-org-2' },
    ];
    const of = (resourceType: string) => wanted.map((w) => ({ resourceType, ...w }));
    expect(await get().findByIdentifiers([...of('Patient'), ...of('Organization')])).toEqual([['pat-1'], ['pat-2', 'pat-3'], [], ['pat-3'], [], [], [], [], [], ['org-2']]);
    expect(await get().findByIdentifiers([])).toEqual([]);
  });

  it('findByIdentifier follows updates and deletes', async () => {
    await get().update({ ...patient('pat-1'), identifier: [{ system: MRN, value: 'mrn-new' }] } as Patient & { id: string });
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual([]);
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-new')).toEqual(['pat-1']);
    await get().delete('Patient', 'pat-1');
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-new')).toEqual([]);
    await get().create(patient('pat-1'));
    expect(await get().findByIdentifier('Patient', MRN, 'mrn-pat-1')).toEqual(['pat-1']);
  });

  it('referencesTo lists each referencing resource with the path of the reference', async () => {
    const refs = await get().referencesTo('Patient', 'pat-1');
    const sorted = [...refs].sort((a, b) => `${a.resourceType}/${a.id}`.localeCompare(`${b.resourceType}/${b.id}`));
    expect(sorted.map((r) => `${r.resourceType}/${r.id}`)).toEqual(['Condition/cond-1', 'Encounter/enc-1', 'Observation/obs-1']);
    expect(sorted[2].path).toMatch(/^Observation\.subject/);
    expect(await get().referencesTo('Patient', 'pat-2')).toEqual([]);
    expect((await get().referencesTo('Encounter', 'enc-1')).map((r) => r.id).sort()).toEqual(['cond-1', 'obs-1']);
  });

  it('referencesTo finds references no search parameter covers, beside covered ones to the same target', async () => {
    // Claim.patient is a search parameter; Claim.supportingInfo.valueReference and Immunization.encounter are not.
    await get().write([
      { op: 'create', resource: { resourceType: 'Claim', id: 'claim-1', patient: { reference: 'Patient/pat-1' }, supportingInfo: [{ sequence: 1, category: { text: 'x' }, valueReference: { reference: 'Patient/pat-1' } }] } as Resource },
      { op: 'create', resource: { resourceType: 'Immunization', id: 'imm-1', encounter: { reference: 'Encounter/enc-1' } } as Resource },
    ]);
    const claimPaths = (await get().referencesTo('Patient', 'pat-1')).filter((r) => r.resourceType === 'Claim').map((r) => r.path.replace(/\[0\]/g, ''));
    expect(claimPaths.sort()).toEqual(['Claim.patient', 'Claim.supportingInfo.valueReference']);
    expect((await get().referencesTo('Encounter', 'enc-1')).filter((r) => r.resourceType === 'Immunization')).toEqual([
      { resourceType: 'Immunization', id: 'imm-1', path: expect.stringMatching(/^Immunization\.encounter/) },
    ]);
    await get().delete('Immunization', 'imm-1');
    expect((await get().referencesTo('Encounter', 'enc-1')).map((r) => r.id).sort()).toEqual(['cond-1', 'obs-1']);
  });

  it('referencesFrom lists the references a resource holds', async () => {
    const refs = await get().referencesFrom('Observation', 'obs-1');
    const byPath = Object.fromEntries(refs.map((r) => [r.path.replace(/\[0\]$/, ''), r]));
    expect(byPath['Observation.subject']).toEqual({ path: expect.any(String), targetType: 'Patient', targetId: 'pat-1', url: null });
    expect(byPath['Observation.encounter']).toMatchObject({ targetType: 'Encounter', targetId: 'enc-1' });
    expect(refs).toHaveLength(2);
    expect(await get().referencesFrom('Observation', 'absent')).toEqual([]);
  });

  it('non-relative references keep their url', async () => {
    await get().create({ ...observation('obs-2'), encounter: { reference: 'urn:uuid:4f1e' } } as Observation);
    const refs = await get().referencesFrom('Observation', 'obs-2');
    expect(refs).toContainEqual({ path: expect.stringMatching(/^Observation\.encounter/), targetType: null, targetId: null, url: 'urn:uuid:4f1e' });
  });

  it('the reference index follows updates and deletes', async () => {
    await get().update({ ...patient('pat-1'), managingOrganization: { reference: 'Organization/org-2' } } as Patient & { id: string });
    expect((await get().referencesTo('Organization', 'org-1')).map((r) => r.id).sort()).toEqual(['enc-1', 'pat-2', 'pat-3']);
    expect((await get().referencesTo('Organization', 'org-2')).map((r) => r.id)).toEqual(['pat-1']);
    await get().delete('Observation', 'obs-1');
    expect(await get().referencesFrom('Observation', 'obs-1')).toEqual([]);
    expect((await get().referencesTo('Patient', 'pat-1')).map((r) => r.id).sort()).toEqual(['cond-1', 'enc-1']);
  });
}
