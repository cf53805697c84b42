/**
 * The file store contract, run over the local folder driver always and over the S3 driver when
 * MEDGEN_TEST_S3_URL names a bucket (tools/seaweedfs/start.sh starts a server and sets it, with the AWS_*
 * variables the SDK reads). Every test gets a store of its own: a fresh folder, or a fresh prefix under
 * `<MEDGEN_TEST_S3_URL>/<run id>/`, so tests and concurrent runs never see each other's objects.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { type FileStore, readAll } from '../../src/files/file-store.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { parseFilesUrl } from '../../src/files/open-file-store.js';
import { S3FileStore } from '../../src/files/s3-file-store.js';
import { type TestFn, skipped } from '../external-tool.js';

const MiB = 1024 * 1024;
const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** What a stream of `total` random bytes does at its end: finish, fail, or abort `controller` and then stall. */
type Ending = { then: 'end' } | { then: 'error' } | { then: 'abort'; controller: AbortController };

/** A stream of `total` random bytes in 256 KiB chunks; `hash` is the SHA-256 of every byte it produced. */
function randomStream(total: number, ending: Ending = { then: 'end' }) {
  const hash = createHash('sha256');
  let sent = 0;
  let ended = false;
  const stream = new Readable({
    read() {
      if (sent < total) {
        const chunk = randomBytes(Math.min(256 * 1024, total - sent));
        sent += chunk.length;
        hash.update(chunk);
        this.push(chunk);
      } else if (!ended) {
        ended = true;
        if (ending.then === 'end') this.push(null);
        else if (ending.then === 'error') this.destroy(new Error('the source failed midway'));
        // Aborts and never pushes again, as a stalled source would.
        else ending.controller.abort();
      }
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/** Whether a value is a Date, from whichever realm: jest runs tests in a context whose Date is not Node's. */
function isDate(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/**
 * A stream of `total` random bytes that then holds back its end: `pulled` resolves when the store has asked for
 * more than the `total` bytes (so it holds them all), and the stream ends only on `release()`.
 */
function heldStream(total: number) {
  const { stream: bytes } = randomStream(total);
  let release!: () => void;
  let pulled!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const allPulled = new Promise<void>((resolve) => (pulled = resolve));
  async function* held() {
    yield* bytes;
    pulled();
    await released;
  }
  return { stream: Readable.from(held(), { objectMode: false }), pulled: allPulled, release };
}

async function text(store: FileStore, key: string): Promise<string | null> {
  return (await readAll(store, key))?.toString('utf8') ?? null;
}

async function keys(store: FileStore, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for await (const file of store.list(prefix)) found.push(file.key);
  return found;
}

async function sha256(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** The contract every driver meets; `open` gives a new, empty store for each test. */
function fileStoreContract(t: TestFn, open: () => FileStore): void {
  t('check() passes for a usable store', async () => {
    await expect(open().check()).resolves.toBeUndefined();
  });

  t('string, Buffer and stream bodies read back byte for byte, and write reports their size', async () => {
    const store = open();
    const binary = Buffer.from([0, 255, 128, 10, 13, 0xc3, 0x28, 1]);
    expect(await store.write('a/text.txt', 'héllo\nwörld')).toEqual({ size: Buffer.byteLength('héllo\nwörld') });
    expect(await store.write('a/binary.bin', binary)).toEqual({ size: 8 });
    const ndjson = '{"a":1}\n{"b":2}\n{"c":"ü"}\n';
    expect(await store.write('a/stream.ndjson', Readable.from(['{"a":1}\n', Buffer.from('{"b":2}\n'), '{"c":"ü"}\n']))).toEqual({ size: Buffer.byteLength(ndjson) });
    expect(await text(store, 'a/text.txt')).toBe('héllo\nwörld');
    expect(await readAll(store, 'a/binary.bin')).toEqual(binary);
    expect(await text(store, 'a/stream.ndjson')).toBe(ndjson);
    expect(await store.write('a/empty', '')).toEqual({ size: 0 });
    expect(await readAll(store, 'a/empty')).toEqual(Buffer.alloc(0));
  });

  t('a write replaces the object, keeping only the new bytes', async () => {
    const store = open();
    await store.write('r/x', 'a much longer first version');
    await store.write('r/x', Readable.from(['short']));
    expect(await text(store, 'r/x')).toBe('short');
    expect((await store.stat('r/x'))?.size).toBe(5);
    expect(await keys(store)).toEqual(['r/x']);
  });

  t('a range read gives bytes start..end inclusive, cut at the end of the object', async () => {
    const store = open();
    await store.write('range', '0123456789');
    const read = async (start: number, end: number) => {
      const stream = await store.read('range', { start, end });
      const chunks: Buffer[] = [];
      for await (const chunk of stream!) chunks.push(chunk);
      return Buffer.concat(chunks).toString();
    };
    expect(await read(2, 5)).toBe('2345');
    expect(await read(0, 0)).toBe('0');
    expect(await read(8, 100)).toBe('89');
    expect(await read(10, 20)).toBe('');
    await expect(store.read('range', { start: 5, end: 2 })).rejects.toMatchObject({ status: 400 });
  });

  t('stat gives the size and a modification time; read and stat of an absent key give null', async () => {
    const store = open();
    const before = Date.now();
    await store.write('s/file', 'twelve bytes');
    const stat = await store.stat('s/file');
    expect(stat).toMatchObject({ key: 's/file', size: 12 });
    expect(isDate(stat!.modified)).toBe(true);
    // Clocks of a server and of this machine may differ by a little; a second of slack each way.
    expect(stat!.modified.getTime()).toBeGreaterThan(before - 1000);
    expect(stat!.modified.getTime()).toBeLessThan(Date.now() + 1000);
    expect(await store.stat('s/absent')).toBeNull();
    expect(await store.read('s/absent')).toBeNull();
    expect(await store.read('s/absent', { start: 0, end: 1 })).toBeNull();
    expect(await store.stat('absent/file')).toBeNull();
    // 's' is a folder locally and a mere prefix in S3; neither is an object.
    expect(await store.stat('s')).toBeNull();
    expect(await store.read('s')).toBeNull();
  });

  t('list gives exactly the keys under a prefix, in key order, with their sizes', async () => {
    const store = open();
    const written = ['jobs/a/2', 'jobs/ab', 'jobs/a/sub/3', 'jobs/a-b/x', 'other/z', 'jobs/a/1', 'jobs/a.txt', 'top'];
    for (const key of written) await store.write(key, key);
    // Byte order, as S3 lists: '-' < '.' < '/' < 'b'.
    expect(await keys(store, 'jobs/a/')).toEqual(['jobs/a/1', 'jobs/a/2', 'jobs/a/sub/3']);
    expect(await keys(store, 'jobs/a')).toEqual(['jobs/a-b/x', 'jobs/a.txt', 'jobs/a/1', 'jobs/a/2', 'jobs/a/sub/3', 'jobs/ab']);
    expect(await keys(store, '')).toEqual([...written].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(await keys(store, 'jobs/a/sub/3')).toEqual(['jobs/a/sub/3']);
    expect(await keys(store, 'nothing/')).toEqual([]);
    expect(await keys(store, 'jobs/a/1/')).toEqual([]);
    const listed = [];
    for await (const file of store.list('jobs/a/')) listed.push(file);
    expect(listed.map((file) => file.size)).toEqual([8, 8, 12]);
    expect(listed.every((file) => isDate(file.modified))).toBe(true);
  });

  t('delete removes one object, absent is no error; deletePrefix removes a folder and counts', async () => {
    const store = open();
    for (const key of ['d/a/1', 'd/a/2', 'd/a/deep/3', 'd/ab', 'd/a-b', 'e/1']) await store.write(key, 'x');
    await store.delete('d/a/2');
    expect(await store.stat('d/a/2')).toBeNull();
    await expect(store.delete('d/a/2')).resolves.toBeUndefined();
    await expect(store.delete('never/was')).resolves.toBeUndefined();
    expect(await store.deletePrefix('d/a/')).toBe(2);
    expect(await keys(store)).toEqual(['d/a-b', 'd/ab', 'e/1']);
    expect(await store.deletePrefix('d/a/')).toBe(0);
    expect(await store.deletePrefix('d/a')).toBe(2);
    expect(await store.deletePrefix('')).toBe(1);
    expect(await keys(store)).toEqual([]);
  });

  t('list and deletePrefix go past a thousand objects (a page of ListObjectsV2, a batch of DeleteObjects)', async () => {
    const store = open();
    const written = Array.from({ length: 1010 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
    for (let at = 0; at < written.length; at += 50) await Promise.all(written.slice(at, at + 50).map((key) => store.write(key, key)));
    await store.write('many-not', 'sibling');
    expect(await keys(store, 'many/')).toEqual(written);
    expect(await store.deletePrefix('many/')).toBe(1010);
    expect(await keys(store)).toEqual(['many-not']);
  }, 120_000);

  t('keys that climb out, are absolute, have empty or dot segments, backslashes or NUL are a 400, and nothing is written', async () => {
    const store = open();
    const bad = ['../x', '/abs', 'a//b', 'a/./b', 'a\\b', '', 'a/', 'a/..', 'x\0y', 'k'.repeat(1025)];
    for (const key of bad) {
      for (const attempt of [
        () => store.write(key, 'x'),
        () => store.write(key, Readable.from(['x'])),
        () => store.read(key),
        () => store.stat(key),
        () => store.delete(key),
      ]) {
        const err = await rejection(attempt());
        expect(err).toBeInstanceOf(OperationOutcomeError);
        expect((err as OperationOutcomeError).status).toBe(400);
      }
      expect(() => store.localPath(key)).toThrow(OperationOutcomeError);
    }
    for (const prefix of ['../', '/abs/', 'a//']) {
      await expect(keys(store, prefix)).rejects.toMatchObject({ status: 400 });
      await expect(store.deletePrefix(prefix)).rejects.toMatchObject({ status: 400 });
    }
    expect(await keys(store)).toEqual([]);
  });

  t('a write in progress is not listed or read: the older object stays visible until the new one is complete', async () => {
    const store = open();
    await store.write('w/kept', 'old');
    const held = heldStream(9 * MiB);
    const writing = store.write('w/kept', held.stream);
    await held.pulled;
    expect(await keys(store)).toEqual(['w/kept']);
    expect(await text(store, 'w/kept')).toBe('old');
    expect((await store.stat('w/kept'))?.size).toBe(3);
    held.release();
    expect(await writing).toEqual({ size: 9 * MiB });
    expect(await keys(store)).toEqual(['w/kept']);
    expect((await store.stat('w/kept'))?.size).toBe(9 * MiB);
  }, 60_000);

  t('a body stream that fails midway leaves no object, and an older object under the key stays intact', async () => {
    const store = open();
    await store.write('fail/kept', 'the old version');
    // 9 MiB is more than one part, so S3 has begun a multipart upload when the source fails.
    for (const key of ['fail/kept', 'fail/new']) {
      const { stream } = randomStream(9 * MiB, { then: 'error' });
      await expect(store.write(key, stream)).rejects.toThrow('the source failed midway');
    }
    const small = randomStream(1000, { then: 'error' });
    await expect(store.write('fail/small', small.stream)).rejects.toThrow('the source failed midway');
    expect(await text(store, 'fail/kept')).toBe('the old version');
    expect(await store.stat('fail/new')).toBeNull();
    expect(await store.stat('fail/small')).toBeNull();
    expect(await keys(store)).toEqual(['fail/kept']);
  }, 60_000);

  t('an abort through the signal mid-stream leaves no object, and an older object under the key stays intact', async () => {
    const store = open();
    await store.write('abort/kept', 'the old version');
    for (const [key, size] of [['abort/kept', 9 * MiB], ['abort/new', 9 * MiB], ['abort/small', 1000]] as const) {
      const controller = new AbortController();
      const { stream } = randomStream(size, { then: 'abort', controller });
      const err = await rejection(store.write(key, stream, { signal: controller.signal }));
      expect(err.name).toBe('AbortError');
    }
    const aborted = new AbortController();
    aborted.abort();
    await expect(store.write('abort/before', 'x', { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await text(store, 'abort/kept')).toBe('the old version');
    expect(await keys(store)).toEqual(['abort/kept']);
  }, 60_000);

  t('a 24 MiB body generated as a stream round-trips with the same SHA-256', async () => {
    const store = open();
    const { stream, digest } = randomStream(24 * MiB);
    expect(await store.write('big/blob.bin', stream, { contentType: 'application/octet-stream' })).toEqual({ size: 24 * MiB });
    const expected = digest();
    expect((await store.stat('big/blob.bin'))?.size).toBe(24 * MiB);
    expect(await sha256((await store.read('big/blob.bin'))!)).toEqual({ sha256: expected, size: 24 * MiB });
    const tail = await sha256((await store.read('big/blob.bin', { start: 24 * MiB - 10, end: 24 * MiB + 10 }))!);
    expect(tail.size).toBe(10);
  }, 120_000);
}

describe('local folder', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-file-store-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  fileStoreContract(test, () => new LocalFileStore(newDir()));

  test('key jobs/x/y.ndjson is the file <dir>/jobs/x/y.ndjson, as before the store existed', async () => {
    const dir = newDir();
    const store = new LocalFileStore(dir);
    await store.write('jobs/x/y.ndjson', '{"a":1}\n');
    expect(fs.readFileSync(path.join(dir, 'jobs', 'x', 'y.ndjson'), 'utf8')).toBe('{"a":1}\n');
    expect(store.localPath('jobs/x/y.ndjson')).toBe(path.join(dir, 'jobs', 'x', 'y.ndjson'));
    // And files already there from earlier versions are objects of the store.
    fs.mkdirSync(path.join(dir, 'backups'));
    fs.writeFileSync(path.join(dir, 'backups', 'old.gz'), 'gz');
    expect(await text(store, 'backups/old.gz')).toBe('gz');
    expect(await keys(store)).toEqual(['backups/old.gz', 'jobs/x/y.ndjson']);
  });

  test('failed and aborted writes leave no temporary file behind; deletePrefix leaves no empty folder', async () => {
    const dir = newDir();
    const store = new LocalFileStore(dir);
    await expect(store.write('t/a', randomStream(100_000, { then: 'error' }).stream)).rejects.toThrow();
    const controller = new AbortController();
    await expect(store.write('t/b', randomStream(100_000, { then: 'abort', controller }).stream, { signal: controller.signal })).rejects.toThrow();
    expect(fs.readdirSync(path.join(dir, 't'))).toEqual([]);
    await store.write('t/deep/er/c', 'c');
    await store.write('u/d', 'd');
    expect(await store.deletePrefix('t/')).toBe(1);
    await store.delete('u/d');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a write over a folder, or under a file, is a 409', async () => {
    const store = new LocalFileStore(newDir());
    await store.write('f/inner', 'x');
    await expect(store.write('f', 'y')).rejects.toMatchObject({ status: 409 });
    await expect(store.write('f/inner/below', 'y')).rejects.toMatchObject({ status: 409 });
    expect(await keys(store)).toEqual(['f/inner']);
  });

  test('check() creates a missing folder, and fails with a 503 naming a folder it cannot write', async () => {
    const dir = newDir();
    await new LocalFileStore(path.join(dir, 'new', 'data')).check();
    expect(fs.statSync(path.join(dir, 'new', 'data')).isDirectory()).toBe(true);
    // A folder under a regular file can never be created, even by root, unlike one refused by permissions.
    fs.writeFileSync(path.join(dir, 'plain-file'), '');
    const blocked = path.join(dir, 'plain-file', 'data');
    const err = await rejection(new LocalFileStore(blocked).check());
    expect(err).toBeInstanceOf(OperationOutcomeError);
    expect((err as OperationOutcomeError).status).toBe(503);
    expect(err.message).toContain(blocked);
  });
});

const s3Url = process.env.MEDGEN_TEST_S3_URL;
const s3Test: TestFn = s3Url ? test : skipped('MEDGEN_TEST_S3_URL not set; tools/seaweedfs/start.sh starts an S3 server and sets it');

describe('S3', () => {
  const base = s3Url ? parseFilesUrl(s3Url, '.') : undefined;
  const bucket = base?.kind === 's3' ? base.bucket : '';
  const runPrefix = [base?.kind === 's3' ? base.prefix : '', `file-store-${runId}`].filter(Boolean).join('/');
  let opened = 0;
  const open = () => new S3FileStore({ bucket, prefix: `${runPrefix}/${++opened}` });

  if (s3Url) {
    beforeAll(() => {
      if (base?.kind !== 's3') throw new Error(`MEDGEN_TEST_S3_URL must be s3://bucket[/prefix], not ${s3Url}`);
      console.log(`S3 file store tests at ${s3Url} (endpoint ${process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? 'AWS'}), prefix ${runPrefix}`);
    });
    afterAll(async () => {
      await new S3FileStore({ bucket, prefix: runPrefix }).deletePrefix('');
    }, 60_000);
  }

  fileStoreContract(s3Test, open);

  s3Test('keys sit under the configured prefix, and location names bucket and prefix', async () => {
    const store = open();
    const id = opened;
    await store.write('p/q', 'x');
    const outer = new S3FileStore({ bucket, prefix: runPrefix });
    expect((await keys(outer)).filter((key) => key.endsWith('/p/q'))).toEqual([`${id}/p/q`]);
    expect(store.location).toBe(`s3://${bucket}/${runPrefix}/${id}`);
    expect(store.localPath('p/q')).toBeUndefined();
  });

  s3Test('a multipart upload whose body fails is aborted, leaving no parts behind', async () => {
    const store = open();
    const id = opened;
    const { stream } = randomStream(17 * MiB, { then: 'error' });
    await expect(store.write('mp/x', stream)).rejects.toThrow('the source failed midway');
    // A plain client from the same environment: the SDK reads AWS_ENDPOINT_URL_S3 itself.
    const client = new S3Client({ forcePathStyle: true, region: process.env.AWS_REGION ?? 'us-east-1' });
    try {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: `${runPrefix}/${id}/` }));
      expect(uploads.Uploads ?? []).toEqual([]);
    } finally {
      client.destroy();
    }
  }, 60_000);

  s3Test('check() with a wrong secret key fails with a 503 about the credentials; so does a write', async () => {
    const store = new S3FileStore(
      { bucket, prefix: runPrefix },
      { credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'medgen-test', secretAccessKey: 'not-the-secret-key' } },
    );
    const err = await rejection(store.check());
    expect(err).toMatchObject({ status: 503 });
    expect(err.message).toMatch(new RegExp(`S3 refused the credentials for bucket ${bucket}`));
    const writeErr = await rejection(store.write('w', 'x'));
    expect(writeErr.message).toMatch(/S3 refused the credentials/);
  });

  s3Test('check() of a missing bucket fails with a 503 naming the bucket; so does a list', async () => {
    const missing = `medgen-missing-${runId}`;
    const store = new S3FileStore({ bucket: missing });
    const err = await rejection(store.check());
    expect(err).toMatchObject({ status: 503 });
    expect(err.message).toMatch(new RegExp(`S3 bucket ${missing} does not exist at `));
    await expect(keys(store)).rejects.toThrow(`S3 bucket ${missing} does not exist`);
  });

  s3Test('check() against a closed port fails within seconds with a 503 naming the endpoint', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const store = new S3FileStore({ bucket }, { endpoint });
    const started = Date.now();
    const err = await rejection(store.check());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({ status: 503 });
    expect(err.message).toMatch(new RegExp(`^Cannot reach the S3 endpoint ${endpoint}: ECONNREFUSED`));
    await expect(store.stat('x')).rejects.toThrow(`Cannot reach the S3 endpoint ${endpoint}`);
  });
});

/** A loopback port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
