/** MEDGEN_FILES_URL: which store each accepted form opens, and a clear refusal of every other. */
import path from 'node:path';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { openFileStore, parseFilesUrl } from '../../src/files/open-file-store.js';
import { S3FileStore } from '../../src/files/s3-file-store.js';

test('unset or empty is the data folder, keeping the layout files have always had', () => {
  for (const url of [undefined, '']) {
    expect(parseFilesUrl(url, 'data')).toEqual({ kind: 'local', root: path.resolve('data') });
    const store = openFileStore(url, '/srv/medgen');
    expect(store).toBeInstanceOf(LocalFileStore);
    expect(store.location).toBe('/srv/medgen');
    expect(store.localPath('jobs/x/y.ndjson')).toBe('/srv/medgen/jobs/x/y.ndjson');
  }
});

test('file:///path is a local folder at that path, percent-escapes decoded', () => {
  expect(parseFilesUrl('file:///var/lib/medgen%20files', 'data')).toEqual({ kind: 'local', root: '/var/lib/medgen files' });
  expect(openFileStore('file:///var/lib/medgen', 'data').location).toBe('/var/lib/medgen');
});

test('s3://bucket and s3://bucket/prefix are the S3 driver, a trailing slash not part of the prefix', () => {
  expect(parseFilesUrl('s3://medgen-test', 'data')).toEqual({ kind: 's3', bucket: 'medgen-test', prefix: '' });
  expect(parseFilesUrl('s3://medgen-test/ci/run-1/', 'data')).toEqual({ kind: 's3', bucket: 'medgen-test', prefix: 'ci/run-1' });
  const store = openFileStore('s3://medgen-test/ci', 'data');
  expect(store).toBeInstanceOf(S3FileStore);
  expect(store.location).toBe('s3://medgen-test/ci');
  expect(store.localPath('x')).toBeUndefined();
  expect(openFileStore('s3://medgen-test', 'data').location).toBe('s3://medgen-test');
});

test('anything else is an error naming MEDGEN_FILES_URL and the accepted forms', () => {
  for (const url of ['/var/lib/medgen', 'http://example.org/files', 's3://', 's3://Upper_Case', 's3://ab', 's3://bucket//x', 's3://bucket/../x', 'file://remote-host/x', 'gs://bucket']) {
    expect(() => openFileStore(url, 'data')).toThrow(/^MEDGEN_FILES_URL ".*".*accepted: unset \(files under MEDGEN_DATA_DIR\), file:\/\/\/absolute\/path, or s3:\/\/bucket\[\/prefix\]$/);
  }
});
