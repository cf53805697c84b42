/** The instance keys WADO-RS sends for a study, a series or an instance: which keys, in which order. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { instanceKeys, seriesKeys, studyKeys } from '../../src/imaging/dicomweb-retrieve.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-retrieve-'));
const store = new LocalFileStore(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  for (const key of [
    'dicom/1.2/1.2.3.4/1.9.dcm',
    'dicom/1.2/1.2.3/1.2.dcm',
    'dicom/1.2/1.2.3/1.10.dcm',
    'dicom/1.2/1.2.3/notes.txt',
    'dicom/1.2/1.2.3/deeper/1.3.dcm',
    'dicom/1.2/not-a-uid/1.4.dcm',
    'dicom/1.23/1.2.3/1.5.dcm',
  ]) {
    await store.write(key, 'x');
  }
});

test('a study: series by UID as text (1.2.3 before 1.2.3.4), each series by file name, instance keys only', async () => {
  expect(await studyKeys(store, '1.2')).toEqual(['dicom/1.2/1.2.3/1.10.dcm', 'dicom/1.2/1.2.3/1.2.dcm', 'dicom/1.2/1.2.3.4/1.9.dcm']);
});

test('a series and an instance; what is not there is a 404, what is not a UID a 400', async () => {
  expect(await seriesKeys(store, '1.2', '1.2.3')).toEqual(['dicom/1.2/1.2.3/1.10.dcm', 'dicom/1.2/1.2.3/1.2.dcm']);
  expect(await instanceKeys(store, '1.2', '1.2.3.4', '1.9')).toEqual(['dicom/1.2/1.2.3.4/1.9.dcm']);
  await expect(instanceKeys(store, '1.2', '1.2.3', '1.9')).rejects.toMatchObject({ status: 404 });
  await expect(seriesKeys(store, '1.2', '1.2.4')).rejects.toMatchObject({ status: 404 });
  await expect(studyKeys(store, '1.3')).rejects.toMatchObject({ status: 404 });
  await expect(studyKeys(store, '../etc')).rejects.toMatchObject({ status: 400 });
});
