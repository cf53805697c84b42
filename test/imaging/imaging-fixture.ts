/**
 * A real SQLite store in a temporary data directory, seeded with one patient whose conditions call for imaging,
 * and the file store the DICOM files go to: that directory (the local driver) unless a test passes another.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Condition, Encounter, Patient, Resource } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import type { FileStore } from '../../src/files/file-store.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export interface ImagingFixture {
  dir: string;
  store: ResourceStore;
  /** The data directory as the FHIR router's file area. */
  files: FileArea;
  /** Where the DICOM files are written and read. */
  fileStore: FileStore;
  close(): Promise<void>;
}

export const PATIENT_ID = 'img-patient-1';

export const patient: Patient & { id: string } = {
  resourceType: 'Patient',
  id: PATIENT_ID,
  name: [{ use: 'official', family: 'Núñez', given: ['Ana', 'María'], prefix: ['Ms.'] }],
  gender: 'female',
  birthDate: '1980-03-04',
};

export function encounter(id: string, start: string, end: string): Encounter & { id: string } {
  return { resourceType: 'Encounter', id, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' }, subject: { reference: `Patient/${PATIENT_ID}` }, period: { start, end } };
}

export function condition(id: string, code: string, display: string, encounterId: string, bodySite?: { code: string; display: string }): Condition & { id: string } {
  return {
    resourceType: 'Condition',
    id,
    code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
    ...(bodySite ? { bodySite: [{ coding: [{ system: 'http://snomed.info/sct', ...bodySite }] }] } : {}),
    subject: { reference: `Patient/${PATIENT_ID}` },
    encounter: { reference: `Encounter/${encounterId}` },
    onsetDateTime: '2024-01-01T00:00:00+00:00',
  };
}

/** Pneumonia (DX), stroke (MR), forearm fracture (DX of the forearm), pregnancy (US) and hypertension (nothing). */
export const seedResources: Resource[] = [
  patient,
  encounter('enc-1', '2024-02-01T09:00:00+00:00', '2024-02-01T11:00:00+00:00'),
  encounter('enc-2', '2024-03-05T14:00:00+00:00', '2024-03-07T10:00:00+00:00'),
  encounter('enc-3', '2024-04-10T20:00:00+00:00', '2024-04-10T22:00:00+00:00'),
  encounter('enc-4', '2024-05-01T08:00:00+00:00', '2024-05-01T08:30:00+00:00'),
  condition('cond-pneumonia', '233604007', 'Pneumonia (disorder)', 'enc-1'),
  condition('cond-stroke', '230690007', 'Cerebrovascular accident (disorder)', 'enc-2'),
  condition('cond-fracture', '65966004', 'Fracture of forearm (disorder)', 'enc-3', { code: '14975008', display: 'Forearm structure (body structure)' }),
  condition('cond-pregnancy', '72892002', 'Normal pregnancy (finding)', 'enc-4'),
  condition('cond-hypertension', '59621000', 'Essential hypertension (disorder)', 'enc-4'),
];

export async function makeImagingFixture(fileStoreOf: (dir: string) => FileStore = (dir) => new LocalFileStore(dir)): Promise<ImagingFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-imaging-'));
  const store = await openStore(loadConfig({}, { dataDir: dir }));
  await store.write(seedResources.map((resource) => ({ op: 'put' as const, resource: resource as Resource & { id: string } })));
  return {
    dir,
    store,
    files: new FileArea(dir),
    fileStore: fileStoreOf(dir),
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every .dcm file under the data directory's DICOM folder. */
export function dicomFilesUnder(dir: string): string[] {
  const root = path.join(dir, 'dicom');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.dcm')).map((f) => path.join(root, f)).sort();
}
