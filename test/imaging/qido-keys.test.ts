/** qidoQueryOf: the QIDO-RS matching keys, by keyword and by tag, matched against DICOM JSON answers. */
import type { DicomJsonDataset } from 'dcmjs';
import { qidoQueryOf, type QidoLevel } from '../../src/imaging/qido-keys.js';

const parse = (q: string, level: QidoLevel = 'instance') => qidoQueryOf(new URLSearchParams(q), level);

const dataset = {
  '00080020': { vr: 'DA', Value: ['20240305'] },
  '00080050': { vr: 'SH', Value: ['ACC123'] },
  '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
  '00080090': { vr: 'PN' },
  '00081030': { vr: 'LO', Value: ['Brain MRI without contrast'] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Moore^Ann' }] },
  '00100020': { vr: 'LO', Value: ['p-17'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
  '00200010': { vr: 'SH', Value: ['ACC123'] },
  '00080060': { vr: 'CS', Value: ['CT'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.4.5'] },
  '00200011': { vr: 'IS', Value: [3] },
  '00400244': { vr: 'DA', Value: ['20240305'] },
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5.6'] },
  '00200013': { vr: 'IS', Value: [12] },
} as unknown as DicomJsonDataset;

const matches = (q: string) => parse(q).matchers.every((m) => m.matches(dataset));

test.each([
  ['PatientName=moor*', true],
  ['00100010=MOORE%5EANN', true],
  ['PatientName=Mo?re*', true],
  ['PatientName=Moor', false],
  ['PatientID=p-1?', true],
  ['PatientID=P-17', false],
  ['AccessionNumber=ACC*', true],
  ['StudyID=ACC124', false],
  ['ReferringPhysicianName=Smith*', false],
  ['ReferringPhysicianName=*', true],
  ['StudyDescription=*MRI*', true],
  ['StudyDescription=*mri*', false],
  ['StudyDate=20240305', true],
  ['StudyDate=20240101-20240304', false],
  ['StudyDate=20240301-', true],
  ['StudyDate=-20240304', false],
  ['StudyInstanceUID=9.9,1.2.3.4', true],
  ['0020000D=9.9%5C9.8', false],
  ['ModalitiesInStudy=MR,SR', true],
  ['ModalitiesInStudy=MR', false],
  ['Modality=CT', true],
  ['00080060=MR', false],
  ['SeriesInstanceUID=1.2.3.4.5', true],
  ['SeriesNumber=3', true],
  ['SeriesNumber=4', false],
  ['PerformedProcedureStepStartDate=20240306-', false],
  ['SOPClassUID=1.2.840.10008.5.1.4.1.1.2', true],
  ['00080018=1.2.3.4.5.7', false],
  ['InstanceNumber=12', true],
  ['InstanceNumber=1', false],
  ['PatientName=moor*&Modality=MR', false],
])('%s matches: %s', (q, expected) => {
  expect(matches(q)).toBe(expected);
});

test('keys below the level, unknown keys are named; paging and return options are not', () => {
  const { ignored, matchers, limit, offset } = parse('PatientName=Doe*&Modality=CT&Foo=1&includefield=00081030&fuzzymatching=false&limit=2&offset=4', 'study');
  expect({ ignored, matchers: matchers.map((m) => m.tag), limit, offset }).toEqual({ ignored: ['Modality', 'Foo'], matchers: ['00100010'], limit: 2, offset: 4 });
});

test('study keys FHIR can express narrow the store search', () => {
  const fhir = parse('PatientID=p-1&StudyDate=20240101-&StudyInstanceUID=1.2,1.3&ModalitiesInStudy=CT', 'study').matchers.flatMap((m) => m.fhir ?? []);
  expect(fhir).toEqual([
    ['patient', 'Patient/p-1'],
    ['started', 'ge2024-01-01'],
    ['identifier', 'urn:dicom:uid|urn:oid:1.2,urn:dicom:uid|urn:oid:1.3'],
    ['modality', 'http://dicom.nema.org/resources/ontology/DCM|CT'],
  ]);
  // A wildcard PatientID cannot be a FHIR search; it is matched on the answers only.
  expect(parse('PatientID=p-*', 'study').matchers[0].fhir).toBeUndefined();
});

test('bad values are a 400 naming the key', () => {
  for (const [q, key] of [
    ['StudyDate=2020-03-15', 'StudyDate'],
    ['StudyDate=20200230', 'StudyDate'],
    ['StudyDate=20201231-20200101', 'StudyDate'],
    ['StudyDate=-', 'StudyDate'],
    ['PerformedProcedureStepStartDate=2024', 'PerformedProcedureStepStartDate'],
    [`StudyInstanceUID=1.${'2'.repeat(64)}`, 'StudyInstanceUID'],
    ['SeriesInstanceUID=1.2.abc', 'SeriesInstanceUID'],
    ['00080018=1.02.3', 'SOPInstanceUID'],
    ['SeriesNumber=three', 'SeriesNumber'],
    ['InstanceNumber=1.5', 'InstanceNumber'],
    ['ModalitiesInStudy=ct', 'ModalitiesInStudy'],
    ['ModalitiesInStudy=CT,,MR', 'ModalitiesInStudy'],
    ['Modality=c;t', 'Modality'],
    ['limit=-1', 'limit'],
  ]) {
    let error: { status?: number; outcome?: { issue?: { expression?: string[] }[] } } | undefined;
    try {
      parse(q);
    } catch (err) {
      error = err as typeof error;
    }
    expect({ q, status: error?.status, where: error?.outcome?.issue?.[0].expression }).toEqual({ q, status: 400, where: [key] });
  }
});
