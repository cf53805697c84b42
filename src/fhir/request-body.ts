/**
 * Request bodies as the core sees them: the media types FHIR JSON and NDJSON arrive as, and reading a body
 * within a size limit (413 as soon as it passes the limit, before the whole body is held).
 * @see https://hl7.org/fhir/R4/http.html#mime-type
 */
import type { Readable } from 'node:stream';
import { tooLarge } from './outcomes.js';

export const JSON_TYPES: ReadonlySet<string> = new Set(['application/fhir+json', 'application/json', 'application/json+fhir', 'text/json']);
export const NDJSON_TYPES: ReadonlySet<string> = new Set(['application/fhir+ndjson', 'application/ndjson', 'application/x-ndjson', 'application/jsonl']);

/** Collects `stream`, failing with 413 once it passes `limit` bytes (`hint` says what to do instead). */
export async function readLimited(stream: Readable, limit: number, hint = ''): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.resume();
      throw tooLarge(`Request body is over the limit of ${limit} bytes${hint}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
