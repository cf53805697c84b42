/**
 * $enhance-imaging end to end on a real SQLite store: ImagingStudy resources and DICOM files agree both
 * ways, the files pass dciodvfy/dcentvfy/dcmdump, and re-runs are idempotent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DicomMessage, DicomMetaDictionary } from '../../src/imaging/dcmjs.js';
import type { Endpoint, ImagingStudy } from 'fhir/r4.js';
import { enhanceImaging } from '../../src/imaging/enhance-imaging.js';
import { validateResource } from '../../src/validation/validate-resource.js';
import { condition, dicomFilesUnder, makeImagingFixture, PATIENT_ID, type ImagingFixture } from './imaging-fixture.js';
import { needsTool } from '../external-tool.js';
import { errorLines, runTool } from './dicom-tools.js';

const BASE = 'http://127.0.0.1:8080/dicomweb';

function readDicom(file: string) {
  const bytes = fs.readFileSync(file);
  return DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer).dict);
}

async function studies(fx: ImagingFixture): Promise<ImagingStudy[]> {
  const out: ImagingStudy[] = [];
  for await (const s of fx.store.stream('ImagingStudy')) out.push(s as unknown as ImagingStudy);
  return out;
}

const studyUid = (s: ImagingStudy) => s.identifier!.find((i) => i.system === 'urn:dicom:uid')!.value!.replace('urn:oid:', '');

describe('$enhance-imaging worker', () => {
  let fx: ImagingFixture;
  beforeAll(async () => {
    fx = await makeImagingFixture();
  });
  afterAll(async () => fx.close());

  test('first run: one study per imaging condition, with files', async () => {
    const r = await enhanceImaging({ store: fx.store, fileStore: fx.fileStore, dicomwebBaseUrl: BASE });
    expect(r).toMatchObject({ patients: 1, created: 4, updated: 0, unchanged: 0, series: 2 + 5 + 3 + 1, instances: 4 + 100 + 6 + 4, filesWritten: 114 });
  });

  test('ImagingStudy resources follow R4 and link condition, encounter and endpoint', async () => {
    const all = await studies(fx);
    const byReason = new Map(all.map((s) => [s.reasonReference![0].reference, s]));
    expect([...byReason.keys()].sort()).toEqual(['Condition/cond-fracture', 'Condition/cond-pneumonia', 'Condition/cond-pregnancy', 'Condition/cond-stroke']);
    expect(byReason.get('Condition/cond-pneumonia')!.modality![0]).toMatchObject({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'DX' });
    expect(byReason.get('Condition/cond-stroke')!.series!.map((s) => s.instance!.length)).toEqual([20, 20, 20, 20, 20]);
    const fracture = byReason.get('Condition/cond-fracture')!;
    expect(fracture.series![0].bodySite).toMatchObject({ system: 'http://snomed.info/sct', code: '14975008' });
    expect(fracture.series![0].laterality?.code).toMatch(/^(7771000|24028007)$/);
    expect(byReason.get('Condition/cond-pregnancy')!.series![0].instance![0].sopClass).toEqual({ system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.6.1' });
    for (const s of all) {
      expect(validateResource(s).filter((i) => i.severity === 'error')).toEqual([]);
      expect(studyUid(s)).toMatch(/^2\.25\.\d+$/);
      expect(s.numberOfSeries).toBe(s.series!.length);
      expect(s.numberOfInstances).toBe(s.series!.reduce((n, x) => n + x.instance!.length, 0));
      expect(s.subject.reference).toBe(`Patient/${PATIENT_ID}`);
      const encounter = await fx.store.read('Encounter', s.encounter!.reference!.split('/')[1]);
      const period = (encounter as unknown as { period: { start: string; end: string } }).period;
      expect(Date.parse(s.started!)).toBeGreaterThanOrEqual(Date.parse(period.start));
      expect(Date.parse(s.started!)).toBeLessThanOrEqual(Date.parse(period.end));
      expect(s.endpoint![0].reference).toBe('Endpoint/medgen-dicomweb');
    }
    const endpoint = (await fx.store.read('Endpoint', 'medgen-dicomweb')) as unknown as Endpoint;
    expect(endpoint.connectionType.code).toBe('dicom-wado-rs');
    expect(endpoint.address).toBe(BASE);
    expect(validateResource(endpoint).filter((i) => i.severity === 'error')).toEqual([]);
  });

  test('every instance has its file and every file its instance, with matching attributes', async () => {
    const all = await studies(fx);
    const expected = new Map<string, { study: ImagingStudy; modality: string; sopClass: string; seriesUid: string }>();
    for (const s of all) for (const series of s.series!) for (const i of series.instance!) expected.set(i.uid, { study: s, modality: series.modality.code!, sopClass: i.sopClass.code!, seriesUid: series.uid });
    const files = dicomFilesUnder(fx.dir);
    expect(files).toHaveLength(expected.size);
    const studyTimes = new Map<string, string>();
    for (const file of files) {
      const ds = readDicom(file);
      const want = expected.get(String(ds.SOPInstanceUID))!;
      expect(want).toBeDefined();
      expect(path.relative(path.join(fx.dir, 'dicom'), file)).toBe(`${ds.StudyInstanceUID}/${ds.SeriesInstanceUID}/${ds.SOPInstanceUID}.dcm`);
      expect(ds.StudyInstanceUID).toBe(studyUid(want.study));
      expect(ds.SeriesInstanceUID).toBe(want.seriesUid);
      expect(ds.Modality).toBe(want.modality);
      expect(`urn:oid:${ds.SOPClassUID}`).toBe(want.sopClass);
      expect(ds.PatientID).toBe(PATIENT_ID);
      expect((ds.PatientName as { Alphabetic: string }[])[0].Alphabetic).toBe('Núñez^Ana^María^Ms.');
      expect(ds.PatientBirthDate).toBe('19800304');
      expect(ds.PatientSex).toBe('F');
      expect(`${ds.StudyDate}${ds.StudyTime}`).toBe(want.study.started!.slice(0, 19).replace(/[-T:]/g, ''));
      const key = String(ds.StudyInstanceUID);
      studyTimes.set(key, studyTimes.get(key) ?? `${ds.StudyDate}${ds.StudyTime}`);
      expect(`${ds.StudyDate}${ds.StudyTime}`).toBe(studyTimes.get(key));
      if (ds.Modality === 'MR') expect(ds.RescaleSlope).toBeUndefined();
    }
  });

  const withTools = needsTool(['dciodvfy', 'dcentvfy', 'dcmdump'], 'the DICOM files are judged by dicom3tools and dcmtk, which .ci/run installs');
  withTools('dciodvfy, dcentvfy and dcmdump find no errors', () => {
    const files = dicomFilesUnder(fx.dir);
    const byStudy = new Map<string, string[]>();
    for (const f of files) {
      const study = path.relative(path.join(fx.dir, 'dicom'), f).split(path.sep)[0];
      byStudy.set(study, [...(byStudy.get(study) ?? []), f]);
    }
    for (const [study, list] of byStudy) {
      // The first file of every series through the IOD checker; all files of the study through dcentvfy.
      const firsts = new Map(list.map((f) => [path.dirname(f), f]));
      for (const f of firsts.values()) expect({ f, errors: errorLines(runTool('dciodvfy', [f]).output) }).toEqual({ f, errors: [] });
      expect({ study, errors: errorLines(runTool('dcentvfy', list).output) }).toEqual({ study, errors: [] });
      const dump = runTool('dcmdump', [list[0]]);
      expect(dump.status).toBe(0);
      expect(dump.output).toContain('(0020,000d)');
    }
  });

  test('a second run adds nothing; a new condition adds exactly its study', async () => {
    const filesBefore = dicomFilesUnder(fx.dir).length;
    const again = await enhanceImaging({ store: fx.store, fileStore: fx.fileStore, dicomwebBaseUrl: BASE });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, filesWritten: 0 });
    expect(dicomFilesUnder(fx.dir)).toHaveLength(filesBefore);
    await fx.store.update(condition('cond-migraine', '37796009', 'Migraine (disorder)', 'enc-4'));
    const more = await enhanceImaging({ store: fx.store, fileStore: fx.fileStore, dicomwebBaseUrl: BASE, patientId: PATIENT_ID });
    expect(more).toMatchObject({ created: 1, unchanged: 4, filesWritten: 100 });
    expect(await studies(fx)).toHaveLength(5);
  });

  test('an unknown patient is a 404', async () => {
    await expect(enhanceImaging({ store: fx.store, fileStore: fx.fileStore, dicomwebBaseUrl: BASE, patientId: 'nobody' })).rejects.toMatchObject({ status: 404 });
  });
});
