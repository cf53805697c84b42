/**
 * The size limit of a stored resource, the same for both stores: MongoDB keeps a resource's current version
 * in one document (its JSON text plus its index entries, see mongo/documents.ts) and refuses a document over
 * 16 MiB, so a resource whose document would pass that is refused up front, and the SQLite store, which has
 * no such limit, refuses the same resources so that both stores hold the same data.
 *
 * The measure is a store-neutral upper bound of the BSON size of that document, computed from what both
 * stores already have at hand when they write (the JSON text and the IndexEntries), without serialising
 * anything again. For an ordinary resource a count of UTF-16 code units decides (each is at most 3 bytes of
 * UTF-8); only a resource near the limit has its text measured in UTF-8 bytes.
 *
 * 413, not 422: the resource is valid FHIR, only larger than this server is able to store, which is what
 * 413 Content Too Large says (RFC 9110 §15.5.14; HAPI FHIR's PayloadTooLargeException is a 413 too). 422
 * would tell the client its content breaks a rule it could fix in the content, which no rule of FHIR says.
 * The issue code is `too-long` ("provided content is too long").
 * @see https://hl7.org/fhir/R4/valueset-issue-type.html
 * @see https://www.mongodb.com/docs/manual/reference/limits/#mongodb-limit-BSON-Document-Size
 * @see https://bsonspec.org/spec.html
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-413-content-too-large
 */
import { OperationOutcomeError, issue, outcome } from '../fhir/outcomes.js';
import type { IndexEntries } from '../search/types.js';

/** MongoDB's maximum BSON document size, 16 MiB; a stored resource may not make a larger document. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of the document besides the JSON text and the entries: `_id`, `type` and `id` (a type and an id have
 * at most 64 characters each), version, lastUpdated (text and epoch ms), deleted flag, write token, and the
 * framing of the json, idx (six arrays), links and srt fields. They add up to about 530 bytes.
 */
const FIXED_BYTES = 1024;

/**
 * Bytes of one index entry besides its text: its array element (type byte, index key of at most 7 digits,
 * document framing), field names, string framing and numbers (at most 49 bytes in `idx`), and its share of
 * the per-parameter sort entry in `srt` (at most 46 bytes: framing, the presence marker, two values).
 */
const ENTRY_BYTES = 128;

/**
 * Text of an entry counts three times: once in `idx`, and up to twice more in `srt`, whose lowest and highest
 * value per parameter may both be copies of it (a reference sorts as `Type/id`, its parts plus one byte that
 * ENTRY_BYTES covers). A reference link is not sorted, so its text counts once.
 */
const ENTRY_TEXT_COPIES = 3;

/** Most UTF-8 bytes one UTF-16 code unit takes (a surrogate pair: 4 bytes for 2 units; a lone one: 3). */
const MAX_UTF8_PER_UNIT = 3;

/** How long a text is: in UTF-16 code units (cheap), or in UTF-8 bytes (what BSON stores). */
type Measure = (text: string | null) => number;

const units: Measure = (text) => (text === null ? 0 : text.length);
const utf8Bytes: Measure = (text) => (text === null ? 0 : Buffer.byteLength(text, 'utf8'));

/** The JSON text, plus the text of the entries weighted by the number of copies the document holds. */
function weightedText(json: string, e: IndexEntries | null, measure: Measure): number {
  let entries = 0;
  let links = 0;
  if (e !== null) {
    for (const t of e.tokens) entries += measure(t.code) + measure(t.system) + measure(t.value);
    for (const t of e.strings) entries += measure(t.code) + measure(t.value);
    for (const t of e.dates) entries += measure(t.code);
    for (const t of e.references) entries += measure(t.code) + measure(t.type) + measure(t.id) + measure(t.url);
    for (const t of e.numbers) entries += measure(t.code) + measure(t.system) + measure(t.unit);
    for (const t of e.uris) entries += measure(t.code) + measure(t.value);
    for (const l of e.links) links += measure(l.path) + measure(l.targetType) + measure(l.targetId) + measure(l.url);
  }
  return measure(json) + ENTRY_TEXT_COPIES * entries + links;
}

function entryCount(e: IndexEntries | null): number {
  if (e === null) return 0;
  return e.tokens.length + e.strings.length + e.dates.length + e.references.length + e.numbers.length + e.uris.length + e.links.length;
}

/**
 * An upper bound of the BSON size of the MongoDB document that stores a resource with this JSON text and
 * these index entries (null: a version kept in history only, without entries). Never less than the real
 * size; the same number on both stores. The text counts in UTF-8 bytes; when even 3 bytes per code unit
 * keeps the bound under the limit, that cheaper bound is answered instead.
 */
export function storedDocumentBytes(json: string, entries: IndexEntries | null): number {
  const framing = FIXED_BYTES + entryCount(entries) * ENTRY_BYTES;
  const quick = framing + MAX_UTF8_PER_UNIT * weightedText(json, entries, units);
  return quick <= MAX_DOCUMENT_BYTES ? quick : framing + weightedText(json, entries, utf8Bytes);
}

/**
 * Throws 413 (OperationOutcome issue `too-long`, naming the limit) when the resource `type/id` would be
 * stored in a document over MAX_DOCUMENT_BYTES. Both stores call it with the JSON text they write and the
 * entries they index, before anything is written. It covers the version's history document too, which holds
 * the same text without entries (`entries` null checks a version that is only kept in history).
 */
export function assertDocumentSize(type: string, id: string, json: string, entries: IndexEntries | null): void {
  const bytes = storedDocumentBytes(json, entries);
  if (bytes <= MAX_DOCUMENT_BYTES) return;
  const message = `${type}/${id} is too large to store: its JSON text and search index entries come to ${bytes} bytes (an upper bound), `
    + `over the limit of 16 MiB (${MAX_DOCUMENT_BYTES} bytes) per resource, MongoDB's maximum document size`;
  throw new OperationOutcomeError(413, outcome(issue('error', 'too-long', message)));
}
