/**
 * Which file store MEDGEN_FILES_URL names: unset, the local folder MEDGEN_DATA_DIR as always; `file:///path`,
 * another local folder; `s3://bucket[/prefix]`, objects in S3 (endpoint and credentials from the AWS environment).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FileStore, checkKey } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';
import { S3FileStore } from './s3-file-store.js';

export type FilesUrl = { kind: 'local'; root: string } | { kind: 's3'; bucket: string; prefix: string };

const ACCEPTED = 'accepted: unset (files under MEDGEN_DATA_DIR), file:///absolute/path, or s3://bucket[/prefix]';
/** S3's bucket naming rules: 3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function invalid(url: string, why: string): Error {
  return new Error(`MEDGEN_FILES_URL "${url}" ${why}; ${ACCEPTED}`);
}

export function parseFilesUrl(url: string | undefined, dataDir: string): FilesUrl {
  if (!url) return { kind: 'local', root: path.resolve(dataDir) };
  if (url.startsWith('file:')) {
    try {
      return { kind: 'local', root: fileURLToPath(url) };
    } catch (err) {
      throw invalid(url, `is not a local file URL (${(err as Error).message})`);
    }
  }
  const s3 = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(url);
  if (!s3) throw invalid(url, 'is not a URL this server can store files at');
  const [, bucket, rawPrefix = ''] = s3;
  if (!BUCKET.test(bucket)) throw invalid(url, `names "${bucket}", which is not a valid S3 bucket name`);
  const prefix = rawPrefix.replace(/\/+$/, '');
  if (prefix) {
    try {
      checkKey(prefix);
    } catch (err) {
      throw invalid(url, `has an invalid prefix: ${(err as Error).message}`);
    }
  }
  return { kind: 's3', bucket, prefix };
}

export function openFileStore(url: string | undefined, dataDir: string): FileStore {
  const parsed = parseFilesUrl(url, dataDir);
  return parsed.kind === 'local' ? new LocalFileStore(parsed.root) : new S3FileStore(parsed);
}
