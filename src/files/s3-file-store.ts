/**
 * The file store as objects in an S3 bucket (AWS or any S3-compatible server), for deployments whose files
 * must outlive or be shared beyond one machine. Key `a/b` is the object `<prefix>/a/b`. The client comes
 * from the SDK's standard environment (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY or the default credential chain, AWS_REGION), and every failure that means "the
 * store cannot be used" becomes one clear 503 naming the endpoint or bucket, whichever call meets it.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { Readable, Transform, pipeline } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { serverError } from '../fhir/outcomes.js';
import { type FileStore, type StoredFile, checkKey, checkPrefix, checkRange, storeUnavailable } from './file-store.js';

/** Where in S3 the files live: a bucket, and optionally a prefix (without slashes at its ends) their keys sit under. */
export interface S3Location {
  bucket: string;
  prefix?: string;
}

/** Overrides of what the environment says, for tests that point a store at a wrong secret or a closed port. */
export interface S3FileStoreOptions {
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Parts of a multipart upload; with QUEUE_SIZE parts in flight, a write holds about 3 parts in memory at most. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;
/** An endpoint that does not answer a TCP connect in this time is taken as unreachable (each of the SDK's attempts). */
const CONNECT_TIMEOUT_MS = 3000;
/** check() gives up after this long in all, so a start-up against a silent endpoint fails in seconds. */
const CHECK_TIMEOUT_MS = 10_000;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);
const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken', 'ExpiredToken']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: SdkError[];
  cause?: SdkError;
}

/**
 * The system error code of a failed connection, wherever Node and the SDK put it: the error itself, a cause, one
 * of an AggregateError's, or only the text. The SDK's retry middleware replaces what fails `instanceof Error` by a
 * plain Error that keeps nothing but the text, which is what a Node error becomes when the SDK runs in another
 * realm (jest's VM modules, for one).
 */
function networkCode(err: SdkError | undefined): string | undefined {
  for (let current = err, depth = 0; current && depth < 5; current = current.cause, depth++) {
    const found = [current, ...(current.errors ?? [])].find((e) => NETWORK_CODES.has(e?.code ?? ''));
    if (found) return found.code;
    const inText = /\b(E[A-Z]+)\b/.exec(current.message ?? '')?.[1];
    if (inText && NETWORK_CODES.has(inText)) return inText;
  }
  return undefined;
}

const status = (err: unknown) => (err as SdkError | undefined)?.$metadata?.httpStatusCode;
/** A missing object: GetObject says NoSuchKey, HeadObject has no body and says only 404. */
const isAbsent = (err: unknown) => (err as SdkError).name === 'NoSuchKey' || ((err as SdkError).name !== 'NoSuchBucket' && status(err) === 404);

/** The environment's endpoint, which the SDK also reads itself; read here as well to name it in messages and to choose path-style addressing. */
function environmentEndpoint(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
}

let configuredRegion: Promise<string> | undefined;
/**
 * The region the SDK finds itself (AWS_REGION, the shared config file), else us-east-1: S3-compatible
 * servers accept any region, and a deployment against one should not have to invent one.
 */
function region(): Promise<string> {
  configuredRegion ??= (async () => {
    const probe = new S3Client({});
    try {
      return await probe.config.region();
    } catch {
      return 'us-east-1';
    } finally {
      probe.destroy();
    }
  })();
  return configuredRegion;
}

export class S3FileStore implements FileStore {
  readonly location: string;
  private readonly bucket: string;
  /** '' or the prefix with its trailing '/', ready to put before a key. */
  private readonly keyPrefix: string;
  /** The endpoint as messages name it, without any user information an endpoint URL might carry. */
  private readonly endpoint: string;
  private readonly client: S3Client;

  constructor({ bucket, prefix = '' }: S3Location, options: S3FileStoreOptions = {}) {
    this.bucket = bucket;
    this.keyPrefix = prefix ? `${checkKey(prefix)}/` : '';
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    const endpoint = options.endpoint ?? environmentEndpoint();
    this.endpoint = endpoint ? redact(endpoint) : 'the AWS S3 endpoint';
    this.client = new S3Client({
      endpoint,
      // A custom endpoint is an S3-compatible server or a proxy, which rarely has DNS for bucket.host names.
      forcePathStyle: endpoint !== undefined,
      credentials: options.credentials,
      region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS },
    });
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    } catch (err) {
      // The SDK names whatever aborts a request AbortError; here only the deadline above does.
      if ((err as SdkError).name === 'AbortError') {
        throw storeUnavailable(`Cannot reach the S3 endpoint ${this.endpoint}: no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
      }
      // HeadBucket answers without a body, so a 404 is all there is to say the bucket is missing.
      if (status(err) === 404) throw this.missingBucket();
      const mapped = this.failure(err);
      throw mapped === err ? storeUnavailable(`S3 bucket ${this.bucket} at ${this.endpoint} cannot be used: ${shortReason(err)}`) : mapped;
    }
  }

  async write(key: string, body: Readable | Uint8Array | string, options: { signal?: AbortSignal; contentType?: string } = {}): Promise<{ size: number }> {
    const Key = this.objectKey(key);
    const { signal, contentType } = options;
    signal?.throwIfAborted();
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        // Already in memory, so one PutObject, which S3 stores whole or not at all.
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentType: contentType }), {
          abortSignal: signal,
        });
        return { size: bytes.length };
      }
      return await this.upload(Key, body, signal, contentType);
    } catch (err) {
      throw this.failure(err);
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable | null> {
    checkRange(range);
    const Key = this.objectKey(key);
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!(answer.Body instanceof Readable)) throw serverError(`S3 answered GetObject of ${key} without a Node stream`);
      return answer.Body;
    } catch (err) {
      if (isAbsent(err)) return null;
      // A range starting at or beyond the end: empty, as a local file read past its end is.
      if (range && status(err) === 416) return Readable.from([]);
      throw this.failure(err);
    }
  }

  async stat(key: string): Promise<StoredFile | null> {
    const Key = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { key, size: head.ContentLength ?? 0, modified: head.LastModified ?? new Date(0) };
    } catch (err) {
      if (isAbsent(err)) return null;
      throw this.failure(err);
    }
  }

  async *list(prefix: string): AsyncIterable<StoredFile> {
    for await (const page of this.pages(checkPrefix(prefix))) {
      for (const object of page) {
        const key = object.Key!.slice(this.keyPrefix.length);
        // Objects other tools put there (a console's `folder/` marker, say) cannot be read through this interface.
        if (!isValidKey(key)) continue;
        yield { key, size: object.Size ?? 0, modified: object.LastModified ?? new Date(0) };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      throw this.failure(err);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const page of this.pages(checkPrefix(prefix))) {
      for (let at = 0; at < page.length; at += DELETE_BATCH) {
        const batch = page.slice(at, at + DELETE_BATCH).map((object) => ({ Key: object.Key! }));
        let answer;
        try {
          answer = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }));
        } catch (err) {
          throw this.failure(err);
        }
        const failed = answer.Errors ?? [];
        if (failed.length) {
          throw serverError(`S3 did not delete ${failed.length} object(s) under ${this.location}/${prefix}, such as ${failed[0].Key}: ${failed[0].Code}`);
        }
        count += batch.length;
      }
    }
    return count;
  }

  localPath(key: string): undefined {
    // Still checked, so a bad key is a 400 whichever driver is configured.
    checkKey(key);
    return undefined;
  }

  private objectKey(key: string): string {
    return this.keyPrefix + checkKey(key);
  }

  /** Every object under prefix, a page (up to 1000) at a time, keys still carrying the store's prefix. */
  private async *pages(prefix: string): AsyncIterable<_Object[]> {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix + prefix, ContinuationToken: token }));
      } catch (err) {
        throw this.failure(err);
      }
      yield (page.Contents ?? []).filter((object) => object.Key !== undefined);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * A streamed upload through lib-storage: one PutObject when the body fits in a part, else a multipart upload
   * that becomes an object only when completed. Should the body fail, lib-storage aborts the multipart upload
   * (leavePartsOnError false) before it rejects; an abort through the signal rejects at once and the multipart
   * upload is aborted once the parts in flight have finished. Either way no object appears.
   */
  private async upload(Key: string, body: Readable, signal: AbortSignal | undefined, contentType: string | undefined): Promise<{ size: number }> {
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    // An error in body reaches the upload as an error of `counted`, which is what lib-storage reads.
    pipeline(body, counted, () => undefined);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counted, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const onAbort = () => {
      void upload.abort();
      // Stops reading the body too, which lib-storage's abort does not.
      counted.destroy(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
      return { size };
    } catch (err) {
      // Releases the caller's stream when the upload failed on S3's side, not the body's.
      counted.destroy();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private missingBucket() {
    return storeUnavailable(`S3 bucket ${this.bucket} does not exist at ${this.endpoint}`, 'not-found');
  }

  /**
   * The clear 503 for a failure that means the store cannot be used, else the error itself: an unreachable
   * endpoint, refused or missing credentials, a missing bucket.
   */
  private failure(err: unknown): unknown {
    const e = err as SdkError;
    const code = networkCode(e) ?? (e?.name === 'TimeoutError' ? 'connection timed out' : undefined);
    if (code) return storeUnavailable(`Cannot reach the S3 endpoint ${this.endpoint}: ${code}`);
    if (e?.name === 'CredentialsProviderError') {
      return storeUnavailable(
        `No S3 credentials found for bucket ${this.bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure the AWS default credential chain`,
        'security',
      );
    }
    if (status(err) === 403 || CREDENTIAL_ERRORS.has(e?.name ?? '')) {
      return storeUnavailable(
        `S3 refused the credentials for bucket ${this.bucket} at ${this.endpoint} (a wrong access key or secret, or a key without access to the bucket): ${shortReason(err)}`,
        'security',
      );
    }
    if (e?.name === 'NoSuchBucket') return this.missingBucket();
    return err;
  }
}

/**
 * The S3 error code and HTTP status, which say what went wrong without the SDK's long message. An answer
 * without a body (to any HEAD request) has no code, and the SDK then names it Unknown or by its status.
 */
function shortReason(err: unknown): string {
  const name = (err as SdkError)?.name;
  const httpStatus = status(err);
  const code = name && !['Unknown', 'UnknownError', 'Error', String(httpStatus)].includes(name) ? name : undefined;
  return [code, httpStatus ? `HTTP ${httpStatus}` : undefined].filter(Boolean).join(', ') || String(err);
}

function isValidKey(key: string): boolean {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
  }
}

/** An endpoint URL without user and password, for messages. */
function redact(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return endpoint;
  }
}
