/**
 * Contract: what `_include`/`_revinclude` bring in (search-includes.ts) from the store API alone — reference
 * searches, `_id` searches and the reference index for `*` — so that both stores answer alike, deleted
 * and absent resources left out.
 */
import { collectIncludes } from '../../src/fhir/rest/search-includes.js';
import { parseInclude } from '../../src/search/parse-includes.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { encounter, observation, organization, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';

const spec = (value: string, name = '_include') => parseInclude(name, value);
const keys = (resources: StoredResource[]) => resources.map((r) => `${r.resourceType}/${r.id}`).sort();

export function includeContract(get: StoreGetter): void {
  beforeEach(async () => {
    for (const resource of [organization(), patient(), patient('pat-2'), encounter(), observation('obs-1'), observation('obs-2', 'pat-2'), observation('obs-3', 'pat-gone')]) {
      await get().create(resource as never);
    }
  });
  const read = (type: string, id: string) => get().read(type, id);

  it('_include by parameter and by *, once each, absent targets left out', async () => {
    const matches = [await read('Observation', 'obs-1'), await read('Observation', 'obs-2'), await read('Observation', 'obs-3')];
    expect(keys((await collectIncludes(get(), [spec('Observation:subject')], matches)).resources)).toEqual(['Patient/pat-1', 'Patient/pat-2']);
    const all = await collectIncludes(get(), [spec('Observation:*')], matches.slice(0, 1));
    expect(keys(all.resources)).toEqual(['Encounter/enc-1', 'Patient/pat-1']);
  });

  it('_revinclude by parameter and by *, deleted sources left out', async () => {
    const pat1 = await read('Patient', 'pat-1');
    expect(keys((await collectIncludes(get(), [spec('Observation:subject', '_revinclude')], [pat1])).resources)).toEqual(['Observation/obs-1']);
    expect(keys((await collectIncludes(get(), [spec('Encounter:*', '_revinclude')], [pat1])).resources)).toEqual(['Encounter/enc-1']);
    await get().delete('Observation', 'obs-1');
    expect((await collectIncludes(get(), [spec('Observation:subject', '_revinclude')], [pat1])).resources).toEqual([]);
  });

  it(':iterate follows from what was brought in, never repeating a match', async () => {
    const org = await read('Organization', 'org-1');
    const found = await collectIncludes(get(), [spec('Patient:organization', '_revinclude'), spec('Observation:subject', '_revinclude:iterate'), spec('Observation:encounter', '_include:iterate')], [org]);
    expect(keys(found.resources)).toEqual(['Encounter/enc-1', 'Observation/obs-1', 'Observation/obs-2', 'Patient/pat-1', 'Patient/pat-2']);
    expect(found.notes).toEqual([]);
  });
}
