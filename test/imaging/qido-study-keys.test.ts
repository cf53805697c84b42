/** studyQueryOf: the QIDO-RS study matching keys, by keyword and by tag. */
import { studyQueryOf } from '../../src/imaging/qido-study-keys.js';

const parse = (q: string) => studyQueryOf(new URLSearchParams(q));

test('dates, ranges and open ranges become inclusive day bounds', () => {
  expect(parse('StudyDate=20200315').query.studyDate).toEqual({ from: '2020-03-15', to: '2020-03-15' });
  expect(parse('00080020=20200101-20201231').query.studyDate).toEqual({ from: '2020-01-01', to: '2020-12-31' });
  expect(parse('StudyDate=-20191231').query.studyDate).toEqual({ from: undefined, to: '2019-12-31' });
  expect(parse('StudyDate=20240229-').query.studyDate).toEqual({ from: '2024-02-29', to: undefined });
});

test('modalities by keyword or tag, comma or backslash separated; paging and ids as before', () => {
  expect(parse('ModalitiesInStudy=CT,MR').query.modalities).toEqual(['CT', 'MR']);
  expect(parse('00080061=CR%5CDX').query.modalities).toEqual(['CR', 'DX']);
  expect(parse('PatientID=p-1&0020000D=1.2.3&limit=5&offset=10').query).toEqual({ patientId: 'p-1', studyUid: '1.2.3', limit: 5, offset: 10 });
});

test('unsupported matching keys are named, paging and return options are not', () => {
  expect(parse('PatientName=Doe*&AccessionNumber=A1&includefield=00081030&fuzzymatching=false&limit=2').ignored).toEqual(['PatientName', 'AccessionNumber']);
});

test('bad values are a 400 naming the key', () => {
  for (const [q, key] of [
    ['StudyDate=2020-03-15', 'StudyDate'],
    ['StudyDate=20200230', 'StudyDate'],
    ['StudyDate=20201231-20200101', 'StudyDate'],
    ['StudyDate=-', 'StudyDate'],
    ['ModalitiesInStudy=ct', 'ModalitiesInStudy'],
    ['ModalitiesInStudy=CT,,MR', 'ModalitiesInStudy'],
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
